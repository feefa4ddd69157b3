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
        elif kind == "trail":
            v = {t["Name"] for t in c("cloudtrail").describe_trails()["trailList"]}
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
        if rule.startswith(("SCP-", "ORG-")):
            if name not in account_ids or region != "global":
                bad.append(f"{key}: SCP/ORG findings name an account, region global")
            continue
        kind = kinds.get(rule)
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
        if rule == "CVE-1" and found[name] != (outcome == "pass"):
            bad.append(f"{key}: scanOnPush={found[name]} but outcome {outcome}")
        if rule == "ENC-4" and bool(found[name]["StorageEncrypted"] and found[name].get("KmsKeyId")) != (outcome == "pass"):
            bad.append(f"{key}: StorageEncrypted={found[name]['StorageEncrypted']} KmsKeyId={found[name].get('KmsKeyId')} but outcome {outcome}")
        if rule == "SEC-4" and bool(found[name].get("MasterUserSecret")) != (outcome == "pass"):
            bad.append(f"{key}: MasterUserSecret={found[name].get('MasterUserSecret')} but outcome {outcome}")
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
        if rule == "TLS-1":
            li = found[name]
            ok = li["Protocol"] == "HTTP" and li["DefaultActions"][0]["Type"] == "redirect" and li["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
            if ok != (outcome == "pass"):
                bad.append(f"{key}: listener {li['Protocol']} {li['DefaultActions'][0]['Type']} but outcome {outcome}")
    for b in bad:
        print("MISMATCH", b)
    print(f"{len(m['expect']) - len(bad)} passed, {len(bad)} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
