use crate::util::scp::{exempts_principals_only, is_global_service_action, is_scp, policy_name};
use crate::{Cx, declare_rule};
use phiguard_model::{Effect, Statement, Val};

declare_rule! {
    /// ### What it checks
    /// An attached service control policy denies requests outside the
    /// approved regions: a `Deny` statement on every action (`Action: "*"`, or
    /// a `NotAction` listing the global services to exempt) with a
    /// `StringNotEquals` (or `StringNotEqualsIgnoreCase`) condition on
    /// `aws:RequestedRegion` whose regions are all approved
    /// (`[regions] approved` in `phiguard.toml`, default `us-east-1`,
    /// `us-west-2`).
    ///
    /// Other conditions on the statement must only exempt named admin or
    /// break-glass principals (`ArnNotLike aws:PrincipalArn`). The SCP must
    /// have `Type: SERVICE_CONTROL_POLICY` and be attached.
    ///
    /// ### Why
    /// PHI must stay in the regions covered by the organization's risk
    /// analysis, backups and monitoring; a resource in another region is
    /// outside all of them.
    ///
    /// ### Sources
    /// - Live: SCP documents and their targets.
    /// - Terraform: `aws_organizations_policy` with `aws_organizations_policy_attachment`.
    /// - CloudFormation: `AWS::Organizations::Policy` (`Content`, `TargetIds`).
    ///
    /// A region deny that allows a region outside the approved list fails;
    /// when there is none at all, the rule fails only with `--complete`.
    pub static RULE = {
        id: "SCP-3",
        control: Guardrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [OrgPolicies, Organization, Accounts],
        scope: Estate,
        title: "An SCP denies requests outside the approved regions",
        remediation: "Attach an SCP that denies NotAction (global services) when aws:RequestedRegion is not one of the approved regions.",
        check: check,
    }
}

/// The regions a statement leaves allowed, when it is a region deny.
fn region_deny<'s>(cx: &Cx, s: &'s Statement) -> Option<&'s [String]> {
    if s.effect != Effect::Deny {
        return None;
    }
    // Every action, or every action but global services: a NotAction that
    // exempts a regional service (s3:*, kms:*) lets PHI leave the regions.
    let broad = (s.not_actions.is_empty() && s.actions.iter().any(|a| a == "*"))
        || (!s.not_actions.is_empty() && s.not_actions.iter().all(|a| is_global_service_action(a)));
    if !broad || !s.all_resources() {
        return None;
    }
    let mut regions = None;
    for c in &s.conditions {
        let op = c.operator.to_ascii_lowercase();
        if c.key.eq_ignore_ascii_case("aws:RequestedRegion")
            && (op == "stringnotequals" || op == "stringnotequalsignorecase")
        {
            regions = Some(c.values.as_slice());
        } else if !exempts_principals_only(cx.cfg, c) {
            return None;
        }
    }
    regions
}

fn check(cx: &mut Cx) {
    let approved = &cx.cfg.regions.approved;
    let mut unknown = Vec::new();
    let mut unattached = Vec::new();
    let mut good: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    for p in &cx.inv.org_policies {
        let scp = is_scp(p);
        if scp.is_false() {
            continue;
        }
        let name = policy_name(cx, p);
        let doc = match &p.document {
            Val::Known(d) => d,
            Val::Unknown(r) => {
                unknown.push(format!("{name}: {r}"));
                continue;
            }
        };
        for s in &doc.statements {
            let Some(regions) = region_deny(cx, s) else {
                continue;
            };
            let extra: Vec<&String> = regions
                .iter()
                .filter(|r| !approved.iter().any(|a| a.eq_ignore_ascii_case(r)))
                .collect();
            match (&p.targets, &scp) {
                (Val::Known(t), _) if t.is_empty() => {
                    unattached.push(name.clone());
                    continue;
                }
                (Val::Unknown(r), _) | (_, Val::Unknown(r)) => {
                    unknown.push(format!("{name}: {r}"));
                    continue;
                }
                _ => {}
            }
            if extra.is_empty() {
                good.push(format!("{name} (allows {})", regions.join(", ")));
            } else {
                bad.push((
                    p.rid,
                    format!(
                        "SCP {name} denies unapproved regions but still allows {}",
                        extra
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    // SCP denies add up: one compliant region deny is enough.
    if !good.is_empty() {
        cx.estate_pass(format!(
            "attached SCP {} denies requests outside the approved regions",
            good.join(", ")
        ));
        return;
    }
    if !bad.is_empty() {
        for (rid, msg) in bad {
            cx.fail(rid, msg);
        }
        return;
    }
    if !unknown.is_empty() {
        cx.estate_unknown(format!(
            "whether an attached SCP denies unapproved regions cannot be told: {}",
            unknown.join("; ")
        ));
        return;
    }
    let mut msg = format!(
        "no attached SCP denies requests outside the approved regions ({})",
        approved.join(", ")
    );
    if !unattached.is_empty() {
        msg.push_str(&format!(
            "; {} would, but is attached to nothing (no TargetIds)",
            unattached.join(", ")
        ));
    }
    cx.absent(msg);
}
