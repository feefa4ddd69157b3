"""Checks a build_org.py manifest against the moto server that holds its
estate, independently of phiguard: every expected finding must name a
resource that exists in that account and region, and for the rules whose
deciding field is a single API value, that value must agree with the expected
outcome. Exits 1 and lists the disagreements otherwise.

    $PHIGUARD_PYTHON check_manifest.py --endpoint URL manifest.json
"""

import argparse
import json
import os
import sys

import boto3
from botocore.config import Config

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
CFG = Config(retries={"max_attempts": 2})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("manifest")
    args = ap.parse_args()
    E = args.endpoint
    m = json.load(open(args.manifest))
    mgmt = m["management"]
    sessions = {}

    def client(acct, svc, region="us-east-1"):
        if acct not in sessions:
            if acct == mgmt:
                sessions[acct] = boto3.Session()
            else:
                c = boto3.client("sts", endpoint_url=E, region_name="us-east-1", config=CFG).assume_role(
                    RoleArn=f"arn:aws:iam::{acct}:role/PhiguardAudit", RoleSessionName="phiguard-check")["Credentials"]
                sessions[acct] = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                               aws_session_token=c["SessionToken"])
        return sessions[acct].client(svc, endpoint_url=E, region_name=region if region != "global" else "us-east-1", config=CFG)

    cache = {}

    def listing(acct, region, kind):
        key = (acct, region, kind)
        if key in cache:
            return cache[key]
        c = lambda s: client(acct, s, region)  # noqa: E731
        if kind == "kms":
            v = {k["KeyId"]: c("kms").get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"] for k in c("kms").list_keys()["Keys"]}
        elif kind == "bucket":
            s3 = c("s3")
            v = {b["Name"]: (s3.get_bucket_location(Bucket=b["Name"])["LocationConstraint"] or "us-east-1") for b in s3.list_buckets()["Buckets"]}
        elif kind == "volume":
            v = {x["VolumeId"]: (x["Encrypted"], x.get("KmsKeyId")) for x in c("ec2").describe_volumes()["Volumes"]}
        elif kind == "db":
            v = {d["DBInstanceIdentifier"]: d for d in c("rds").describe_db_instances()["DBInstances"]}
        elif kind == "rds":
            v = {d["DBInstanceIdentifier"]: d for d in c("rds").describe_db_instances()["DBInstances"]}
            v.update({d["DBClusterIdentifier"]: d for d in c("rds").describe_db_clusters()["DBClusters"]})
        elif kind == "table":
            v = set(c("dynamodb").list_tables()["TableNames"])
        elif kind == "listener":
            elb = c("elbv2")
            v = {}
            for lb in elb.describe_load_balancers()["LoadBalancers"]:
                for li in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]:
                    v[f"{lb['LoadBalancerName']}:{li['Port']}"] = li
        elif kind == "vpc":
            v = {x["VpcId"] for x in c("ec2").describe_vpcs()["Vpcs"]}
        elif kind == "endpoint":
            v = {x["VpcEndpointId"] for x in c("ec2").describe_vpc_endpoints()["VpcEndpoints"]}
        elif kind == "flowlog":
            v = {x["FlowLogId"]: x for x in c("ec2").describe_flow_logs()["FlowLogs"]}
        elif kind == "loggroup":
            v = {g["logGroupName"]: g for g in c("logs").describe_log_groups()["logGroups"]}
        elif kind == "user":
            v = {u["UserName"] for u in c("iam").list_users()["Users"]}
        elif kind == "role":
            v = {r["RoleName"]: r for r in c("iam").list_roles()["Roles"]}
        elif kind == "secret":
            v = {s["Name"]: s for s in c("secretsmanager").list_secrets()["SecretList"]}
        elif kind == "repo":
            v = {r["repositoryName"]: r["imageScanningConfiguration"]["scanOnPush"] for r in c("ecr").describe_repositories()["repositories"]}
        elif kind == "plan":
            v = {p["BackupPlanName"] for p in c("backup").list_backup_plans()["BackupPlansList"]}
        elif kind == "vault":
            v = {x["BackupVaultName"] for x in c("backup").list_backup_vaults()["BackupVaultList"]}
        elif kind == "queue":
            sqs = c("sqs")
            v = {}
            for u in sqs.list_queues().get("QueueUrls", []):
                v[u.rsplit("/", 1)[-1]] = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
        elif kind == "topic":
            sns = c("sns")
            v = {t["TopicArn"].rsplit(":", 1)[-1]: sns.get_topic_attributes(TopicArn=t["TopicArn"])["Attributes"]
                 for t in sns.list_topics()["Topics"]}
        elif kind == "stream":
            kin = c("kinesis")
            v = {n: kin.describe_stream_summary(StreamName=n)["StreamDescriptionSummary"] for n in kin.list_streams()["StreamNames"]}
        elif kind == "trail":
            v = {t["Name"] for t in c("cloudtrail").describe_trails()["trailList"]}
        elif kind == "snapshot":
            # name -> shared with everyone
            ec2, rds = c("ec2"), c("rds")
            v = {}
            for x in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
                if x["OwnerId"] == acct:
                    perms = ec2.describe_snapshot_attribute(SnapshotId=x["SnapshotId"], Attribute="createVolumePermission")
                    v[x["SnapshotId"]] = any(p.get("Group") == "all" for p in perms["CreateVolumePermissions"])
            for x in ec2.describe_images(Owners=["self"])["Images"]:
                v[x["ImageId"]] = bool(x.get("Public"))
            for x in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]:
                i = x["DBSnapshotIdentifier"]
                a = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=i)["DBSnapshotAttributesResult"]
                v[i] = any("all" in y.get("AttributeValues", []) for y in a["DBSnapshotAttributes"] if y["AttributeName"] == "restore")
            for x in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]:
                i = x["DBClusterSnapshotIdentifier"]
                a = rds.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier=i)["DBClusterSnapshotAttributesResult"]
                v[i] = any("all" in y.get("AttributeValues", []) for y in a["DBClusterSnapshotAttributes"] if y["AttributeName"] == "restore")
        elif kind == "sg":
            v = {g["GroupId"] for g in c("ec2").describe_security_groups()["SecurityGroups"]}
        elif kind == "function":
            v = {f["FunctionName"] for f in c("lambda").list_functions()["Functions"]}
        elif kind == "resource-policy":
            v = listing(acct, region, "function") | set(listing(acct, region, "kms")) | set(listing(acct, region, "secret"))
        elif kind == "domain":
            osc = c("opensearch")
            names = [d["DomainName"] for d in osc.list_domain_names()["DomainNames"]]
            v = {}
            for i in range(0, len(names), 5):
                v.update({d["DomainName"]: d for d in osc.describe_domains(DomainNames=names[i:i + 5])["DomainStatusList"]})
        if kind == "cache":
            ec = c("elasticache")
            v = {g["ReplicationGroupId"] for g in ec.describe_replication_groups()["ReplicationGroups"]}
            v |= {x["CacheClusterId"] for x in ec.describe_cache_clusters()["CacheClusters"] if not x.get("ReplicationGroupId")}
        if kind == "warehouse":
            v = {x["ClusterIdentifier"] for x in c("redshift").describe_clusters()["Clusters"]}
        cache[key] = v
        return v

    kinds = {"ENC-1": "kms", "ENC-6": "kms", "ENC-2": "bucket", "TLS-5": "bucket", "ENC-3": "volume", "ENC-4": "db", "SEC-4": "db",
             "ENC-5": "table", "TLS-1": "listener", "TLS-2": "listener", "NET-1": "vpc", "NET-2": "vpc", "FLOW-1": "vpc",
             "NET-3": "endpoint", "FLOW-3": "flowlog", "RET-5": "loggroup", "IAM-1": "user", "IAM-3": "user", "IAM-5": "role",
             "SEC-1": "secret", "SEC-3": "secret", "CVE-1": "repo", "BAK-2": "plan", "BAK-3": "vault",
             "LOG-1": "trail", "LOG-2": "trail", "LOG-3": "trail", "LOG-4": "trail", "RET-1": "bucket", "RET-2": "bucket",
             "RET-3": "bucket", "RET-4": "bucket", "IR-2": "vpc"}
    kinds.update({"ENC-7": "queue", "ENC-8": "topic", "ENC-9": "stream"})
    kinds.update({"NET-7": "rds", "TLS-6": "rds", "BAK-5": "rds", "BAK-6": "rds", "BAK-7": "rds"})
    kinds.update({"NET-4": "bucket", "NET-6": "snapshot"})
    kinds.update({"NET-8": "sg", "NET-9": "function", "NET-10": "resource-policy"})
    kinds.update({"ENC-14": "domain", "TLS-8": "domain", "NET-11": "domain"})
    kinds.update({"ENC-15": "cache", "TLS-9": "cache", "ENC-16": "warehouse", "TLS-10": "warehouse"})
    services = {"GuardDuty", "SecurityHub", "Macie", "Config", "Inspector", "EbsEncryptionByDefault"}
    account_ids = {a["id"] for a in m["accounts"]}
    bad = []
    seen = set()
    for e in m["expect"]:
        rule, acct, region, name, outcome = e["rule"], e["account"], e["region"], e["name"], e["outcome"]
        key = (rule, acct, region, name)
        if key in seen:
            bad.append(f"duplicate expectation {key}")
        seen.add(key)
        if acct not in account_ids:
            bad.append(f"{key}: unknown account")
            continue
        if name in services or name == "root":
            if name == "EbsEncryptionByDefault":
                on = client(acct, "ec2", region).get_ebs_encryption_by_default()["EbsEncryptionByDefault"]
                if on == (outcome == "fail"):
                    bad.append(f"{key}: EbsEncryptionByDefault={on} but outcome {outcome}")
            continue
        if rule.startswith(("SCP-", "ORG-")) or rule == "NET-5":
            if name not in account_ids or region != "global":
                bad.append(f"{key}: SCP/ORG findings name an account, region global")
            continue
        kind = kinds.get(rule)
        if rule == "TLS-7":
            kind = "queue" if name in listing(acct, region, "queue") else "topic"
        if kind is None:
            bad.append(f"{key}: no check for this rule")
            continue
        if kind in ("user", "role") and region != "global":
            bad.append(f"{key}: IAM findings are global")
            continue
        if kind == "bucket":
            found = listing(acct, "us-east-1", "bucket")
            if name not in found:
                bad.append(f"{key}: no such bucket in the account")
            elif found[name] != region:
                bad.append(f"{key}: bucket is in {found[name]}")
            continue
        found = listing(acct, "us-east-1" if kind in ("user", "role") else region, kind)
        if name not in found:
            bad.append(f"{key}: no such {kind}")
            continue
        # The single-field rules.
        if rule == "ENC-1" and found[name] != (outcome == "pass"):
            bad.append(f"{key}: rotation={found[name]} but outcome {outcome}")
        if rule == "ENC-3" and (outcome == "pass") and not (found[name][0] and found[name][1]) or (
                rule == "ENC-3" and not found[name][0] and outcome != "fail"):
            bad.append(f"{key}: volume {found[name]} but outcome {outcome}")
        if rule == "NET-6" and found[name] != (outcome == "fail"):
            bad.append(f"{key}: public={found[name]} but outcome {outcome}")
        if rule == "CVE-1" and found[name] != (outcome == "pass"):
            bad.append(f"{key}: scanOnPush={found[name]} but outcome {outcome}")
        if rule == "ENC-4" and bool(found[name]["StorageEncrypted"] and found[name].get("KmsKeyId")) != (outcome == "pass"):
            bad.append(f"{key}: StorageEncrypted={found[name]['StorageEncrypted']} KmsKeyId={found[name].get('KmsKeyId')} but outcome {outcome}")
        if rule == "SEC-4" and bool(found[name].get("MasterUserSecret")) != (outcome == "pass"):
            bad.append(f"{key}: MasterUserSecret={found[name].get('MasterUserSecret')} but outcome {outcome}")
        if rule == "NET-7" and found[name].get("PubliclyAccessible") != (outcome == "fail"):
            bad.append(f"{key}: PubliclyAccessible={found[name].get('PubliclyAccessible')} but outcome {outcome}")
        if rule == "BAK-5" and bool(found[name].get("DeletionProtection")) != (outcome == "pass"):
            bad.append(f"{key}: DeletionProtection={found[name].get('DeletionProtection')} but outcome {outcome}")
        if rule == "BAK-7" and (found[name].get("BackupRetentionPeriod", 0) >= 7) != (outcome == "pass"):
            bad.append(f"{key}: BackupRetentionPeriod={found[name].get('BackupRetentionPeriod')} but outcome {outcome}")
        if rule == "RET-5" and (found[name].get("retentionInDays") or 10**9) < 365 and outcome == "pass":
            bad.append(f"{key}: retention {found[name].get('retentionInDays')} but pass")
        if rule == "SEC-1":
            s = found[name]
            ok = bool(s.get("RotationEnabled")) and s.get("RotationRules", {}).get("AutomaticallyAfterDays", 10**9) <= 90
            if ok != (outcome == "pass"):
                bad.append(f"{key}: rotation {s.get('RotationEnabled')} {s.get('RotationRules')} but outcome {outcome}")
        if rule == "SEC-3" and bool(found[name].get("KmsKeyId")) != (outcome == "pass"):
            bad.append(f"{key}: KmsKeyId={found[name].get('KmsKeyId')} but outcome {outcome}")
        if rule == "IAM-5" and found[name]["MaxSessionDuration"] > 43200 and outcome == "pass":
            bad.append(f"{key}: MaxSessionDuration {found[name]['MaxSessionDuration']} but pass")
        if rule in ("ENC-7", "ENC-8", "ENC-9"):
            k = found[name].get("KmsMasterKeyId") or found[name].get("KeyId") or ""
            if (outcome == "pass") != (k.startswith("arn:aws:kms:") and ":key/" in k):
                bad.append(f"{key}: key {k!r} but outcome {outcome}")
        if rule == "TLS-1":
            li = found[name]
            ok = li["Protocol"] == "HTTP" and li["DefaultActions"][0]["Type"] == "redirect" and li["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
            if ok != (outcome == "pass"):
                bad.append(f"{key}: listener {li['Protocol']} {li['DefaultActions'][0]['Type']} but outcome {outcome}")
        if rule == "ENC-14":
            ear = found[name].get("EncryptionAtRestOptions") or {}
            if bool(ear.get("Enabled") and ear.get("KmsKeyId")) != (outcome == "pass"):
                bad.append(f"{key}: EncryptionAtRestOptions={ear} but outcome {outcome}")
        if rule == "TLS-8":
            d = found[name]
            ep = d.get("DomainEndpointOptions") or {}
            ok = bool(ep.get("EnforceHTTPS")) and str(ep.get("TLSSecurityPolicy", "")).startswith("Policy-Min-TLS-1-2") \
                and bool((d.get("NodeToNodeEncryptionOptions") or {}).get("Enabled"))
            if ok != (outcome == "pass"):
                bad.append(f"{key}: DomainEndpointOptions={ep} but outcome {outcome}")
    for b in bad:
        print("MISMATCH", b)
    print(f"{len(m['expect']) - len(bad)} passed, {len(bad)} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
