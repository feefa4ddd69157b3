use crate::util::trails::trail_bucket_rids;
use crate::{Cx, Severity, declare_rule};
use phiguard_model::{LockMode, Val};

declare_rule! {
    /// ### What it checks
    /// The trail's bucket has S3 Object Lock with a default retention of at
    /// least `[limits] object_lock_days` (default 2,190 days, six years) in
    /// COMPLIANCE mode. GOVERNANCE mode with enough days is a lesser (medium)
    /// finding: a principal with `s3:BypassGovernanceRetention` can still
    /// delete.
    ///
    /// ### Why
    /// HIPAA requires documentation to be kept six years. COMPLIANCE mode is
    /// the only setting that keeps even the root user from deleting the
    /// audit log before then.
    ///
    /// ### Sources
    /// - Live: `s3:GetObjectLockConfiguration`.
    /// - Terraform: `aws_s3_bucket_object_lock_configuration`, joined to its bucket.
    /// - CloudFormation: `AWS::S3::Bucket` (`ObjectLockEnabled`,
    ///   `ObjectLockConfiguration.Rule.DefaultRetention` with `Mode` and `Days` or `Years`).
    ///   The trail bucket is found through `AWS::CloudTrail::Trail.S3BucketName` (`!Ref`, or a
    ///   literal name of a bucket of the estate).
    pub static RULE = {
        id: "RET-2",
        control: Retention,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, Buckets],
        scope: Resource,
        title: "The trail's bucket has Object Lock in COMPLIANCE mode for the retention period",
        remediation: "Enable Object Lock on the trail bucket with a default retention in COMPLIANCE mode of at least 2190 days (6 years).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let min = cx.cfg.limits.object_lock_days;
    for b in trail_bucket_rids(cx) {
        let Some(bucket) = cx.inv.bucket(b) else {
            continue;
        };
        if bucket.object_lock.is_false() {
            cx.fail(b, "Object Lock is not enabled on the trail bucket");
            continue;
        }
        match &bucket.lock_retention {
            Val::Unknown(r) => cx.unknown(b, r.clone()),
            Val::Known(None) => cx.fail(b, "the trail bucket has no Object Lock default retention"),
            Val::Known(Some(r)) if r.days < min => cx.fail(
                b,
                format!(
                    "the Object Lock default retention is {} days, under the required {min}",
                    r.days
                ),
            ),
            Val::Known(Some(r)) if r.mode == LockMode::Governance => cx.fail_at(
                b,
                Severity::Medium,
                format!(
                    "the Object Lock default retention is {} days in GOVERNANCE mode, not COMPLIANCE",
                    r.days
                ),
            ),
            Val::Known(Some(r)) => {
                if let Val::Unknown(why) = &bucket.object_lock {
                    cx.unknown(b, why.clone());
                } else {
                    cx.pass(
                        b,
                        format!(
                            "Object Lock keeps the trail logs {} days in COMPLIANCE mode",
                            r.days
                        ),
                    )
                }
            }
        }
    }
}
