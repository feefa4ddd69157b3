"""Builds phiguard's integration estate in a moto server and prints its manifest.

    $PHIGUARD_PYTHON build_org.py --endpoint http://127.0.0.1:5599 [--regions us-east-1,us-west-2]

The caller is the organization's management account (moto's default account,
123456789012). The script creates the organization, its OUs, member accounts
and SCPs, then reaches each member account through
`sts:AssumeRole arn:aws:iam::<id>:role/OrganizationAccountAccessRole` (moto keeps
separate state per account reached that way) and plants, in each account and
region, violations next to compliant twins.

It does not reset the server: the caller posts `/moto-api/reset` first.

Stdout is one JSON manifest:

    {"management": id, "organization": id,
     "accounts": [{"id", "name", "role", "ou"}], "regions": [...],
     "expect": [{"rule", "account", "region", "name", "outcome", "why"[, "severity"]}],
     "notes": [...]}

`expect` holds only outcomes that follow from docs/controls (the design's
control catalogue) and from what moto answers; things planted whose outcome
depends on a moto gap or on a choice the collector makes are listed in
`notes` instead. Progress goes to stderr.
"""

import argparse
import io
import json
import os
import sys
import time
import zipfile

import boto3
from botocore.config import Config

MANAGEMENT = "123456789012"
APPROVED = ["us-east-1", "us-west-2"]
ORG_ROLE = "OrganizationAccountAccessRole"

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
# Never read a developer's real profile or config.
os.environ.pop("AWS_PROFILE", None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

CFG = Config(retries={"max_attempts": 2, "mode": "standard"})


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Estate:
    def __init__(self, endpoint, regions):
        self.endpoint = endpoint
        self.regions = regions
        self.expect = []
        self.notes = []
        self.accounts = []  # {"id","name","role","ou"}
        self.sessions = {}

    # --- plumbing -------------------------------------------------------
    def session(self, account):
        if account not in self.sessions:
            if account == MANAGEMENT:
                self.sessions[account] = boto3.Session(region_name="us-east-1")
            else:
                sts = boto3.client("sts", endpoint_url=self.endpoint, region_name="us-east-1", config=CFG)
                c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ORG_ROLE}",
                                    RoleSessionName="phiguard-estate")["Credentials"]
                self.sessions[account] = boto3.Session(
                    aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                    aws_session_token=c["SessionToken"], region_name="us-east-1")
        return self.sessions[account]

    def client(self, account, service, region="us-east-1"):
        cl = self.session(account).client(service, endpoint_url=self.endpoint, region_name=region, config=CFG)
        if service == "s3control":
            # botocore's endpoint rules put the account id in the host
            # (<id>.127.0.0.1); moto serves s3control on the bare endpoint.
            def strip(request, **_):
                request.url = request.url.replace(f"//{account}.", "//")
            cl.meta.events.register("before-send.s3-control", strip)
        return cl

    def exp(self, rule, account, region, name, outcome, why, **extra):
        e = {"rule": rule, "account": account, "region": region, "name": name, "outcome": outcome, "why": why}
        e.update(extra)
        self.expect.append(e)

    # --- organization ---------------------------------------------------
    def build_org(self):
        org = self.client(MANAGEMENT, "organizations")
        self.org_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
        root = org.list_roots()["Roots"][0]["Id"]
        self.root = root

        def ou(parent, name):
            return org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]

        self.ous = {"Security": ou(root, "Security"), "Infrastructure": ou(root, "Infrastructure"),
                    "Workloads": ou(root, "Workloads")}
        for child in ("Prod", "Staging", "Dev"):
            self.ous[child] = ou(self.ous["Workloads"], child)
        # Path of each OU below the root, for the manifest.
        ou_path = {"Security": "Security", "Infrastructure": "Infrastructure", "Workloads": "Workloads",
                   "Prod": "Workloads/Prod", "Staging": "Workloads/Staging", "Dev": "Workloads/Dev"}

        self.accounts.append({"id": MANAGEMENT, "name": "management", "role": "management", "ou": "Root"})
        self.by_role = {"management": MANAGEMENT}
        for name, role, ouname in [("phi-security", "security", "Security"), ("phi-logs", "logs", "Infrastructure"),
                                   ("phi-prod", "prod", "Prod"), ("phi-staging", "staging", "Staging"),
                                   ("phi-dev", "dev", "Dev")]:
            st = org.create_account(Email=f"aws+{name}@example.com", AccountName=name,
                                    Tags=[{"Key": "phiguard:role", "Value": role}])["CreateAccountStatus"]
            while st["State"] == "IN_PROGRESS":
                time.sleep(0.1)
                st = org.describe_create_account_status(CreateAccountRequestId=st["Id"])["CreateAccountStatus"]
            acct = st["AccountId"]
            org.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=self.ous[ouname])
            self.accounts.append({"id": acct, "name": name, "role": role, "ou": ou_path[ouname]})
            self.by_role[role] = acct
        log("accounts:", self.by_role)

        m = MANAGEMENT
        self.exp("ORG-1", m, "global", m, "pass", "CreateOrganization FeatureSet=ALL (organization finding named by the management account id)")
        self.exp("ORG-2", m, "global", m, "pass", "accounts in OUs Workloads/Prod, Workloads/Staging, Workloads/Dev, Security, Infrastructure (logs); also tagged phiguard:role")
        self.exp("ORG-4", m, "global", m, "pass", "security and logs are two accounts, neither a workload account nor the management account")

    def scp(self, name, statements, targets):
        org = self.client(MANAGEMENT, "organizations")
        pid = org.create_policy(Name=name, Type="SERVICE_CONTROL_POLICY", Description=f"phiguard estate: {name}",
                                Content=json.dumps({"Version": "2012-10-17", "Statement": statements}))["Policy"]["PolicySummary"]["Id"]
        for t in targets:
            org.attach_policy(PolicyId=pid, TargetId=t)
        return pid

    def build_scps(self):
        r = self.by_role
        self.scp("region-guardrail", [{
            "Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
            "NotAction": ["iam:*", "organizations:*", "sts:*", "cloudfront:*", "route53:*", "support:*", "budgets:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": APPROVED}}}], [self.root])
        self.scp("deny-public-s3", [{
            "Sid": "DenyBlockPublicAccessChanges", "Effect": "Deny",
            "Action": ["s3:PutBucketPublicAccessBlock", "s3:PutAccountPublicAccessBlock"], "Resource": "*"}], [self.root])
        # CloudTrail protection on Workloads only: the security account is not covered.
        self.scp("protect-cloudtrail", [{
            "Sid": "DenyTrailChanges", "Effect": "Deny",
            "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"],
            "Resource": "*"}], [self.ous["Workloads"]])
        # The logs account is covered by a wildcard, attached to its OU.
        self.scp("infrastructure-lockdown", [{
            "Sid": "DenyAllCloudTrail", "Effect": "Deny", "Action": ["cloudtrail:*"], "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}}}], [self.ous["Infrastructure"]])
        # KMS protection attached to the prod account itself, with a break-glass exemption (counts).
        self.scp("protect-kms", [{
            "Sid": "DenyKeyDeletion", "Effect": "Deny", "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
            "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass"]}}}], [r["prod"]])
        # A KMS deny whose condition is not a principal exemption: does not count for staging.
        self.scp("protect-kms-outside-us-east-1", [{
            "Sid": "DenyKeyDeletionElsewhere", "Effect": "Deny", "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
            "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}], [r["staging"]])
        # IAM users denied on the Prod OU only.
        self.scp("deny-iam-users", [{
            "Sid": "DenyIamUsers", "Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey"], "Resource": "*"}],
            [self.ous["Prod"]])
        # Dev denies CreateUser but not CreateAccessKey: incomplete.
        self.scp("deny-iam-create-user-only", [{
            "Sid": "DenyCreateUser", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}], [self.ous["Dev"]])

        # Account-level S3 Block Public Access: all four on except in dev.
        for role in ("management", "security", "logs", "prod", "staging", "dev"):
            acct = r[role] if role != "management" else MANAGEMENT
            full = role != "dev"
            self.client(acct, "s3control").put_public_access_block(AccountId=acct, PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": full})

        members = {role: r[role] for role in ("security", "logs", "prod", "staging", "dev")}
        for role, acct in members.items():
            g = "global"
            if role == "dev":
                self.exp("SCP-1", acct, g, acct, "fail", "deny-public-s3 at the root, but account Block Public Access has RestrictPublicBuckets=false")
            else:
                self.exp("SCP-1", acct, g, acct, "pass", "deny-public-s3 attached at the root; account Block Public Access has all four settings")
            if role == "security":
                self.exp("SCP-2", acct, g, acct, "fail", "protect-cloudtrail is attached to Workloads only; nothing on the Security OU or the root denies cloudtrail:StopLogging")
            elif role == "logs":
                self.exp("SCP-2", acct, g, acct, "pass", "infrastructure-lockdown on the Infrastructure OU denies cloudtrail:* (wildcard), exempting only a break-glass role")
            else:
                self.exp("SCP-2", acct, g, acct, "pass", "protect-cloudtrail attached to the Workloads OU, on this account's path")
            self.exp("SCP-3", acct, g, acct, "pass", "region-guardrail at the root denies aws:RequestedRegion outside us-east-1, us-west-2 with global services exempted")
            if role == "prod":
                self.exp("SCP-4", acct, g, acct, "pass", "protect-kms attached to the account itself; its condition only exempts a break-glass role")
            elif role == "staging":
                self.exp("SCP-4", acct, g, acct, "fail", "the only KMS deny in effect is conditioned on aws:RequestedRegion, which is not a principal exemption")
            else:
                self.exp("SCP-4", acct, g, acct, "fail", "no KMS deletion deny on the root, its OU path or the account")
            if role == "prod":
                self.exp("SCP-5", acct, g, acct, "pass", "deny-iam-users attached to the Prod OU denies iam:CreateUser and iam:CreateAccessKey")
            elif role == "dev":
                self.exp("SCP-5", acct, g, acct, "fail", "the Dev OU denies iam:CreateUser but not iam:CreateAccessKey")
            else:
                self.exp("SCP-5", acct, g, acct, "fail", "deny-iam-users is attached to the Prod OU, not on this account's path")
        # GuardDuty is administered from the security account.
        org = self.client(MANAGEMENT, "organizations")
        org.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
        org.register_delegated_administrator(AccountId=r["security"], ServicePrincipal="guardduty.amazonaws.com")
        for region in self.regions:
            self.client(MANAGEMENT, "guardduty", region).enable_organization_admin_account(AdminAccountId=r["security"])
        for rule in ("SCP-1", "SCP-2", "SCP-3", "SCP-4", "SCP-5"):
            self.exp(rule, MANAGEMENT, "global", MANAGEMENT, "fail", "the management account is never bound by SCPs: reported as information",
                     severity="info")


# What moto answers differently from AWS in this estate (MOTO_GAPS.md has the rest).
MOTO_NOTES = [
    "moto creates the AWS-managed keys aws/dynamodb, aws/secretsmanager and aws/ebs as real keys when a service uses them, "
    "but DescribeKey reports KeyManager=CUSTOMER and rotation off: an ENC-1 finding on them is a moto artefact; "
    "the alias (ListAliases) is the only sign that they are AWS-managed. Other aws/* aliases point at key ids that DescribeKey does not know",
    "RDS instances with ManageMasterUserPassword get a secret rds!db-<uuid> whose RotationEnabled is absent (AWS turns rotation on, 7 days): "
    "SEC-1 findings on rds!db-* secrets are a moto artefact",
    "elbv2 DescribeListeners reports SslPolicy ELBSecurityPolicy-2016-08 on plain HTTP listeners: TLS-2 must judge only HTTPS/TLS listeners",
    "the organization trail does not appear in the member accounts' DescribeTrails (AWS shows it there)",
    "Security Hub is enabled (EnableSecurityHub) outside dev, but GetEnabledStandards is not implemented: MON-2 has no expectation",
    "GuardDuty DescribeOrganizationConfiguration is not implemented: MON-1 expects only the fails of accounts and regions without a detector",
    "Inspector BatchGetAccountStatus answers [] for an account never enabled (dev): MON-5 has no expectation there",
    "backup ListBackupSelections/CreateBackupSelection are not implemented: BAK-1 has no expectation; "
    "ListRestoreTestingPlans/ListRestoreJobs are not implemented: BAK-4 has none",
    "moto has no artifact service (BAA-1) and no EKS add-ons or pod identity associations (EKS-1, EKS-2)",
]


def short(region):
    return region.replace("us-east-1", "use1").replace("us-west-2", "usw2").replace("-", "")


def policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def lambda_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


class Planting(Estate):
    """The resources, per account and region."""

    def plant_all(self):
        r = self.by_role
        self.plant_logs_and_trail()
        for role in ("prod", "staging", "dev"):
            acct = r[role]
            self.plant_iam(acct, role)
            for region in self.regions:
                log(f"planting {role} {acct} {region}")
                self.plant_workload(acct, role, region)
                self.plant_monitoring(acct, role, region)
        for role in ("security", "logs"):
            acct = r[role]
            self.plant_iam(acct, role)
            for region in self.regions:
                self.plant_monitoring(acct, role, region)
        self.plant_management()

    # --- KMS -------------------------------------------------------------
    def keys(self, acct, region):
        """A rotating, org-restricted key (the one the good twins use), a
        key that does not rotate, and a key open to Principal "*"."""
        kms = self.client(acct, "kms", region)
        tag = short(region)
        good = kms.create_key(Description=f"phi data {tag}")["KeyMetadata"]
        kms.enable_key_rotation(KeyId=good["KeyId"])
        kms.put_key_policy(KeyId=good["KeyId"], PolicyName="default", Policy=policy([
            {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "OrgUse", "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": self.org_id}}}]))
        kms.create_alias(AliasName=f"alias/phi-{tag}", TargetKeyId=good["KeyId"])
        norot = kms.create_key(Description=f"no rotation {tag}")["KeyMetadata"]
        public = kms.create_key(Description=f"open policy {tag}")["KeyMetadata"]
        kms.enable_key_rotation(KeyId=public["KeyId"])
        kms.put_key_policy(KeyId=public["KeyId"], PolicyName="default", Policy=policy([
            {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]))
        self.exp("ENC-1", acct, region, good["KeyId"], "pass", "customer-managed key, EnableKeyRotation")
        self.exp("ENC-1", acct, region, norot["KeyId"], "fail", "customer-managed key, rotation never enabled")
        self.exp("ENC-1", acct, region, public["KeyId"], "pass", "customer-managed key, EnableKeyRotation")
        self.exp("ENC-6", acct, region, good["KeyId"], "pass", "the Principal \"*\" statement is conditioned on aws:PrincipalOrgID")
        self.exp("ENC-6", acct, region, norot["KeyId"], "pass", "default key policy (the account root), Enabled")
        self.exp("ENC-6", acct, region, public["KeyId"], "fail", "Allow kms:Decrypt to Principal \"*\" with no organization condition")
        return good["Arn"], good["KeyId"]

    # --- S3 --------------------------------------------------------------
    def bucket(self, acct, region, name, **kw):
        s3 = self.client(acct, "s3", region)
        args = {"Bucket": name}
        if region != "us-east-1":
            args["CreateBucketConfiguration"] = {"LocationConstraint": region}
        args.update(kw)
        s3.create_bucket(**args)
        return s3

    def plant_s3(self, acct, role, region, key_arn):
        tag = short(region)
        deny_http = lambda b: policy([{  # noqa: E731
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}])
        phi = {"TagSet": [{"Key": "phi", "Value": "true"}]}
        # Good twin: SSE-KMS with the customer key, TLS-only policy, PHI.
        b = f"{role}-{acct}-{tag}-phi-records"
        s3 = self.bucket(acct, region, b)
        s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}, "BucketKeyEnabled": True}]})
        s3.put_bucket_policy(Bucket=b, Policy=deny_http(b))
        s3.put_bucket_tagging(Bucket=b, Tagging=phi)
        self.exp("ENC-2", acct, region, b, "pass", "SSE-KMS default encryption under a customer-managed key")
        self.exp("TLS-5", acct, region, b, "pass", "phi=true; bucket policy denies aws:SecureTransport=false")
        # SSE-S3, PHI, no policy.
        b = f"{role}-{acct}-{tag}-phi-sse-s3"
        s3 = self.bucket(acct, region, b)
        s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "AES256"}}]})
        s3.put_bucket_tagging(Bucket=b, Tagging=phi)
        self.exp("ENC-2", acct, region, b, "fail", "SSE-S3 (AES256) default encryption")
        self.exp("TLS-5", acct, region, b, "fail", "phi=true and no bucket policy")
        # aws/s3 (aws:kms without a key id), PHI, policy that only allows.
        b = f"{role}-{acct}-{tag}-phi-aws-s3-key"
        s3 = self.bucket(acct, region, b)
        s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms"}}]})
        s3.put_bucket_tagging(Bucket=b, Tagging=phi)
        s3.put_bucket_policy(Bucket=b, Policy=policy([{
            "Sid": "ReadForApp", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{b}/*"}]))
        self.exp("ENC-2", acct, region, b, "fail", "aws:kms without KMSMasterKeyID: the AWS-managed aws/s3 key")
        self.exp("TLS-5", acct, region, b, "fail", "phi=true; the bucket policy has no aws:SecureTransport deny")
        # Not PHI, customer key: TLS-5 does not apply.
        b = f"{role}-{acct}-{tag}-build-cache"
        s3 = self.bucket(acct, region, b)
        s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}}]})
        s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "phi", "Value": "false"}]})
        self.exp("ENC-2", acct, region, b, "pass", "SSE-KMS under a customer-managed key (not in PHI scope: no TLS-5 finding expected)")

    # --- EC2: EBS, VPCs, endpoints, flow logs ----------------------------
    def plant_ebs(self, acct, role, region, key_arn):
        ec2 = self.client(acct, "ec2", region)
        az = region + "a"
        v = ec2.create_volume(Size=8, AvailabilityZone=az, Encrypted=True, KmsKeyId=key_arn,
                              TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "phi-data"}, {"Key": "phi", "Value": "true"}]}])
        self.exp("ENC-3", acct, region, v["VolumeId"], "pass", "Encrypted with the customer-managed key")
        v = ec2.create_volume(Size=8, AvailabilityZone=az,
                              TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "scratch"}]}])
        self.exp("ENC-3", acct, region, v["VolumeId"], "fail", "not encrypted")
        v = ec2.create_volume(Size=8, AvailabilityZone=az, Encrypted=True,
                              TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "default-key"}]}])
        self.exp("ENC-3", acct, region, v["VolumeId"], "fail",
                 "Encrypted without KmsKeyId: the AWS-managed aws/ebs key (moto: DescribeKey says CUSTOMER; only the alias aws/ebs tells)")
        # EBS encryption by default: on in prod everywhere, in staging only in us-east-1, off in dev.
        on = role == "prod" or (role == "staging" and region == "us-east-1")
        if on:
            ec2.enable_ebs_encryption_by_default()
            self.notes.append(f"{role} {region}: EBS encryption by default is on; GetEbsDefaultKmsKeyId is not implemented in moto, so the key part is unknown")
        else:
            self.exp("ENC-3", acct, region, "EbsEncryptionByDefault", "fail", "GetEbsEncryptionByDefault is false in this approved region")

    def plant_vpcs(self, acct, role, region):
        ec2 = self.client(acct, "ec2", region)
        logs = self.client(acct, "logs", region)
        kms_arn = self.key_arn[(acct, region)]
        tag = short(region)
        org_only = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": self.org_id}}}]})
        out = {}
        for kind, cidr in (("good", "10.10.0.0/16"), ("bad", "10.20.0.0/16")):
            vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[{"ResourceType": "vpc", "Tags": [
                {"Key": "Name", "Value": f"{role}-{kind}"}]}])["Vpc"]["VpcId"]
            subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace(".0.0/16", f".{i}.0/24"), AvailabilityZone=region + z)["Subnet"]["SubnetId"]
                       for i, z in ((1, "a"), (2, "b"))]
            rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            out[kind] = (vpc, subnets)
            if kind == "good":
                for svc in ("s3", "dynamodb"):
                    ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.{svc}", VpcEndpointType="Gateway",
                                                 RouteTableIds=[rt], PolicyDocument=org_only)["VpcEndpoint"]["VpcEndpointId"]
                    self.exp("NET-3", acct, region, ep, "pass", f"{svc} gateway endpoint policy: every Allow bounded by aws:PrincipalOrgID")
                for svc in ("secretsmanager", "kms", "sts", "logs", "ecr.api", "ecr.dkr"):
                    ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.{svc}", VpcEndpointType="Interface",
                                                 SubnetIds=subnets, PrivateDnsEnabled=True, PolicyDocument=org_only)["VpcEndpoint"]["VpcEndpointId"]
                    self.exp("NET-3", acct, region, ep, "pass", f"{svc} interface endpoint policy bounded by aws:PrincipalOrgID")
                self.exp("NET-1", acct, region, vpc, "pass", "S3 and DynamoDB gateway endpoints")
                self.exp("NET-2", acct, region, vpc, "pass", "interface endpoints for secretsmanager, kms, sts, logs, ecr.api, ecr.dkr")
                lg = f"/phiguard/flow/{role}-good"
                logs.create_log_group(logGroupName=lg, kmsKeyId=kms_arn)
                logs.put_retention_policy(logGroupName=lg, retentionInDays=400)
                fl = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="cloud-watch-logs",
                                          LogGroupName=lg, DeliverLogsPermissionArn=f"arn:aws:iam::{acct}:role/flow-logs")["FlowLogIds"][0]
                self.exp("FLOW-1", acct, region, vpc, "pass", "active flow log with TrafficType ALL")
                self.exp("FLOW-3", acct, region, fl, "pass", "destination log group has a customer-managed kmsKeyId")
                self.exp("RET-5", acct, region, lg, "pass", "flow-log group kept 400 days (>= 365)")
                # The isolation group: no ingress, and its default egress rule removed.
                sg = ec2.create_security_group(VpcId=vpc, GroupName="isolation", Description="incident isolation: no rules")["GroupId"]
                ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
                self.exp("IR-2", acct, region, vpc, "pass", f"security group {sg} has no inbound and no outbound rules")
                self.notes.append(f"IR-2: in {role} {region}, only VPC {vpc} holds an isolation group; the second VPC and the default VPC "
                                  "have none and no quarantine SCP exists: they fail with --complete, and have no finding without it")
            else:
                ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                                             RouteTableIds=[rt])["VpcEndpoint"]["VpcEndpointId"]
                self.exp("NET-3", acct, region, ep, "fail", "no policy: the default full-access endpoint policy")
                self.exp("NET-1", acct, region, vpc, "fail", "S3 gateway endpoint only, no DynamoDB gateway endpoint")
                self.exp("NET-2", acct, region, vpc, "fail", "no interface endpoints")
                lg = f"/phiguard/flow/{role}-bad"
                logs.create_log_group(logGroupName=lg)
                logs.put_retention_policy(logGroupName=lg, retentionInDays=30)
                fl = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="REJECT", LogDestinationType="cloud-watch-logs",
                                          LogGroupName=lg, DeliverLogsPermissionArn=f"arn:aws:iam::{acct}:role/flow-logs")["FlowLogIds"][0]
                self.exp("FLOW-1", acct, region, vpc, "fail", "the only flow log captures REJECT, not ALL")
                self.exp("FLOW-3", acct, region, fl, "fail", "destination log group has no kmsKeyId")
                self.exp("RET-5", acct, region, lg, "fail", "flow-log group kept 30 days (< 365)")
                ec2.create_security_group(VpcId=vpc, GroupName="app", Description="app tier")
        # An application log group with no retention: not audit or flow logs, no expectation.
        logs.create_log_group(logGroupName=f"/app/{role}/api")
        return out

    # --- ELB -------------------------------------------------------------
    def plant_elb(self, acct, role, region, vpcs):
        elb = self.client(acct, "elbv2", region)
        acm = self.client(acct, "acm", region)
        ec2 = self.client(acct, "ec2", region)
        cert = acm.request_certificate(DomainName=f"{role}.example.com")["CertificateArn"]
        for kind in ("good", "bad"):
            vpc, subnets = vpcs[kind]
            sg = ec2.create_security_group(VpcId=vpc, GroupName=f"alb-{kind}", Description="alb")["GroupId"]
            name = f"{role}-{short(region)}-{kind}"
            lb = elb.create_load_balancer(Name=name, Subnets=subnets, SecurityGroups=[sg], Scheme="internal", Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
            tg = elb.create_target_group(Name=f"{name}-tg", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
            if kind == "good":
                elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "redirect", "RedirectConfig": {
                    "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
                elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
                                    Certificates=[{"CertificateArn": cert}], DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
                self.exp("TLS-1", acct, region, f"{name}:80", "pass", "HTTP listener redirects to HTTPS")
                self.exp("TLS-2", acct, region, f"{name}:443", "pass", "ELBSecurityPolicy-TLS13-1-2-2021-06: minimum TLS 1.2")
            else:
                elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
                elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, SslPolicy="ELBSecurityPolicy-2016-08",
                                    Certificates=[{"CertificateArn": cert}], DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
                self.exp("TLS-1", acct, region, f"{name}:80", "fail", "HTTP listener forwards plain HTTP")
                self.exp("TLS-2", acct, region, f"{name}:443", "fail", "ELBSecurityPolicy-2016-08 allows TLS 1.0")

    # --- RDS, DynamoDB ---------------------------------------------------
    def plant_rds(self, acct, role, region, key_arn):
        rds = self.client(acct, "rds", region)
        tag = short(region)
        db = f"{role}-{tag}-patients"
        rds.create_db_instance(DBInstanceIdentifier=db, Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                               MasterUsername="app", ManageMasterUserPassword=True, StorageEncrypted=True, KmsKeyId=key_arn,
                               Tags=[{"Key": "phi", "Value": "true"}])
        self.exp("ENC-4", acct, region, db, "pass", "StorageEncrypted under the customer-managed key")
        self.exp("SEC-4", acct, region, db, "pass", "ManageMasterUserPassword: the master password is in Secrets Manager")
        db = f"{role}-{tag}-reporting"
        rds.create_db_instance(DBInstanceIdentifier=db, Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                               MasterUsername="app", MasterUserPassword="not-a-real-password-1", StorageEncrypted=False)
        self.exp("ENC-4", acct, region, db, "fail", "StorageEncrypted=false")
        self.exp("SEC-4", acct, region, db, "fail", "MasterUserPassword set as a literal; no MasterUserSecret")

    def plant_dynamodb(self, acct, role, region, key_arn):
        ddb = self.client(acct, "dynamodb", region)
        base = dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        ddb.create_table(TableName=f"{role}-encounters", SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn},
                         Tags=[{"Key": "phi", "Value": "true"}], **base)
        self.exp("ENC-5", acct, region, f"{role}-encounters", "pass", "SSE-KMS under the customer-managed key")
        ddb.create_table(TableName=f"{role}-sessions", **base)
        self.exp("ENC-5", acct, region, f"{role}-sessions", "fail", "no SSESpecification: the AWS-owned key")
        ddb.create_table(TableName=f"{role}-audit-index", SSESpecification={"Enabled": True, "SSEType": "KMS"}, **base)
        self.exp("ENC-5", acct, region, f"{role}-audit-index", "fail",
                 "SSE-KMS with the AWS-managed aws/dynamodb key (moto: that key's DescribeKey says KeyManager=CUSTOMER; only its alias aws/dynamodb tells)")

    # --- Secrets Manager -------------------------------------------------
    def plant_secrets(self, acct, role, region, key_arn):
        sm = self.client(acct, "secretsmanager", region)
        lam = self.client(acct, "lambda", region)
        role_arn = self.lambda_role(acct)
        fn = lam.create_function(FunctionName=f"{role}-rotate-secret", Runtime="python3.12", Role=role_arn, Handler="index.handler",
                                 Code={"ZipFile": lambda_zip()})["FunctionArn"]
        name = f"{role}/db/app"
        sm.create_secret(Name=name, SecretString="initial", KmsKeyId=key_arn)
        sm.rotate_secret(SecretId=name, RotationLambdaARN=fn, RotationRules={"AutomaticallyAfterDays": 30})
        self.exp("SEC-1", acct, region, name, "pass", "rotation enabled every 30 days (<= 90)")
        self.exp("SEC-3", acct, region, name, "pass", "KmsKeyId is the customer-managed key")
        name = f"{role}/api/partner-token"
        sm.create_secret(Name=name, SecretString="static")
        self.exp("SEC-1", acct, region, name, "fail", "rotation never enabled")
        self.exp("SEC-3", acct, region, name, "fail", "no KmsKeyId: the AWS-managed aws/secretsmanager key")
        name = f"{role}/legacy/quarterly"
        sm.create_secret(Name=name, SecretString="q", KmsKeyId=key_arn)
        sm.rotate_secret(SecretId=name, RotationLambdaARN=fn, RotationRules={"AutomaticallyAfterDays": 180})
        self.exp("SEC-1", acct, region, name, "fail", "rotation every 180 days (> 90)")

    def lambda_role(self, acct):
        iam = self.client(acct, "iam")
        try:
            return iam.get_role(RoleName="lambda-exec")["Role"]["Arn"]
        except iam.exceptions.NoSuchEntityException:
            arn = iam.create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=policy([{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]))["Role"]["Arn"]
            self.exp("IAM-5", acct, "global", "lambda-exec", "pass", "service principal only; MaxSessionDuration 3600 (the default)")
            return arn

    # --- ECR, Backup -----------------------------------------------------
    def plant_ecr(self, acct, role, region):
        ecr = self.client(acct, "ecr", region)
        ecr.create_repository(repositoryName=f"{role}/api", imageScanningConfiguration={"scanOnPush": True})
        self.exp("CVE-1", acct, region, f"{role}/api", "pass", "scanOnPush=true")
        ecr.create_repository(repositoryName=f"{role}/batch", imageScanningConfiguration={"scanOnPush": False})
        self.exp("CVE-1", acct, region, f"{role}/batch", "fail", "scanOnPush=false and the registry scanning is BASIC without rules")

    def plant_backup(self, acct, role, region, key_arn):
        bk = self.client(acct, "backup", region)
        other = [r for r in APPROVED if r != region][0]
        good = f"{role}-vault"
        bk.create_backup_vault(BackupVaultName=good, EncryptionKeyArn=key_arn)
        bk.put_backup_vault_lock_configuration(BackupVaultName=good, MinRetentionDays=35, MaxRetentionDays=3650)
        self.exp("BAK-3", acct, region, good, "pass", "EncryptionKeyArn is the customer-managed key; Vault Lock configured (Locked=true)")
        plain = f"{role}-vault-default-key"
        bk.create_backup_vault(BackupVaultName=plain)
        self.exp("BAK-3", acct, region, plain, "fail", "no EncryptionKeyArn given: the AWS-managed aws/backup key, and no Vault Lock")
        bk.create_backup_plan(BackupPlan={"BackupPlanName": f"{role}-daily-dr", "Rules": [{
            "RuleName": "daily", "TargetBackupVaultName": good, "ScheduleExpression": "cron(0 5 * * ? *)",
            "Lifecycle": {"DeleteAfterDays": 35},
            "CopyActions": [{"DestinationBackupVaultArn": f"arn:aws:backup:{other}:{acct}:backup-vault:{role}-vault"}]}]})
        self.exp("BAK-2", acct, region, f"{role}-daily-dr", "pass", f"copy action to a vault in {other}")
        bk.create_backup_plan(BackupPlan={"BackupPlanName": f"{role}-daily-local", "Rules": [{
            "RuleName": "daily", "TargetBackupVaultName": plain, "ScheduleExpression": "cron(0 6 * * ? *)"}]})
        self.exp("BAK-2", acct, region, f"{role}-daily-local", "fail", "no copy action")

    # --- workload account, one region ------------------------------------
    def plant_workload(self, acct, role, region):
        if not hasattr(self, "key_arn"):
            self.key_arn = {}
        key_arn, _ = self.keys(acct, region)
        self.key_arn[(acct, region)] = key_arn
        self.plant_s3(acct, role, region, key_arn)
        self.plant_ebs(acct, role, region, key_arn)
        vpcs = self.plant_vpcs(acct, role, region)
        self.plant_elb(acct, role, region, vpcs)
        self.plant_rds(acct, role, region, key_arn)
        self.plant_dynamodb(acct, role, region, key_arn)
        self.plant_secrets(acct, role, region, key_arn)
        self.plant_ecr(acct, role, region)
        self.plant_backup(acct, role, region, key_arn)
        for planter in extra_planters():
            planter(self, acct, role, region, key_arn, vpcs)

    # --- IAM, per account ------------------------------------------------
    def plant_iam(self, acct, role):
        iam = self.client(acct, "iam")
        g = "global"
        self.exp("IAM-2", acct, g, "root", "fail", "GetAccountSummary AccountMFAEnabled=0 (moto offers no way to give the root user MFA)")
        if role == "security":
            # No IAM users at all here.
            pass
        else:
            iam.create_user(UserName="ci-deploy")
            iam.create_access_key(UserName="ci-deploy")
            self.exp("IAM-1", acct, g, "ci-deploy", "fail", "an IAM user with an active access key")
            iam.create_user(UserName="clinician-portal")
            iam.create_login_profile(UserName="clinician-portal", Password="Example-Passw0rd-1!")
            self.exp("IAM-1", acct, g, "clinician-portal", "fail", "an IAM user (not a configured break-glass user)")
            self.exp("IAM-3", acct, g, "clinician-portal", "fail", "console password and no MFA device")
            iam.create_user(UserName="oncall-admin")
            iam.create_login_profile(UserName="oncall-admin", Password="Example-Passw0rd-2!")
            mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="oncall-admin")["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName="oncall-admin", SerialNumber=mfa, AuthenticationCode1="123456", AuthenticationCode2="654321")
            self.exp("IAM-3", acct, g, "oncall-admin", "pass", "console password with a virtual MFA device")
            self.exp("IAM-1", acct, g, "oncall-admin", "fail", "an IAM user (not a configured break-glass user)")
        # Humans: an IAM user of this account, or (security has no users) the
        # management account's on-call user.
        human = f"arn:aws:iam::{acct if role != 'security' else MANAGEMENT}:user/oncall-admin"
        iam.create_role(RoleName="human-admin-nomfa", MaxSessionDuration=3600, AssumeRolePolicyDocument=policy([{
            "Effect": "Allow", "Principal": {"AWS": human}, "Action": "sts:AssumeRole"}]))
        self.exp("IAM-5", acct, g, "human-admin-nomfa", "fail", "assumable by an IAM user (oncall-admin) without aws:MultiFactorAuthPresent")
        iam.create_role(RoleName="human-admin-mfa", MaxSessionDuration=43200, AssumeRolePolicyDocument=policy([{
            "Effect": "Allow", "Principal": {"AWS": human}, "Action": "sts:AssumeRole",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]))
        self.exp("IAM-5", acct, g, "human-admin-mfa", "pass", "requires aws:MultiFactorAuthPresent; MaxSessionDuration 43200 (12 h)")
        iam.create_role(RoleName="batch-worker-24h", MaxSessionDuration=86400, AssumeRolePolicyDocument=policy([{
            "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
        self.exp("IAM-5", acct, g, "batch-worker-24h", "fail", "MaxSessionDuration 86400 (> 12 h; moto accepts what AWS would refuse)")
        if acct != MANAGEMENT:
            self.exp("IAM-5", acct, g, ORG_ROLE, "fail",
                     "created by CreateAccount: trusts the management account's root (an account principal) without MFA")
        iam.create_role(RoleName="app-worker", MaxSessionDuration=3600, AssumeRolePolicyDocument=policy([{
            "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
        self.exp("IAM-5", acct, g, "app-worker", "pass", "service principal only; MaxSessionDuration 3600")

    # --- detection services, per account and region ----------------------
    def plant_monitoring(self, acct, role, region):
        # The default VPC moto creates in every account and region: every VPC
        # counts as a workload VPC, and this one has no endpoints and no flow log.
        ec2 = self.client(acct, "ec2", region)
        for vpc in [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]]:
            self.exp("FLOW-1", acct, region, vpc, "fail", "the default VPC has no flow log")
            self.exp("NET-1", acct, region, vpc, "fail", "the default VPC has no S3 or DynamoDB gateway endpoint")
            self.exp("NET-2", acct, region, vpc, "fail", "the default VPC has no interface endpoints")
        east = region == "us-east-1"
        # GuardDuty: everywhere except dev and staging's us-west-2.
        if role == "dev" or (role == "staging" and not east):
            self.exp("MON-1", acct, region, "GuardDuty", "fail", "ListDetectors is empty in this account and region: GuardDuty not enabled")
        else:
            self.client(acct, "guardduty", region).create_detector(Enable=True)
        # Security Hub: enabled except in dev.
        if role != "dev":
            self.client(acct, "securityhub", region).enable_security_hub(EnableDefaultStandards=False)
        # Macie: moto starts every account and region ENABLED; disable it in dev.
        mac = self.client(acct, "macie2", region)
        if role == "dev":
            mac.disable_macie()
            self.exp("MON-3", acct, region, "Macie", "fail", "DisableMacie: GetMacieSession raises (moto: ResourceNotFoundException; AWS: AccessDeniedException)")
        else:
            self.exp("MON-3", acct, region, "Macie", "unknown",
                     "GetMacieSession says ENABLED, but moto writes createdAt without a time zone, which the AWS SDK refuses "
                     "as malformed: a collection error, so unknown (the mocked-services test reads an enabled session)")
        # Config: a full recorder with a delivery channel, except dev (none) and
        # staging us-west-2 (a recorder without a delivery channel).
        if role != "dev":
            cfg = self.client(acct, "config", region)
            cfg.put_configuration_recorder(ConfigurationRecorder={
                "name": "default", "roleARN": f"arn:aws:iam::{acct}:role/aws-config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
            if role == "staging" and not east:
                self.exp("MON-4", acct, region, "default", "fail", "a recorder but no delivery channel")
            else:
                cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": self.trail_bucket})
                cfg.start_configuration_recorder(ConfigurationRecorderName="default")
                self.exp("MON-4", acct, region, "default", "pass", "recorder allSupported + global types, recording, delivery channel")
        else:
            self.exp("MON-4", acct, region, "Config", "fail", "no configuration recorder: the collector records the service as off")
        # Inspector: EC2+ECR in prod, security and logs; EC2 only in staging; never in dev.
        if role != "dev":
            types = ["EC2"] if role == "staging" else ["EC2", "ECR"]
            self.client(acct, "inspector2", region).enable(resourceTypes=types, accountIds=[acct])
            if role == "staging":
                self.exp("MON-5", acct, region, "Inspector", "fail", "Inspector enabled for EC2 but not ECR")
            else:
                self.exp("MON-5", acct, region, "Inspector", "pass", "Inspector enabled for EC2 and ECR")

    # --- the log archive and the organization trail ----------------------
    def plant_logs_and_trail(self):
        logs_acct = self.by_role["logs"]
        m = MANAGEMENT
        bucket = f"phiguard-org-trail-{logs_acct}"
        self.trail_bucket = bucket
        s3 = self.bucket(logs_acct, "us-east-1", bucket, ObjectLockEnabledForBucket=True)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 2190}}})
        lkms = self.client(logs_acct, "kms")
        lkey = lkms.create_key(Description="log archive")["KeyMetadata"]
        lkms.enable_key_rotation(KeyId=lkey["KeyId"])
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": lkey["Arn"]}}]})
        s3.put_bucket_policy(Bucket=bucket, Policy=policy([
            {"Sid": "TrailAcl", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl",
             "Resource": f"arn:aws:s3:::{bucket}"},
            {"Sid": "TrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
            {"Sid": "DenyDeletes", "Effect": "Deny", "Principal": "*", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket"],
             "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]))
        self.exp("ENC-2", logs_acct, "us-east-1", bucket, "pass", "SSE-KMS under the log archive's customer-managed key")
        self.exp("ENC-1", logs_acct, "us-east-1", lkey["KeyId"], "pass", "customer-managed key, EnableKeyRotation")

        # The trail's key, in the management account.
        kms = self.client(m, "kms")
        tkey = kms.create_key(Description="organization trail")["KeyMetadata"]
        kms.enable_key_rotation(KeyId=tkey["KeyId"])
        self.exp("ENC-1", m, "us-east-1", tkey["KeyId"], "pass", "customer-managed key, EnableKeyRotation")
        ct = self.client(m, "cloudtrail")
        trail = "phiguard-org-trail"
        ct.create_trail(Name=trail, S3BucketName=bucket, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True,
                        EnableLogFileValidation=True, KmsKeyId=tkey["Arn"], IsOrganizationTrail=True)
        ct.put_event_selectors(TrailName=trail, AdvancedEventSelectors=[
            {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
            {"Name": "S3 data events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                          {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]},
            {"Name": "DynamoDB data events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                                                {"Field": "resources.type", "Equals": ["AWS::DynamoDB::Table"]}]}])
        ct.start_logging(Name=trail)
        r = "us-east-1"
        self.exp("LOG-1", m, r, trail, "pass", "IsOrganizationTrail, IsMultiRegionTrail, IncludeGlobalServiceEvents, StartLogging")
        self.exp("LOG-2", m, r, trail, "pass", "advanced selector eventCategory=Management with no readOnly field: read and write")
        self.exp("LOG-3", m, r, trail, "pass", "advanced selectors for AWS::S3::Object and AWS::DynamoDB::Table data events")
        self.exp("LOG-4", m, r, trail, "pass", "LogFileValidationEnabled and KmsKeyId is a customer-managed key")
        # RET-1..4 judge the trail's bucket: findings on the bucket, in the logs account.
        la = logs_acct
        self.exp("RET-1", la, r, bucket, "pass", f"the organization trail's bucket belongs to the logs account")
        self.exp("RET-2", la, r, bucket, "pass", "Object Lock default retention COMPLIANCE 2190 days")
        self.exp("RET-3", la, r, bucket, "unknown", "moto answers GetBucketVersioning of a versioned bucket with the root element "
                 "GetBucketVersioningResponse, not VersioningConfiguration: the SDK refuses it as malformed, so unknown "
                 "(the mocked-services test reads MFA Delete from a documented response)")
        self.exp("RET-4", la, r, bucket, "pass", "no lifecycle rules; the bucket policy allows only the CloudTrail service and denies deletes")
        self.notes.append("LOG-1..4 are named by the organization trail, in its home region us-east-1 of the management account; "
                          "RET-1..4 by its bucket, in the logs account")

        # A bad local trail in dev: single region, no validation, no KMS,
        # delivering to a plain bucket of the dev account.
        dev = self.by_role["dev"]
        dbucket = f"dev-{dev}-local-trail"
        ds3 = self.bucket(dev, "us-east-1", dbucket)
        ds3.put_bucket_lifecycle_configuration(Bucket=dbucket, LifecycleConfiguration={"Rules": [{
            "ID": "expire-90", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 90}}]})
        self.client(dev, "cloudtrail").create_trail(Name="dev-local-trail", S3BucketName=dbucket)
        self.notes.append(f"dev account {dev}: trail dev-local-trail is single-region, without log file validation or KMS, "
                          f"delivering to {dbucket} (90-day expiration, no Object Lock); it is not an organization trail")

    # --- the management account ------------------------------------------
    def plant_management(self):
        m = MANAGEMENT
        ec2 = self.client(m, "ec2")
        ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "legacy-jumpbox"}]}])
        self.client(m, "lambda").create_function(FunctionName="billing-export", Runtime="python3.12", Role=self.lambda_role(m),
                                                 Handler="index.handler", Code={"ZipFile": lambda_zip()})
        self.exp("ORG-3", m, "global", m, "fail", "the management account runs an EC2 instance (legacy-jumpbox) and a Lambda function (billing-export) in us-east-1")
        self.plant_iam(m, "management")
        for region in self.regions:
            self.plant_monitoring(m, "management", region)


def extra_planters():
    """The `plant(estate, acct, role, region, key_arn, vpcs)` function of each
    `plant_*.py` beside this script, in name order: one file per group of
    data stores, so that adding a service does not touch this file."""
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    found = []
    for name in sorted(os.listdir(here)):
        if name.startswith("plant_") and name.endswith(".py"):
            spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(here, name))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            found.append(mod.plant)
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--regions", default=",".join(APPROVED))
    args = ap.parse_args()
    regions = [r for r in args.regions.split(",") if r]
    t0 = time.time()
    est = Planting(args.endpoint, regions)
    est.build_org()
    est.build_scps()
    est.plant_all()
    est.notes.extend(MOTO_NOTES)
    log(f"estate built in {time.time() - t0:.1f}s: {len(est.expect)} expectations")
    json.dump({"management": MANAGEMENT, "organization": est.org_id, "accounts": est.accounts, "regions": regions,
               "expect": est.expect, "notes": est.notes}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
