"""Probes a running moto server for the AWS operations that phiguard's live
collector reads, and prints one line per operation: ok / gap, with detail.

    $PHIGUARD_PYTHON probe_moto.py --endpoint http://127.0.0.1:5599

It resets the server first. MOTO_GAPS.md records what it found.
"""

import argparse
import json
import os
import sys
import urllib.request

import boto3
from botocore.config import Config

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

ACCOUNT = "123456789012"
results = []


def probe(name, fn):
    try:
        detail = fn()
        status = "ok"
        if isinstance(detail, tuple):
            status, detail = detail
    except Exception as e:  # noqa: BLE001 - a probe reports every failure
        status, detail = "gap", f"{type(e).__name__}: {e}"
    detail = detail if isinstance(detail, str) else json.dumps(detail, default=str)
    results.append({"operation": name, "status": status, "detail": detail[:400]})
    print(f"{status:5} {name}: {detail[:400]}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = ap.parse_args()
    E = args.endpoint
    req = urllib.request.Request(E + "/moto-api/reset", method="POST")
    urllib.request.urlopen(req).read()

    cfg = Config(retries={"max_attempts": 1})

    def c(svc, region="us-east-1"):
        return boto3.client(svc, endpoint_url=E, region_name=region, config=cfg)

    # --- artifact
    probe("artifact ListCustomerAgreements",
          lambda: c("artifact").list_customer_agreements()["customerAgreements"])

    # --- eks
    def eks():
        e = c("eks")
        iam = c("iam")
        role = iam.create_role(RoleName="eks-cluster", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        e.create_cluster(name="probe", roleArn=role, resourcesVpcConfig={"subnetIds": []})
        return e
    eksc = None
    try:
        eksc = eks()
    except Exception as ex:  # noqa: BLE001
        print("eks setup failed:", ex)
    probe("eks ListAddons", lambda: c("eks").list_addons(clusterName="probe")["addons"])
    probe("eks CreateAddon+DescribeAddon", lambda: (c("eks").create_addon(clusterName="probe", addonName="eks-pod-identity-agent"),
                                                     c("eks").describe_addon(clusterName="probe", addonName="eks-pod-identity-agent")["addon"]["status"])[1])
    probe("eks ListPodIdentityAssociations", lambda: c("eks").list_pod_identity_associations(clusterName="probe")["associations"])
    probe("eks DescribeCluster encryptionConfig", lambda: c("eks").describe_cluster(name="probe")["cluster"].get("encryptionConfig", "absent"))

    # --- security hub
    def sh():
        s = c("securityhub")
        s.enable_security_hub(EnableDefaultStandards=True)
        std = s.get_enabled_standards()["StandardsSubscriptions"]
        if not std:
            return ("gap", "EnableSecurityHub(EnableDefaultStandards=True) then GetEnabledStandards returns [] (no default standards)")
        return std
    probe("securityhub EnableSecurityHub+GetEnabledStandards", sh)
    probe("securityhub BatchEnableStandards (CIS 1.4)", lambda: c("securityhub").batch_enable_standards(StandardsSubscriptionRequests=[
        {"StandardsArn": "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0"}])["StandardsSubscriptions"])
    probe("securityhub GetEnabledStandards after BatchEnable", lambda: c("securityhub").get_enabled_standards()["StandardsSubscriptions"])
    def hub_off():
        try:
            return ("wrong", str(c("securityhub", "us-west-2").describe_hub()))
        except Exception as e:  # noqa: BLE001
            return f"raises {type(e).__name__}, as AWS does"
    probe("securityhub DescribeHub (not enabled region us-west-2)", hub_off)

    # --- backup
    def backup():
        b = c("backup")
        b.create_backup_vault(BackupVaultName="v1")
        pid = b.create_backup_plan(BackupPlan={"BackupPlanName": "p1", "Rules": [
            {"RuleName": "r", "TargetBackupVaultName": "v1", "ScheduleExpression": "cron(0 5 * * ? *)",
             "CopyActions": [{"DestinationBackupVaultArn": "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"}]}]})["BackupPlanId"]
        return b, pid
    b, pid = backup()
    def bsel():
        r = b.create_backup_selection(BackupPlanId=pid, BackupSelection={"SelectionName": "s", "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                                                                         "Resources": ["arn:aws:ec2:us-east-1:123456789012:volume/*"]})
        return r["SelectionId"]
    probe("backup CreateBackupSelection", bsel)
    probe("backup ListBackupSelections", lambda: b.list_backup_selections(BackupPlanId=pid)["BackupSelectionsList"])
    probe("backup GetBackupSelection", lambda: b.get_backup_selection(BackupPlanId=pid, SelectionId=b.list_backup_selections(BackupPlanId=pid)["BackupSelectionsList"][0]["SelectionId"])["BackupSelection"])
    probe("backup GetBackupPlan CopyActions", lambda: b.get_backup_plan(BackupPlanId=pid)["BackupPlan"]["Rules"][0].get("CopyActions"))
    probe("backup DescribeBackupVault", lambda: {k: v for k, v in b.describe_backup_vault(BackupVaultName="v1").items() if k != "ResponseMetadata"})
    probe("backup PutBackupVaultLockConfiguration", lambda: b.put_backup_vault_lock_configuration(BackupVaultName="v1", MinRetentionDays=7))
    probe("backup ListRestoreTestingPlans", lambda: b.list_restore_testing_plans()["RestoreTestingPlans"])
    probe("backup ListRestoreJobs", lambda: b.list_restore_jobs()["RestoreJobs"])

    # --- guardduty
    probe("guardduty CreateDetector", lambda: c("guardduty").create_detector(Enable=True)["DetectorId"])
    probe("guardduty GetDetector", lambda: c("guardduty").get_detector(DetectorId=c("guardduty").list_detectors()["DetectorIds"][0])["Status"])
    probe("guardduty DescribeOrganizationConfiguration", lambda: c("guardduty").describe_organization_configuration(DetectorId=c("guardduty").list_detectors()["DetectorIds"][0]))
    probe("guardduty ListOrganizationAdminAccounts", lambda: c("guardduty").list_organization_admin_accounts()["AdminAccounts"])

    # --- ec2 ebs defaults
    probe("ec2 GetEbsEncryptionByDefault", lambda: c("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"])
    probe("ec2 EnableEbsEncryptionByDefault", lambda: c("ec2").enable_ebs_encryption_by_default()["EbsEncryptionByDefault"])
    probe("ec2 GetEbsDefaultKmsKeyId", lambda: c("ec2").get_ebs_default_kms_key_id()["KmsKeyId"])
    probe("ec2 ModifyEbsDefaultKmsKeyId", lambda: c("ec2").modify_ebs_default_kms_key_id(KmsKeyId=c("kms").create_key()["KeyMetadata"]["KeyId"])["KmsKeyId"])

    # --- s3
    s3 = c("s3")
    s3.create_bucket(Bucket="probe-b")
    s3.put_bucket_versioning(Bucket="probe-b", VersioningConfiguration={"Status": "Enabled"})
    probe("s3 GetBucketVersioning (Enabled, no MFA)", lambda: {k: v for k, v in s3.get_bucket_versioning(Bucket="probe-b").items() if k != "ResponseMetadata"})
    def mfa():
        s3.put_bucket_versioning(Bucket="probe-b", MFA="arn:aws:iam::123456789012:mfa/root 123456",
                                 VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"})
        r = s3.get_bucket_versioning(Bucket="probe-b")
        if r.get("MFADelete") != "Enabled":
            return ("gap", f"PutBucketVersioning with MFADelete=Enabled accepted; GetBucketVersioning returns MFADelete={r.get('MFADelete')!r}")
        return r["MFADelete"]
    probe("s3 GetBucketVersioning MFADelete", mfa)
    s3.create_bucket(Bucket="probe-lock", ObjectLockEnabledForBucket=True)
    probe("s3 PutObjectLockConfiguration COMPLIANCE 2190d", lambda: s3.put_object_lock_configuration(Bucket="probe-lock", ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 2190}}}) and
        s3.get_object_lock_configuration(Bucket="probe-lock")["ObjectLockConfiguration"])
    def enc_default():
        try:
            return s3.get_bucket_encryption(Bucket="probe-b")["ServerSideEncryptionConfiguration"]
        except s3.exceptions.ClientError as e:
            return ("wrong", f"{e.response['Error']['Code']}: since January 2023 AWS answers SSE-S3 (AES256) for every bucket")
    probe("s3 GetBucketEncryption on a bucket never configured", enc_default)

    # --- s3control
    def s3c_noprefix():
        cl = boto3.client("s3control", endpoint_url=E, region_name="us-east-1",
                          config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))
        cl.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        return cl.get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"]
    probe("s3control Put/GetPublicAccessBlock (inject_host_prefix=False: http://127.0.0.1:port/v20180820/...)", s3c_noprefix)
    def strip_account_host(request, **_):
        # botocore's endpoint rules put the account id in the host; moto
        # serves s3control on the bare endpoint, by path and x-amz-account-id.
        request.url = request.url.replace(f"//{ACCOUNT}.", "//").replace("//111111111111.", "//")
    def s3c_stripped():
        cl = boto3.client("s3control", endpoint_url=E, region_name="us-east-1", config=cfg)
        cl.meta.events.register("before-send.s3-control", strip_account_host)
        cl.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        return cl.get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"]
    probe("s3control Put/GetPublicAccessBlock (host prefix stripped before send: http://127.0.0.1:port)", s3c_stripped)
    def s3c_stripped_missing():
        cl = boto3.client("s3control", endpoint_url=E, region_name="us-east-1", config=cfg)
        cl.meta.events.register("before-send.s3-control", strip_account_host)
        try:
            return ("wrong", str(cl.get_public_access_block(AccountId="111111111111")))
        except cl.exceptions.ClientError as e:
            return e.response["Error"]["Code"]
    probe("s3control GetPublicAccessBlock, account never configured (stripped host)", s3c_stripped_missing)
    def s3c_prefix():
        cl = boto3.client("s3control", endpoint_url=E, region_name="us-east-1", config=cfg)
        return cl.get_public_access_block(AccountId=ACCOUNT)["PublicAccessBlockConfiguration"]
    probe("s3control GetPublicAccessBlock (default host prefix: http://123456789012.127.0.0.1:port)", s3c_prefix)
    def s3c_missing():
        cl = boto3.client("s3control", endpoint_url=E, region_name="us-east-1",
                          config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))
        return cl.get_public_access_block(AccountId="111111111111")
    probe("s3control GetPublicAccessBlock, account never configured", s3c_missing)

    # --- organizations
    org = c("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    acct = org.create_account(Email="p@example.com", AccountName="prod")["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=ou)
    pol = org.create_policy(Name="deny", Type="SERVICE_CONTROL_POLICY", Description="d", Content=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}))["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=pol, TargetId=ou)
    probe("organizations DescribeOrganization", lambda: org.describe_organization()["Organization"]["FeatureSet"])
    probe("organizations ListTargetsForPolicy", lambda: org.list_targets_for_policy(PolicyId=pol)["Targets"])
    probe("organizations ListPoliciesForTarget", lambda: [p["Name"] for p in org.list_policies_for_target(TargetId=ou, Filter="SERVICE_CONTROL_POLICY")["Policies"]])
    probe("organizations ListParents", lambda: org.list_parents(ChildId=acct)["Parents"])
    probe("organizations ListParents (of an OU)", lambda: org.list_parents(ChildId=ou)["Parents"])
    probe("organizations RegisterDelegatedAdministrator+ListDelegatedAdministrators", lambda: (
        org.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com"),
        org.register_delegated_administrator(AccountId=acct, ServicePrincipal="guardduty.amazonaws.com"),
        [(d["Id"], d["Name"]) for d in org.list_delegated_administrators()["DelegatedAdministrators"]])[2])
    probe("organizations ListTagsForResource (account)", lambda: (org.tag_resource(ResourceId=acct, Tags=[{"Key": "role", "Value": "prod"}]),
                                                                   org.list_tags_for_resource(ResourceId=acct)["Tags"])[1])
    probe("organizations ListAccounts JoinedMethod", lambda: [(a["Id"], a.get("JoinedMethod"), a["Status"]) for a in org.list_accounts()["Accounts"]])

    # --- iam
    iam = c("iam")
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!Passw0rd")
    iam.create_access_key(UserName="alice")
    def credrep():
        import csv, io, time
        st = iam.generate_credential_report()["State"]
        for _ in range(10):
            try:
                rep = iam.get_credential_report()
                break
            except iam.exceptions.CredentialReportNotReadyException:
                time.sleep(0.2)
        text = rep["Content"].decode()
        rows = list(csv.DictReader(io.StringIO(text)))
        alice = [r for r in rows if r["user"] == "alice"][0]
        root = [r for r in rows if r["user"] == "<root_account>"]
        out = {"generate_state": st, "columns": len(rows[0]), "alice": {k: alice[k] for k in ("password_enabled", "mfa_active", "access_key_1_active")},
               "root_row": bool(root)}
        if not root:
            return ("wrong", f"no <root_account> row (AWS always has one): {out}")
        return out
    probe("iam GenerateCredentialReport+GetCredentialReport", credrep)
    probe("iam GetAccountSummary", lambda: {k: v for k, v in iam.get_account_summary()["SummaryMap"].items() if k.startswith("Account")})
    probe("iam CreateRole MaxSessionDuration 43200", lambda: iam.create_role(RoleName="long", MaxSessionDuration=43200, AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}))["Role"]["MaxSessionDuration"])
    def too_long():
        try:
            iam.create_role(RoleName="toolong", MaxSessionDuration=86400, AssumeRolePolicyDocument="{}")
        except Exception as e:  # noqa: BLE001
            return f"rejected as AWS does: {type(e).__name__}"
        return ("gap", "CreateRole accepted MaxSessionDuration=86400 (AWS caps at 43200)")
    probe("iam CreateRole MaxSessionDuration 86400 (AWS rejects: max 43200)", too_long)

    # --- inspector2
    probe("inspector2 BatchGetAccountStatus", lambda: c("inspector2").batch_get_account_status(accountIds=[ACCOUNT])["accounts"])
    probe("inspector2 Enable EC2,ECR", lambda: c("inspector2").enable(resourceTypes=["EC2", "ECR"], accountIds=[ACCOUNT])["accounts"])
    probe("inspector2 BatchGetAccountStatus after Enable", lambda: c("inspector2").batch_get_account_status(accountIds=[ACCOUNT])["accounts"])
    probe("inspector2 ListFindings", lambda: c("inspector2").list_findings()["findings"])

    # --- macie2
    def macie_never():
        r = c("macie2", "us-west-2").get_macie_session()
        return ("wrong", f"answers 200 with status={r.get('status')!r} where AWS raises AccessDeniedException (Macie is not enabled)")
    probe("macie2 GetMacieSession (never enabled)", macie_never)
    probe("macie2 EnableMacie+GetMacieSession", lambda: (c("macie2").enable_macie(), c("macie2").get_macie_session()["status"])[1])

    # --- config
    cfgc = c("config")
    probe("config PutConfigurationRecorder", lambda: cfgc.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": "arn:aws:iam::123456789012:role/config", "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}))
    probe("config DescribeConfigurationRecorders", lambda: cfgc.describe_configuration_recorders()["ConfigurationRecorders"])
    probe("config PutDeliveryChannel+DescribeDeliveryChannels", lambda: (cfgc.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "probe-b"}),
                                                                        cfgc.describe_delivery_channels()["DeliveryChannels"])[1])
    probe("config StartConfigurationRecorder+DescribeConfigurationRecorderStatus", lambda: (cfgc.start_configuration_recorder(ConfigurationRecorderName="default"),
                                                                                           cfgc.describe_configuration_recorder_status()["ConfigurationRecordersStatus"])[1])

    # --- sso-admin
    probe("sso-admin ListInstances", lambda: c("sso-admin").list_instances()["Instances"])
    def sso_ps():
        cl = c("sso-admin")
        inst = cl.list_instances()["Instances"]
        if not inst:
            return ("gap", "no instance: there is no CreateInstance in moto to make one (IAM-4 cannot be planted)")
        arn = inst[0]["InstanceArn"]
        ps = cl.create_permission_set(InstanceArn=arn, Name="admin", SessionDuration="PT12H")["PermissionSet"]
        return cl.describe_permission_set(InstanceArn=arn, PermissionSetArn=ps["PermissionSetArn"])["PermissionSet"]
    probe("sso-admin CreatePermissionSet+DescribePermissionSet", sso_ps)

    def sso_member():
        sts = c("sts")
        cr = sts.assume_role(RoleArn=f"arn:aws:iam::{acct}:role/OrganizationAccountAccessRole", RoleSessionName="probe")["Credentials"]
        cl = boto3.client("sso-admin", endpoint_url=E, region_name="us-east-1", aws_access_key_id=cr["AccessKeyId"],
                          aws_secret_access_key=cr["SecretAccessKey"], aws_session_token=cr["SessionToken"])
        inst = cl.list_instances()["Instances"]
        if inst:
            return ("wrong", f"a member account that never enabled Identity Center lists an instance: {inst[0]['InstanceArn']}")
        return "no instance in a member account"
    probe("sso-admin ListInstances in a member account", sso_member)

    # --- cloudtrail
    ct = c("cloudtrail")
    ct.create_trail(Name="trail1", S3BucketName="probe-b", IsMultiRegionTrail=True)
    probe("cloudtrail PutEventSelectors (advanced)", lambda: ct.put_event_selectors(TrailName="trail1", AdvancedEventSelectors=[
        {"Name": "mgmt", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
        {"Name": "s3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}])
        .get("AdvancedEventSelectors"))
    probe("cloudtrail GetEventSelectors (advanced)", lambda: {k: v for k, v in ct.get_event_selectors(TrailName="trail1").items() if k != "ResponseMetadata"})
    probe("cloudtrail GetTrailStatus", lambda: {k: v for k, v in ct.get_trail_status(Name="trail1").items() if k != "ResponseMetadata"})
    probe("cloudtrail CreateTrail IsOrganizationTrail", lambda: ct.create_trail(Name="org", S3BucketName="probe-b", IsOrganizationTrail=True, IsMultiRegionTrail=True).get("IsOrganizationTrail"))
    probe("cloudtrail DescribeTrails (org trail)", lambda: [(t["Name"], t.get("IsOrganizationTrail")) for t in ct.describe_trails()["trailList"]])

    # --- apigateway
    probe("apigateway CreateDomainName TLS_1_0 + GetDomainNames", lambda: (c("apigateway").create_domain_name(domainName="api.example.com", securityPolicy="TLS_1_0"),
                                                                         [(d["domainName"], d.get("securityPolicy")) for d in c("apigateway").get_domain_names()["items"]])[1])
    probe("apigatewayv2 GetDomainNames", lambda: c("apigatewayv2").get_domain_names()["Items"])

    # --- cloudfront
    def cf():
        cl = c("cloudfront")
        cl.create_distribution(DistributionConfig={
            "CallerReference": "r1", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.com", "CustomOriginConfig": {
                "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all", "MinTTL": 0,
                                     "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}})
        items = cl.list_distributions()["DistributionList"].get("Items", [])
        d = items[0]
        return {"ViewerProtocolPolicy": d["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
                "MinimumProtocolVersion": d["ViewerCertificate"].get("MinimumProtocolVersion"),
                "OriginProtocolPolicy": d["Origins"]["Items"][0].get("CustomOriginConfig", {}).get("OriginProtocolPolicy")}
    probe("cloudfront CreateDistribution+ListDistributions", cf)

    # --- lambda
    probe("lambda ListFunctions", lambda: c("lambda").list_functions()["Functions"])

    # --- misc used by the estate
    probe("ec2 DescribeFlowLogs log group destination", lambda: (
        c("ec2").create_flow_logs(ResourceIds=[c("ec2").describe_vpcs()["Vpcs"][0]["VpcId"]], ResourceType="VPC", TrafficType="REJECT",
                                  LogDestinationType="cloud-watch-logs", LogGroupName="fl", DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/fl"),
        [(f["TrafficType"], f.get("LogGroupName"), f.get("LogDestinationType")) for f in c("ec2").describe_flow_logs()["FlowLogs"]])[1])
    probe("ec2 CreateVpcEndpoint Gateway s3 (default policy returned?)", lambda: c("ec2").create_vpc_endpoint(VpcId=c("ec2").describe_vpcs()["Vpcs"][0]["VpcId"],
        ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway")["VpcEndpoint"].get("PolicyDocument", "absent"))
    probe("ecr DescribeRegistry/GetRegistryScanningConfiguration", lambda: c("ecr").get_registry_scanning_configuration()["scanningConfiguration"])
    probe("kms GetKeyRotationStatus", lambda: c("kms").get_key_rotation_status(KeyId=c("kms").create_key()["KeyMetadata"]["KeyId"])["KeyRotationEnabled"])
    probe("logs DescribeLogGroups kmsKeyId", lambda: (c("logs").create_log_group(logGroupName="enc", kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/abc"),
                                                      [(g["logGroupName"], g.get("kmsKeyId")) for g in c("logs").describe_log_groups(logGroupNamePrefix="enc")["logGroups"]])[1])

    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
