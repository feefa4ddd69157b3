"""Public exposure of data: S3 buckets (NET-4), account-level S3 Block Public
Access (NET-5), and snapshots and machine images shared with everyone (NET-6).

build_org.py calls `plant` for every workload account (prod, staging, dev)
and approved region. Account-level Block Public Access is what build_org.py
sets: all four settings on in every account but dev, where
RestrictPublicBuckets is off (IgnorePublicAcls stays on). So the same public
bucket policy is neutralised in prod and staging and public in dev, and a
public-read ACL is ignored everywhere.
"""

import json

ALL_READ = "http://acs.amazonaws.com/groups/global/AllUsers"


def short(region):
    """As build_org.py names resources: us-east-1 -> use1."""
    return region.replace("us-east-1", "use1").replace("us-west-2", "usw2").replace("-", "")


def _account_findings(est):
    """NET-5, once: one finding per account of the organization."""
    if getattr(est, "_s3pub_accounts_done", False):
        return
    est._s3pub_accounts_done = True
    for a in est.accounts:
        if a["role"] == "dev":
            est.exp("NET-5", a["id"], "global", a["id"], "fail",
                    "account-level Block Public Access has RestrictPublicBuckets off")
        else:
            est.exp("NET-5", a["id"], "global", a["id"], "pass",
                    "PutPublicAccessBlock (s3control) with all four settings on")


def _buckets(est, acct, role, region):
    s3 = est.client(acct, "s3", region)
    tag = short(region)
    dev = role == "dev"

    def create(name):
        args = {"Bucket": name}
        if region != "us-east-1":
            args["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**args)

    # A website bucket whose policy lets everyone read, its own Block Public
    # Access explicitly off.
    site = f"{role}-{acct}-{tag}-public-site"
    create(site)
    s3.put_public_access_block(Bucket=site, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
    s3.put_bucket_policy(Bucket=site, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{site}/*"}]}))
    if dev:
        est.exp("NET-4", acct, region, site, "fail",
                "policy allows s3:GetObject to Principal \"*\"; the bucket's Block Public Access is off and the account's "
                "has RestrictPublicBuckets off", severity="critical")
    else:
        est.exp("NET-4", acct, region, site, "pass",
                "policy allows s3:GetObject to Principal \"*\" and the bucket's Block Public Access is off, but account-level "
                "RestrictPublicBuckets neutralises the policy and the account has all four settings on")

    # Its private twin: Block Public Access all on, a policy for the account only.
    private = f"{role}-{acct}-{tag}-private-site"
    create(private)
    s3.put_public_access_block(Bucket=private, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_policy(Bucket=private, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "AccountRead", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{private}/*"}]}))
    est.exp("NET-4", acct, region, private, "pass", "the bucket's own Block Public Access has all four settings on")

    # A bucket created with the canned ACL public-read (no ownership controls: ACLs enabled).
    acl = f"{role}-{acct}-{tag}-public-acl"
    args = {"Bucket": acl, "ACL": "public-read"}
    if region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**args)
    grants = s3.get_bucket_acl(Bucket=acl)["Grants"]
    assert any(g["Grantee"].get("URI") == ALL_READ for g in grants), grants
    if dev:
        est.exp("NET-4", acct, region, acl, "fail",
                "ACL grants READ to AllUsers; account-level IgnorePublicAcls ignores it, but neither the bucket's nor the "
                "account's Block Public Access has all four settings", severity="medium")
    else:
        est.exp("NET-4", acct, region, acl, "pass",
                "ACL grants READ to AllUsers, but account-level IgnorePublicAcls ignores it and the account has all four settings on")


def _ebs(est, acct, role, region):
    ec2 = est.client(acct, "ec2", region)
    vol = ec2.create_volume(Size=8, AvailabilityZone=region + "a",
                            TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "export-staging"}]}])["VolumeId"]
    public = ec2.create_snapshot(VolumeId=vol, Description="export for a partner")["SnapshotId"]
    ec2.modify_snapshot_attribute(SnapshotId=public, Attribute="createVolumePermission", OperationType="add",
                                  GroupNames=["all"])
    est.exp("NET-6", acct, region, public, "fail", "createVolumePermission holds the group all")
    other = est.by_role["security"]
    shared = ec2.create_snapshot(VolumeId=vol, Description="export for the security account")["SnapshotId"]
    ec2.modify_snapshot_attribute(SnapshotId=shared, Attribute="createVolumePermission", OperationType="add",
                                  UserIds=[other])
    est.exp("NET-6", acct, region, shared, "pass", f"createVolumePermission names account {other} only")


def _images(est, acct, role, region):
    ec2 = est.client(acct, "ec2", region)
    inst = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                             TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "image-builder"}]}])
    iid = inst["Instances"][0]["InstanceId"]
    public = ec2.create_image(InstanceId=iid, Name=f"{role}-{short(region)}-app-public")["ImageId"]
    ec2.modify_image_attribute(ImageId=public, LaunchPermission={"Add": [{"Group": "all"}]})
    est.exp("NET-6", acct, region, public, "fail", "launch permission for the group all (Public: true)")
    private = ec2.create_image(InstanceId=iid, Name=f"{role}-{short(region)}-app-private")["ImageId"]
    est.exp("NET-6", acct, region, private, "pass", "no launch permission beyond the owner (Public: false)")
    ec2.terminate_instances(InstanceIds=[iid])


def _rds(est, acct, role, region):
    rds = est.client(acct, "rds", region)
    tag = short(region)
    # The unencrypted instance plant_rds made (an encrypted snapshot cannot be public in AWS).
    db = f"{role}-{tag}-reporting"
    public = f"{role}-{tag}-reporting-public"
    rds.create_db_snapshot(DBSnapshotIdentifier=public, DBInstanceIdentifier=db)
    rds.modify_db_snapshot_attribute(DBSnapshotIdentifier=public, AttributeName="restore", ValuesToAdd=["all"])
    est.exp("NET-6", acct, region, public, "fail", "the restore attribute holds all")
    private = f"{role}-{tag}-reporting-private"
    rds.create_db_snapshot(DBSnapshotIdentifier=private, DBInstanceIdentifier=db)
    est.exp("NET-6", acct, region, private, "pass", "manual snapshot, restore attribute empty")
    # An Aurora cluster and its snapshots.
    cluster = f"{role}-{tag}-archive"
    rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-postgresql", MasterUsername="app",
                          MasterUserPassword="not-a-real-password-2")
    cpub = f"{cluster}-public"
    rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier=cpub, DBClusterIdentifier=cluster)
    rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier=cpub, AttributeName="restore", ValuesToAdd=["all"])
    est.exp("NET-6", acct, region, cpub, "fail", "the cluster snapshot's restore attribute holds all")
    cpriv = f"{cluster}-shared"
    rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier=cpriv, DBClusterIdentifier=cluster)
    rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier=cpriv, AttributeName="restore",
                                             ValuesToAdd=[est.by_role["security"]])
    est.exp("NET-6", acct, region, cpriv, "pass", "the cluster snapshot is shared with the security account only")


def plant(est, acct, role, region, key_arn, vpcs):
    _account_findings(est)
    _buckets(est, acct, role, region)
    _ebs(est, acct, role, region)
    _images(est, acct, role, region)
    _rds(est, acct, role, region)
    if not getattr(est, "_s3pub_noted", False):
        est._s3pub_noted = True
        est.notes.append(
            "NET-4: moto gives a new bucket neither Block Public Access nor ownership controls (AWS has turned on all four "
            "settings and disabled ACLs for new buckets since April 2023), and it accepts a public bucket policy under "
            "account-level BlockPublicPolicy; the estate's buckets therefore rely on the account's settings, and every "
            "other bucket of dev fails NET-4 at medium (no Block Public Access of its own, the account's incomplete)")
        est.notes.append(
            "NET-6: moto answers DescribeSnapshots with every snapshot it holds, whatever OwnerIds says; the collector "
            "keeps those whose OwnerId is the account. RDS automated snapshots (rds:...) are skipped: they cannot be shared")
