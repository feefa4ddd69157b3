use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Amazon ECR repository encrypts its images with KMS (`KMS` or
    /// `KMS_DSSE`) under a customer-managed key: not `AES256`, ECR's default
    /// (server-side encryption with Amazon S3-managed keys), and not the
    /// AWS-managed `aws/ecr` key.
    ///
    /// ### Why
    /// Images carry application code, configuration and sometimes data baked
    /// in at build time. With a customer-managed key, pulling a layer needs
    /// the key policy's consent as well as ECR permissions, and every decrypt
    /// is logged in CloudTrail. The encryption of a repository is fixed when
    /// it is created.
    ///
    /// ### Sources
    /// - Live: `ecr:DescribeRepositories` (`encryptionConfiguration`).
    /// - Terraform: `aws_ecr_repository.encryption_configuration` (`encryption_type`, `kms_key`).
    /// - CloudFormation: `AWS::ECR::Repository.EncryptionConfiguration` (`EncryptionType`, `KmsKey`).
    ///
    /// ### Defaults assumed
    /// - Without an encryption configuration, or with `AES256`, ECR encrypts
    ///   with Amazon S3-managed keys; with `KMS` (or `KMS_DSSE`) and no key,
    ///   with the AWS-managed key for ECR (`aws/ecr`). Amazon ECR API Reference,
    ///   `EncryptionConfiguration`:
    ///   <https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfiguration.html>.
    ///   The Terraform provider's `encryption_type` defaults to `AES256`
    ///   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository>).
    pub static RULE = {
        id: "ENC-11",
        control: AtRestEncryption,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Ecr, KmsKeys],
        scope: Resource,
        title: "ECR repositories are encrypted with a customer-managed KMS key",
        remediation: "Create the repository with EncryptionConfiguration: { EncryptionType: KMS, KmsKey: <customer-managed key> } (the encryption of an existing repository cannot be changed: create a new one and push the images again).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for r in &inv.ecr_repositories {
        match &r.kms_key {
            Val::Unknown(why) => cx.unknown(r.rid, why.clone()),
            Val::Known(None) => cx.fail(
                r.rid,
                "the repository encrypts with AES256 (Amazon S3-managed keys, ECR's default), not a KMS key",
            ),
            Val::Known(Some(k)) => {
                judge_cmk(cx, r.rid, "the repository", &Val::Known(k.clone()))
            }
        }
    }
}
