use crate::util::trails::trail_bucket_rids;
use crate::{Cx, declare_rule};
use phiguard_model::{Effect, Statement, Val};

declare_rule! {
    /// ### What it checks
    /// On the trail's bucket, no enabled lifecycle rule expires current or
    /// noncurrent objects in under `[limits] object_lock_days` (default
    /// 2,190 days), and the bucket policy allows no public access (an
    /// `Allow` to `Principal: "*"` without a condition restricting it to the
    /// organization, an account or a source) and no deletes (an `Allow` of
    /// `s3:DeleteObject*`, `s3:*` or `*`).
    ///
    /// ### Why
    /// HIPAA requires six years of retention; a lifecycle rule or a policy
    /// that lets someone delete log files undoes Object Lock's purpose, and a
    /// public audit log exposes the organization's whole activity.
    ///
    /// ### Sources
    /// - Live: `s3:GetBucketLifecycleConfiguration`, `s3:GetBucketPolicy`.
    /// - Terraform: `aws_s3_bucket_lifecycle_configuration` and `aws_s3_bucket_policy`, joined to the bucket.
    /// - CloudFormation: `AWS::S3::Bucket.LifecycleConfiguration.Rules` (`ExpirationInDays`,
    ///   `NoncurrentVersionExpiration`) and `AWS::S3::BucketPolicy`, joined to the bucket.
    ///   The trail bucket is found through `AWS::CloudTrail::Trail.S3BucketName` (`!Ref`, or a
    ///   literal name of a bucket of the estate).
    pub static RULE = {
        id: "RET-4",
        control: Retention,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, Buckets],
        scope: Resource,
        title: "The trail's bucket keeps logs for the retention period and allows no public access or deletes",
        remediation: "Remove lifecycle expirations under 2190 days from the trail bucket, and remove public and delete grants from its bucket policy.",
        check: check,
    }
}

/// Condition keys that bound a wildcard principal to the organization, an
/// account, or a calling service's source.
const RESTRICTING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceip",
    "aws:resourceorgid",
    "aws:resourceaccount",
];

fn restricted(s: &Statement) -> bool {
    s.condition_keys()
        .any(|k| RESTRICTING.contains(&k.as_str()))
}

const DELETES: &[&str] = &["s3:DeleteObject", "s3:DeleteObjectVersion"];

fn check(cx: &mut Cx) {
    let min = cx.cfg.limits.object_lock_days;
    for b in trail_bucket_rids(cx) {
        let Some(bucket) = cx.inv.bucket(b) else {
            continue;
        };
        let mut bad = Vec::new();
        let mut unknown = None;
        match &bucket.lifecycle {
            Val::Known(rules) => {
                for r in rules.iter().filter(|r| r.enabled) {
                    let id = r.id.as_deref().unwrap_or("(no id)");
                    if let Some(d) = r.expiration_days.filter(|d| *d < min) {
                        bad.push(format!(
                            "lifecycle rule {id} expires objects after {d} days"
                        ));
                    }
                    if let Some(d) = r.noncurrent_expiration_days.filter(|d| *d < min) {
                        bad.push(format!(
                            "lifecycle rule {id} expires noncurrent versions after {d} days"
                        ));
                    }
                }
            }
            Val::Unknown(r) => unknown = Some(r.clone()),
        }
        match &bucket.policy {
            Val::Known(Some(doc)) => {
                for s in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
                    let sid = s.sid.as_deref().unwrap_or("(no Sid)");
                    if s.principal_is_wildcard() && !restricted(s) {
                        bad.push(format!(
                            "bucket policy statement {sid} allows any principal without a restricting condition"
                        ));
                    }
                    if DELETES.iter().any(|a| s.covers_action(a)) {
                        bad.push(format!(
                            "bucket policy statement {sid} allows deleting objects"
                        ));
                    }
                }
            }
            Val::Known(None) => {}
            Val::Unknown(r) => {
                unknown.get_or_insert(r.clone());
            }
        }
        if !bad.is_empty() {
            cx.fail(b, bad.join("; "));
        } else if let Some(r) = unknown {
            cx.unknown(b, r);
        } else {
            cx.pass(
                b,
                format!(
                    "no lifecycle rule expires trail logs in under {min} days, and the bucket policy allows no public access or deletes"
                ),
            );
        }
    }
}
