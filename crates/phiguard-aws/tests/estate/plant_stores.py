"""Encryption at rest with a customer-managed key: EFS file systems (ENC-10),
ECR repositories (ENC-11), CloudWatch Logs log groups in PHI scope (ENC-12)
and SageMaker notebook instances (ENC-13). Each violation has a compliant
twin under the account's customer-managed key `key_arn`."""


def plant(est, acct, role, region, key_arn, vpcs):
    phi = {"Key": "phi", "Value": "true"}

    # --- EFS: under the customer key / not encrypted (the API's default).
    efs = est.client(acct, "efs", region)
    good = efs.create_file_system(CreationToken=f"{role}-{region}-phi-files", Encrypted=True, KmsKeyId=key_arn,
                                  Tags=[{"Key": "Name", "Value": "phi-files"}, phi])["FileSystemId"]
    est.exp("ENC-10", acct, region, good, "pass", "Encrypted with KmsKeyId the customer-managed key")
    plain = efs.create_file_system(CreationToken=f"{role}-{region}-scratch-files",
                                   Tags=[{"Key": "Name", "Value": "scratch-files"}])["FileSystemId"]
    est.exp("ENC-10", acct, region, plain, "fail", "created without Encrypted: not encrypted at rest")

    # --- ECR: KMS under the customer key / no encryption configuration (AES256).
    ecr = est.client(acct, "ecr", region)
    name = f"{role}/phi-images"
    ecr.create_repository(repositoryName=name, imageScanningConfiguration={"scanOnPush": True},
                          encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key_arn})
    est.exp("ENC-11", acct, region, name, "pass", "encryptionType KMS with the customer-managed key")
    name = f"{role}/tools"
    ecr.create_repository(repositoryName=name, imageScanningConfiguration={"scanOnPush": True})
    est.exp("ENC-11", acct, region, name, "fail", "no encryptionConfiguration: AES256 (Amazon S3-managed keys)")
    # The repositories plant_ecr creates have no encryption configuration either.
    for name in (f"{role}/api", f"{role}/batch"):
        est.exp("ENC-11", acct, region, name, "fail", "no encryptionConfiguration: AES256 (Amazon S3-managed keys)")

    # --- CloudWatch Logs: PHI log groups with and without a key; an untagged
    # group without a key is out of PHI scope (no ENC-12 finding expected).
    logs = est.client(acct, "logs", region)
    name = f"/app/{role}/patients-api"
    logs.create_log_group(logGroupName=name, kmsKeyId=key_arn, tags={"phi": "true"})
    est.exp("ENC-12", acct, region, name, "pass", "phi=true; kmsKeyId is the customer-managed key")
    name = f"/app/{role}/intake"
    logs.create_log_group(logGroupName=name, tags={"phi": "true"})
    est.exp("ENC-12", acct, region, name, "fail", "phi=true and no kmsKeyId: CloudWatch Logs' own service keys")
    logs.create_log_group(logGroupName=f"/app/{role}/static-site", tags={"phi": "false"})

    # --- SageMaker notebook instances: KmsKeyId the customer key / none.
    sm = est.client(acct, "sagemaker", region)
    role_arn = f"arn:aws:iam::{acct}:role/sagemaker-notebooks"
    name = f"{role}-research"
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=role_arn,
                                KmsKeyId=key_arn, Tags=[phi])
    est.exp("ENC-13", acct, region, name, "pass", "KmsKeyId is the customer-managed key")
    name = f"{role}-scratch"
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=role_arn)
    est.exp("ENC-13", acct, region, name, "fail", "no KmsKeyId: a system-managed key")
