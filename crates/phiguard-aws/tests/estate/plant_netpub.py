"""Public exposure of the network and of resource policies (NET-8, NET-9,
NET-10): a security group open to the internet on PostgreSQL and SSH next
to a twin open only to its VPC's range, a function URL without IAM auth next
to one with it, a Lambda permission for everyone next to one bounded by
SourceArn, and a secret with a public resource policy next to a private one.

Called by build_org.py for every workload account and region."""

import io
import json
import zipfile


def _zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


def _policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _tag(region):
    return region.replace("us-east-1", "use1").replace("us-west-2", "usw2").replace("-", "")


def plant(est, acct, role, region, key_arn, vpcs):
    ec2 = est.client(acct, "ec2", region)
    lam = est.client(acct, "lambda", region)
    sm = est.client(acct, "secretsmanager", region)
    tag = _tag(region)

    # --- NET-8: security groups -------------------------------------------
    bad_vpc, _ = vpcs["bad"]
    open_sg = ec2.create_security_group(VpcId=bad_vpc, GroupName="db-open", Description="database reachable from anywhere")["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=open_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
    est.exp("NET-8", acct, region, open_sg, "fail", "tcp 5432 from 0.0.0.0/0 and tcp 22 from ::/0")
    good_vpc, _ = vpcs["good"]
    private_sg = ec2.create_security_group(VpcId=good_vpc, GroupName="db-private", Description="database reachable from the VPC")["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=private_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.10.0.0/16"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    est.exp("NET-8", acct, region, private_sg, "pass", "tcp 5432 only from the VPC's 10.10.0.0/16; 443 from anywhere is no database port")

    # --- NET-9, NET-10: Lambda ---------------------------------------------
    role_arn = est.lambda_role(acct)

    def function(name):
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn, Handler="index.handler",
                            Code={"ZipFile": _zip()})
        return name

    public_url = function(f"{role}-{tag}-webhook")
    lam.create_function_url_config(FunctionName=public_url, AuthType="NONE")
    lam.add_permission(FunctionName=public_url, StatementId="FunctionURLAllowPublicAccess", Action="lambda:InvokeFunctionUrl",
                       Principal="*", FunctionUrlAuthType="NONE")
    est.exp("NET-9", acct, region, public_url, "fail", "function URL with AuthType NONE")
    est.exp("NET-10", acct, region, public_url, "fail", "the URL's lambda:InvokeFunctionUrl permission is for Principal \"*\"")
    iam_url = function(f"{role}-{tag}-records-api")
    lam.create_function_url_config(FunctionName=iam_url, AuthType="AWS_IAM")
    est.exp("NET-9", acct, region, iam_url, "pass", "function URL with AuthType AWS_IAM")
    est.exp("NET-10", acct, region, iam_url, "pass", "no resource policy")

    anyone = function(f"{role}-{tag}-export")
    lam.add_permission(FunctionName=anyone, StatementId="AnyoneMayInvoke", Action="lambda:InvokeFunction", Principal="*")
    est.exp("NET-10", acct, region, anyone, "fail", "lambda:InvokeFunction for Principal \"*\" without SourceArn, SourceAccount or PrincipalOrgID")
    bucket_fn = function(f"{role}-{tag}-ingest")
    lam.add_permission(FunctionName=bucket_fn, StatementId="FromUploadsBucket", Action="lambda:InvokeFunction",
                       Principal="s3.amazonaws.com", SourceArn=f"arn:aws:s3:::{role}-{tag}-uploads", SourceAccount=acct)
    est.exp("NET-10", acct, region, bucket_fn, "pass", "s3.amazonaws.com bounded by SourceArn and SourceAccount")

    # --- NET-10: Secrets Manager, KMS --------------------------------------
    name = f"{role}/partner/shared-token"
    sm.create_secret(Name=name, SecretString="not-a-real-token", KmsKeyId=key_arn)
    sm.put_resource_policy(SecretId=name, ResourcePolicy=_policy([
        {"Sid": "Everyone", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]))
    est.exp("NET-10", acct, region, name, "fail", "resource policy allows secretsmanager:GetSecretValue to {\"AWS\": \"*\"}")
    name = f"{role}/partner/org-token"
    sm.create_secret(Name=name, SecretString="not-a-real-token", KmsKeyId=key_arn)
    sm.put_resource_policy(SecretId=name, ResourcePolicy=_policy([
        {"Sid": "Organization", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": est.org_id}}}]))
    est.exp("NET-10", acct, region, name, "pass", "the Principal \"*\" statement is bounded by aws:PrincipalOrgID")
    key_id = key_arn.rsplit("/", 1)[-1]
    est.exp("NET-10", acct, region, key_id, "pass", "the Principal \"*\" key policy statement is bounded by aws:PrincipalOrgID")
    kms = est.client(acct, "kms", region)
    for k in kms.list_keys()["Keys"]:
        if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("Description") == f"open policy {tag}":
            est.exp("NET-10", acct, region, k["KeyId"], "fail", "the key policy allows kms:Decrypt to Principal \"*\" (planted by build_org.py for ENC-6)")
