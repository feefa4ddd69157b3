use crate::util::scp::{
    InEffect, Verdict, attached, exempts_principals_only, is_global_service_action, is_scp,
    judge_accounts, policy_name,
};
use crate::{Cx, declare_rule};
use phiguard_model::{Effect, Rid, Statement, Val};

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
    ///
    /// Live, the rule is judged for each audited account of the organization:
    /// the SCPs that count are those in effect for it, attached to the root,
    /// to an OU on the account's path, or to the account itself. The
    /// management account is never bound by SCPs: its finding is a failure of
    /// severity `info` saying so (information, not a pass). An account whose
    /// place in the organization is unknown is `unknown`.
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

/// What the region denies among the SCPs that count say.
struct Found {
    good: Vec<String>,
    bad: Vec<(Rid, String)>,
    unknown: Vec<String>,
    unattached: Vec<String>,
}

fn find(cx: &Cx, counts: InEffect) -> Found {
    let approved = &cx.cfg.regions.approved;
    let mut f = Found {
        good: Vec::new(),
        bad: Vec::new(),
        unknown: Vec::new(),
        unattached: Vec::new(),
    };
    for p in &cx.inv.org_policies {
        let scp = is_scp(p);
        if scp.is_false() {
            continue;
        }
        let name = policy_name(cx, p);
        let doc = match &p.document {
            Val::Known(d) => d,
            Val::Unknown(r) => {
                f.unknown.push(format!("{name}: {r}"));
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
            let effective = counts(p);
            match (&effective, &scp) {
                (Val::Known(false), _) => {
                    f.unattached.push(name.clone());
                    continue;
                }
                (Val::Unknown(r), _) | (_, Val::Unknown(r)) => {
                    f.unknown.push(format!("{name}: {r}"));
                    continue;
                }
                _ => {}
            }
            if extra.is_empty() {
                f.good
                    .push(format!("{name} (allows {})", regions.join(", ")));
            } else {
                f.bad.push((
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
    f
}

fn missing(cx: &Cx, f: &Found, live: bool) -> String {
    let which = if live {
        "no SCP in effect for the account"
    } else {
        "no attached SCP"
    };
    let mut msg = format!(
        "{which} denies requests outside the approved regions ({})",
        cx.cfg.regions.approved.join(", ")
    );
    if !f.unattached.is_empty() {
        msg.push_str(&format!(
            "; {} would, but {}",
            f.unattached.join(", "),
            if live {
                "is not in effect for the account"
            } else {
                "is attached to nothing (no TargetIds)"
            }
        ));
    }
    msg
}

/// One account (live): SCP denies add up, so one compliant region deny in
/// effect is enough.
fn account_verdict(cx: &Cx, counts: InEffect) -> Verdict {
    let mut f = find(cx, counts);
    // Not in the order the policies were read.
    f.good.sort();
    f.bad.sort_by(|a, b| a.1.cmp(&b.1));
    f.unknown.sort();
    f.unattached.sort();
    if !f.good.is_empty() {
        Verdict::Pass(format!(
            "SCP {}, in effect for the account, denies requests outside the approved regions",
            f.good.join(", ")
        ))
    } else if !f.bad.is_empty() {
        Verdict::Fail(
            f.bad
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    } else if !f.unknown.is_empty() {
        Verdict::Unknown(format!(
            "whether an SCP in effect for the account denies unapproved regions cannot be told: {}",
            f.unknown.join("; ")
        ))
    } else {
        Verdict::Fail(missing(cx, &f, true))
    }
}

fn check(cx: &mut Cx) {
    if !cx.inv.org_accounts.is_empty() {
        judge_accounts(cx, &account_verdict, None);
        return;
    }
    let f = find(cx, &attached);
    // SCP denies add up: one compliant region deny is enough.
    if !f.good.is_empty() {
        cx.estate_pass(format!(
            "attached SCP {} denies requests outside the approved regions",
            f.good.join(", ")
        ));
        return;
    }
    if !f.bad.is_empty() {
        for (rid, msg) in f.bad {
            cx.fail(rid, msg);
        }
        return;
    }
    if !f.unknown.is_empty() {
        cx.estate_unknown(format!(
            "whether an attached SCP denies unapproved regions cannot be told: {}",
            f.unknown.join("; ")
        ));
        return;
    }
    let msg = missing(cx, &f, false);
    cx.absent(msg);
}
