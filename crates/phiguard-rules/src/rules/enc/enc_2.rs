use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::{BucketSse, Val};

declare_rule! {
    /// ### What it checks
    /// Every S3 bucket encrypts new objects by default with SSE-KMS (or
    /// DSSE-KMS) under a customer-managed key: not SSE-S3 (`AES256`), not the
    /// AWS-managed `aws/s3` key, and not "no configuration" (which S3 turns
    /// into SSE-S3).
    ///
    /// ### Why
    /// With a customer-managed key, access to PHI needs both S3 and KMS
    /// permissions, every decrypt is logged in CloudTrail, and the key policy
    /// (not S3 alone) decides who can read.
    ///
    /// ### Sources
    /// - Live: `s3:GetBucketEncryption`.
    /// - Terraform: `aws_s3_bucket_server_side_encryption_configuration`, joined to its bucket.
    /// - CloudFormation: `AWS::S3::Bucket.BucketEncryption`.
    ///
    /// A key referenced from the same estate (`!GetAtt Key.Arn`,
    /// `aws_kms_key.x.arn`) is customer-managed; `alias/aws/s3` is not; a key
    /// from a parameter without a default is unknown.
    pub static RULE = {
        id: "ENC-2",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Buckets, KmsKeys],
        scope: Resource,
        title: "S3 buckets encrypt by default with a customer-managed KMS key",
        remediation: "Set the bucket's default encryption to aws:kms with KMSMasterKeyID naming a customer-managed key.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for b in &cx.inv.buckets {
        match &b.encryption {
            Val::Unknown(r) => cx.unknown(b.rid, r.clone()),
            Val::Known(BucketSse::None) => cx.fail(
                b.rid,
                "the bucket has no default encryption configuration (S3 applies SSE-S3)",
            ),
            Val::Known(BucketSse::S3) => cx.fail(
                b.rid,
                "the bucket encrypts with SSE-S3 (AES256), not SSE-KMS",
            ),
            Val::Known(BucketSse::Kms(key)) => judge_cmk(cx, b.rid, "the bucket", key),
        }
    }
}
