use crate::util::trails::trail_bucket_rids;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// The trail's bucket has versioning enabled with MFA Delete.
    ///
    /// ### Why
    /// Versioning keeps overwritten and deleted log files recoverable; MFA
    /// Delete makes removing a version, or suspending versioning, need the
    /// root user's MFA device.
    ///
    /// ### Sources
    /// - Live: `s3:GetBucketVersioning` (`Status`, `MFADelete`).
    /// - Terraform: `aws_s3_bucket_versioning` (`status`, `mfa_delete`), joined to its bucket.
    /// - CloudFormation: `AWS::S3::Bucket.VersioningConfiguration.Status`. MFA Delete cannot be
    ///   set in CloudFormation, so a versioned bucket is unknown (check it live).
    ///   The trail bucket is found through `AWS::CloudTrail::Trail.S3BucketName` (`!Ref`, or a
    ///   literal name of a bucket of the estate).
    pub static RULE = {
        id: "RET-3",
        control: Retention,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, Buckets],
        scope: Resource,
        title: "The trail's bucket is versioned with MFA Delete",
        remediation: "Enable versioning on the trail bucket, then enable MFA Delete as the root user (aws s3api put-bucket-versioning --mfa ...).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for b in trail_bucket_rids(cx) {
        let Some(bucket) = cx.inv.bucket(b) else {
            continue;
        };
        match &bucket.versioning {
            Val::Known(false) => cx.fail(b, "versioning is not enabled on the trail bucket"),
            Val::Unknown(r) => cx.unknown(b, r.clone()),
            Val::Known(true) => cx.judge(
                b,
                bucket.mfa_delete.clone(),
                "versioning and MFA Delete are enabled on the trail bucket",
                "versioning is enabled but MFA Delete is not",
            ),
        }
    }
}
