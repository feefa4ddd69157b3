"""Builds phiguard's live-audit benchmark estate in a moto server.

    $PHIGUARD_PYTHON build_bench_estate.py --endpoint http://127.0.0.1:5599 \
        [--accounts 10] [--regions us-east-1,us-west-2] [--scale 1.0] [--threads 8]

An organization of --accounts accounts (the management account and
accounts-1 members), each holding, in every region, buckets, KMS keys, EBS
volumes, VPCs with subnets, security groups, log groups, secrets, DynamoDB
tables and ECR repositories, and per account IAM users and roles: about 5,000
resources at --scale 1 for 10 accounts and 2 regions. Roughly half of each
kind is compliant, half not. The caller resets moto first
(POST /moto-api/reset). Prints a JSON summary (counts per kind) on stdout.
"""

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.pop("AWS_PROFILE", None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

MANAGEMENT = "123456789012"
CFG = Config(retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=32)

# Per account and region, at --scale 1.
PER_REGION = {"bucket": 20, "kms_key": 20, "volume": 40, "vpc": 4, "subnet_per_vpc": 2, "security_group": 36,
              "log_group": 30, "secret": 20, "dynamodb_table": 20, "ecr_repository": 10}
# Per account (IAM is global).
PER_ACCOUNT = {"iam_role": 60, "iam_user": 20}

counts = Counter()
lock = threading.Lock()


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def count(kind, n=1):
    with lock:
        counts[kind] += n


def policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


class Bench:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.creds = {}

    def session(self, acct):
        if acct == MANAGEMENT:
            return boto3.Session(region_name="us-east-1")
        if acct not in self.creds:
            sts = boto3.client("sts", endpoint_url=self.endpoint, region_name="us-east-1", config=CFG)
            self.creds[acct] = sts.assume_role(RoleArn=f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole",
                                               RoleSessionName="phiguard-bench")["Credentials"]
        c = self.creds[acct]
        return boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                             aws_session_token=c["SessionToken"], region_name="us-east-1")

    def client(self, acct, svc, region):
        # One session per call site and thread: boto3 sessions are not thread-safe.
        return self.session(acct).client(svc, endpoint_url=self.endpoint, region_name=region, config=CFG)

    def org(self, n_accounts):
        org = self.client(MANAGEMENT, "organizations", "us-east-1")
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]["Id"]
        wl = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
        accounts = [MANAGEMENT]
        for i in range(1, n_accounts):
            acct = org.create_account(Email=f"aws+bench{i}@example.com", AccountName=f"bench-{i:02d}")["CreateAccountStatus"]["AccountId"]
            org.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=wl)
            accounts.append(acct)
        pid = org.create_policy(Name="deny-trail-changes", Type="SERVICE_CONTROL_POLICY", Description="bench",
                                Content=policy([{"Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*"}]))
        org.attach_policy(PolicyId=pid["Policy"]["PolicySummary"]["Id"], TargetId=wl)
        return accounts

    def region_estate(self, acct, idx, region, scale):
        n = lambda k: max(1, int(PER_REGION[k] * scale))  # noqa: E731
        tag = region.replace("-", "")
        kms = self.client(acct, "kms", region)
        keys = []
        for i in range(n("kms_key")):
            k = kms.create_key(Description=f"bench {i}")["KeyMetadata"]["Arn"]
            if i % 2 == 0:
                kms.enable_key_rotation(KeyId=k)
            keys.append(k)
        count("kms_key", len(keys))
        cmk = keys[0]
        s3 = self.client(acct, "s3", region)
        for i in range(n("bucket")):
            b = f"bench-{acct}-{tag}-{i:03d}"
            args = {"Bucket": b}
            if region != "us-east-1":
                args["CreateBucketConfiguration"] = {"LocationConstraint": region}
            s3.create_bucket(**args)
            rule = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": cmk} if i % 2 == 0 else {"SSEAlgorithm": "AES256"}
            s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": rule}]})
            if i % 3 == 0:
                s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "phi", "Value": "true"}]})
        count("bucket", n("bucket"))
        ec2 = self.client(acct, "ec2", region)
        for i in range(n("volume")):
            kw = {"Encrypted": True, "KmsKeyId": cmk} if i % 2 == 0 else {}
            ec2.create_volume(Size=1, AvailabilityZone=region + "a", **kw)
        count("ebs_volume", n("volume"))
        vpcs = []
        for v in range(n("vpc")):
            vpc = ec2.create_vpc(CidrBlock=f"10.{v}.0.0/16")["Vpc"]["VpcId"]
            vpcs.append(vpc)
            for s in range(PER_REGION["subnet_per_vpc"]):
                ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{v}.{s}.0/24", AvailabilityZone=region + "ab"[s % 2])
            count("subnet", PER_REGION["subnet_per_vpc"])
            if v % 2 == 0:
                ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway")
                count("vpc_endpoint")
        count("vpc", len(vpcs))
        for i in range(n("security_group")):
            ec2.create_security_group(VpcId=vpcs[i % len(vpcs)], GroupName=f"sg-{i:03d}", Description="bench")
        count("security_group", n("security_group"))
        logs = self.client(acct, "logs", region)
        for i in range(n("log_group")):
            g = f"/bench/{i:03d}"
            if i % 2 == 0:
                logs.create_log_group(logGroupName=g, kmsKeyId=cmk)
                logs.put_retention_policy(logGroupName=g, retentionInDays=400)
            else:
                logs.create_log_group(logGroupName=g)
        count("log_group", n("log_group"))
        sm = self.client(acct, "secretsmanager", region)
        for i in range(n("secret")):
            kw = {"KmsKeyId": cmk} if i % 2 == 0 else {}
            sm.create_secret(Name=f"bench/{i:03d}", SecretString="x", **kw)
        count("secret", n("secret"))
        ddb = self.client(acct, "dynamodb", region)
        for i in range(n("dynamodb_table")):
            kw = {"SSESpecification": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": cmk}} if i % 2 == 0 else {}
            ddb.create_table(TableName=f"bench-{i:03d}", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], **kw)
        count("dynamodb_table", n("dynamodb_table"))
        ecr = self.client(acct, "ecr", region)
        for i in range(n("ecr_repository")):
            ecr.create_repository(repositoryName=f"bench/{i:03d}", imageScanningConfiguration={"scanOnPush": i % 2 == 0})
        count("ecr_repository", n("ecr_repository"))
        if idx % 2 == 0:
            self.client(acct, "guardduty", region).create_detector(Enable=True)
        if idx % 3 == 0:
            self.client(acct, "ec2", region).enable_ebs_encryption_by_default()

    def account_iam(self, acct, scale):
        iam = self.client(acct, "iam", "us-east-1")
        for i in range(max(1, int(PER_ACCOUNT["iam_role"] * scale))):
            trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            if i % 4 == 0:
                trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"}, "Action": "sts:AssumeRole"}
            iam.create_role(RoleName=f"bench-role-{i:03d}", AssumeRolePolicyDocument=policy([trust]),
                            MaxSessionDuration=3600 if i % 2 == 0 else 43200)
        count("iam_role", max(1, int(PER_ACCOUNT["iam_role"] * scale)))
        for i in range(max(1, int(PER_ACCOUNT["iam_user"] * scale))):
            u = f"bench-user-{i:03d}"
            iam.create_user(UserName=u)
            if i % 2 == 0:
                iam.create_access_key(UserName=u)
        count("iam_user", max(1, int(PER_ACCOUNT["iam_user"] * scale)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--accounts", type=int, default=10)
    ap.add_argument("--regions", default="us-east-1,us-west-2")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()
    regions = [r for r in args.regions.split(",") if r]
    t0 = time.time()
    b = Bench(args.endpoint)
    accounts = b.org(args.accounts)
    count("account", len(accounts))
    for a in accounts:
        b.session(a)  # assume roles up front, on one thread
    jobs = [(b.account_iam, (a, args.scale)) for a in accounts]
    jobs += [(b.region_estate, (a, i, r, args.scale)) for i, a in enumerate(accounts) for r in regions]
    with ThreadPoolExecutor(max_workers=args.threads) as ex:
        futures = [ex.submit(f, *a) for f, a in jobs]
        for f in futures:
            f.result()
    resources = sum(v for k, v in counts.items() if k != "account")
    log(f"bench estate: {len(accounts)} accounts x {len(regions)} regions, {resources} resources in {time.time() - t0:.1f}s")
    print(json.dumps({"accounts": accounts, "regions": regions, "resources": resources, "counts": dict(sorted(counts.items())),
                      "seconds": round(time.time() - t0, 1)}, indent=1))


if __name__ == "__main__":
    main()
