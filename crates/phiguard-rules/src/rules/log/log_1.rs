use crate::{Cx, declare_rule};
use phiguard_model::{Trail, Val};

declare_rule! {
    /// ### What it checks
    /// An organization trail exists, and every organization trail is
    /// multi-region, includes global service events (IAM, STS, CloudFront)
    /// and is logging.
    ///
    /// A trail that is not an organization trail fails, unless a compliant
    /// organization trail exists in the estate: then it is supplementary and
    /// the rule says nothing about it.
    ///
    /// ### Why
    /// HIPAA requires audit controls that record activity in every system
    /// holding ePHI. Only an organization trail covers every account,
    /// including accounts created later, and only a multi-region trail with
    /// global events sees activity in every region and in IAM.
    ///
    /// ### Sources
    /// - Live: `cloudtrail:DescribeTrails` (`IsOrganizationTrail`, `IsMultiRegionTrail`,
    ///   `IncludeGlobalServiceEvents`), `GetTrailStatus.IsLogging`.
    /// - Terraform: `aws_cloudtrail` (`is_organization_trail`, `is_multi_region_trail`,
    ///   `include_global_service_events`, `enable_logging`).
    /// - CloudFormation: `AWS::CloudTrail::Trail` (`IsOrganizationTrail` default `false`,
    ///   `IsMultiRegionTrail` default `false`, `IncludeGlobalServiceEvents` default `true`,
    ///   `IsLogging` required).
    ///
    /// With no trail at all, the rule fails only with `--complete`.
    pub static RULE = {
        id: "LOG-1",
        control: AuditTrails,
        severity: Critical,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails],
        scope: Estate,
        title: "An organization trail is multi-region, includes global events and is logging",
        remediation: "Create one CloudTrail trail with IsOrganizationTrail, IsMultiRegionTrail, IncludeGlobalServiceEvents and IsLogging all true, in the management account.",
        check: check,
    }
}

/// Is the trail multi-region, with global events, and logging? With what is missing.
fn complete(t: &Trail) -> (Val<bool>, Vec<&'static str>) {
    let parts = [
        (&t.multi_region, "not multi-region"),
        (&t.global_events, "does not include global service events"),
        (&t.logging, "not logging"),
    ];
    let missing: Vec<&str> = parts
        .iter()
        .filter(|(v, _)| v.is_false())
        .map(|(_, m)| *m)
        .collect();
    let v = phiguard_model::all3(parts.iter().map(|(v, _)| (*v).clone()));
    (v, missing)
}

fn check(cx: &mut Cx) {
    if cx.inv.trails.is_empty() {
        cx.absent("no CloudTrail trail is defined");
        return;
    }
    let compliant_org = cx
        .inv
        .trails
        .iter()
        .any(|t| t.organization.is_true() && complete(t).0.is_true());
    for t in &cx.inv.trails {
        match &t.organization {
            Val::Known(true) => {
                let (v, missing) = complete(t);
                cx.judge(
                    t.rid,
                    v,
                    "the organization trail is multi-region, includes global service events and is logging",
                    format!("the organization trail is {}", missing.join(", ")),
                );
            }
            Val::Known(false) if compliant_org => {}
            Val::Known(false) => cx.fail(
                t.rid,
                "the trail is not an organization trail (IsOrganizationTrail is false), and no compliant organization trail exists",
            ),
            Val::Unknown(_) if compliant_org => {}
            Val::Unknown(r) => cx.unknown(t.rid, r.clone()),
        }
    }
}
