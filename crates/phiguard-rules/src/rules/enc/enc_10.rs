use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Amazon EFS file system is encrypted at rest, under a
    /// customer-managed KMS key: not unencrypted, and not the AWS-managed
    /// `aws/elasticfilesystem` key EFS uses when no key is named.
    ///
    /// ### Why
    /// Shared file systems hold whatever the applications write: exports,
    /// documents, images, often PHI. Encryption can only be chosen when the
    /// file system is created. With a customer-managed key, the key policy
    /// (not EFS permissions alone) decides who can read the data, and every
    /// use of the key is in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `elasticfilesystem:DescribeFileSystems` (`Encrypted`, `KmsKeyId`).
    /// - Terraform: `aws_efs_file_system` (`encrypted`, `kms_key_id`).
    /// - CloudFormation: `AWS::EFS::FileSystem` (`Encrypted`, `KmsKeyId`).
    ///
    /// A key referenced from the same estate (`!GetAtt Key.Arn`,
    /// `aws_kms_key.x.arn`) is customer-managed; `alias/aws/elasticfilesystem`
    /// is not; a key id from outside the estate is unknown.
    ///
    /// ### Defaults assumed
    /// - A file system created through the API, the CLI or an SDK (and so by
    ///   CloudFormation and by Terraform, whose `encrypted` has no default of
    ///   its own) is not encrypted unless `Encrypted` is true; only the
    ///   console turns encryption on by default. Amazon EFS User Guide,
    ///   "Encrypting data at rest":
    ///   <https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html>.
    /// - Encrypted without `KmsKeyId`, EFS uses the AWS-managed key
    ///   `aws/elasticfilesystem` (Amazon EFS API Reference, `CreateFileSystem`:
    ///   <https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html>).
    pub static RULE = {
        id: "ENC-10",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [EfsFileSystems, KmsKeys],
        scope: Resource,
        title: "EFS file systems are encrypted with a customer-managed KMS key",
        remediation: "Create the file system with Encrypted: true and KmsKeyId naming a customer-managed key (an existing file system cannot be changed: replicate it to a new encrypted one and move the clients).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for f in &inv.efs_file_systems {
        match &f.encrypted {
            Val::Unknown(r) => cx.unknown(f.rid, r.clone()),
            Val::Known(false) => cx.fail(
                f.rid,
                "the file system is not encrypted at rest (without Encrypted: true, EFS creates it unencrypted)",
            ),
            Val::Known(true) => judge_cmk(cx, f.rid, "the file system", &f.key),
        }
    }
}
