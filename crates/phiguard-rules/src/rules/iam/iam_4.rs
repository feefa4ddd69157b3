use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every IAM Identity Center permission set has a `SessionDuration` of at
    /// most `limits.max_session_hours` (default 12 hours). Whether Identity
    /// Center itself is enabled is read only from live accounts: a template
    /// cannot tell.
    ///
    /// ### Why
    /// Short sessions bound how long a stolen browser session or credential
    /// set stays useful, and make sure that removing someone from the
    /// directory takes effect within the working day.
    ///
    /// ### Sources
    /// - Live: `sso-admin:ListInstances`, `sso-admin:DescribePermissionSet`.
    /// - Terraform: `aws_ssoadmin_permission_set.session_duration` (default `PT1H`).
    /// - CloudFormation: `AWS::SSO::PermissionSet.SessionDuration`, an ISO-8601
    ///   duration such as `PT8H` (default `PT1H`).
    pub static RULE = {
        id: "IAM-4",
        control: AccessKeys,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Sso],
        scope: Resource,
        title: "Identity Center permission sets limit sessions to 12 hours",
        remediation: "Set the permission set's SessionDuration to PT12H or less (PT8H recommended).",
        check: check,
    }
}

fn hours(secs: u32) -> String {
    if secs.is_multiple_of(3600) {
        format!("{} hours", secs / 3600)
    } else {
        format!("{} minutes", secs / 60)
    }
}

fn check(cx: &mut Cx) {
    let max = cx.cfg.limits.max_session_hours.saturating_mul(3600);
    for p in &cx.inv.permission_sets {
        match p.session_secs {
            Val::Known(s) => cx.judge(
                p.rid,
                Val::Known(s <= max),
                format!("sessions last at most {}", hours(s)),
                format!(
                    "sessions last {}, longer than the {}-hour limit",
                    hours(s),
                    cx.cfg.limits.max_session_hours
                ),
            ),
            Val::Unknown(ref r) => cx.unknown(p.rid, r.clone()),
        }
    }
}
