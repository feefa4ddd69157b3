use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every trail delivers its log files without errors: its status has no
    /// latest delivery error. Each trail is judged.
    ///
    /// ### Why
    /// A trail that is logging but cannot write to its bucket (a changed
    /// bucket policy, a disabled KMS key) records nothing: the audit trail
    /// HIPAA requires is silently gone.
    ///
    /// ### Sources
    /// - Live: `cloudtrail:GetTrailStatus` (`LatestDeliveryError`,
    ///   `LatestDeliveryTime`), for each trail of `cloudtrail:DescribeTrails`.
    pub static RULE = {
        id: "LOG-5",
        control: AuditTrails,
        severity: High,
        sources: [Live],
        reads: [Trails],
        scope: Resource,
        title: "The trail delivers without errors",
        remediation: "Fix what the delivery error names: the bucket policy must let CloudTrail write, the bucket must exist, and the trail's KMS key must be enabled and allow CloudTrail.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for t in &cx.inv.trails {
        match &t.delivery_error {
            Val::Known(None) => cx.pass(t.rid, "the trail delivers without errors"),
            Val::Known(Some(e)) => {
                cx.fail(t.rid, format!("the trail's latest delivery failed: {e}"))
            }
            Val::Unknown(r) => cx.unknown(t.rid, r.clone()),
        }
    }
}
