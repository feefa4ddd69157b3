//! Service control policies: is an action denied by an attached SCP?

use crate::{Config, Cx};
use phiguard_model::{Effect, OrgPolicy, PolicyDoc, Statement, Val, glob_match};

/// Operators that exempt principals (`ArnNotLike aws:PrincipalArn [...]`).
const EXEMPT_OPERATORS: &[&str] = &[
    "arnnotlike",
    "arnnotequals",
    "stringnotlike",
    "stringnotequals",
    "stringnotequalsignorecase",
];

/// Does the condition only exempt named admin or break-glass principals?
pub fn exempts_principals_only(cfg: &Config, c: &phiguard_model::Condition) -> bool {
    let op = c.operator.to_ascii_lowercase();
    if !EXEMPT_OPERATORS.contains(&op.as_str()) || !c.key.eq_ignore_ascii_case("aws:PrincipalArn") {
        return false;
    }
    !c.values.is_empty()
        && c.values.iter().all(|v| {
            let lv = v.to_ascii_lowercase();
            cfg.identity
                .break_glass_principals
                .iter()
                .any(|p| glob_match(&p.to_ascii_lowercase(), &lv))
                || lv.contains("admin")
                || lv.contains("break")
                || lv.contains("organizationaccountaccessrole")
        })
}

/// A Deny on every resource whose conditions, if any, only exempt principals.
/// (A Deny scoped to one trail or one key protects nothing else.)
pub fn unconditional_deny(cfg: &Config, s: &Statement) -> bool {
    s.effect == Effect::Deny
        && s.all_resources()
        && s.conditions.iter().all(|c| exempts_principals_only(cfg, c))
}

/// Services that a region guardrail may exempt: global services, whose
/// endpoints live in us-east-1 whatever region is approved.
pub const GLOBAL_SERVICES: &[&str] = &[
    "iam",
    "organizations",
    "sts",
    "support",
    "cloudfront",
    "route53",
    "route53domains",
    "waf",
    "wafv2",
    "globalaccelerator",
    "budgets",
    "ce",
    "cur",
    "health",
    "trustedadvisor",
    "account",
    "aws-portal",
    "billing",
    "artifact",
    "shield",
    "sso",
    "sso-directory",
    "identitystore",
    "networkmanager",
    "pricing",
    "savingsplans",
    "tag",
    "chatbot",
    "iq",
    "ecr-public",
];

/// Is a `NotAction` entry of a region deny a global service (so that exempting
/// it leaves the regional services, where PHI lives, denied)?
pub fn is_global_service_action(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    let service = a.split(':').next().unwrap_or("");
    a.contains(':') && GLOBAL_SERVICES.contains(&service)
}

/// Is `action` denied by the document?
pub fn denies(cfg: &Config, doc: &PolicyDoc, action: &str) -> bool {
    doc.statements
        .iter()
        .any(|s| unconditional_deny(cfg, s) && s.covers_action(action))
}

/// Is this an SCP (known), and is it attached?
pub fn is_scp(p: &OrgPolicy) -> Val<bool> {
    p.policy_type
        .as_ref()
        .map(|t| t.eq_ignore_ascii_case("SERVICE_CONTROL_POLICY"))
}

pub fn policy_name(cx: &Cx, p: &OrgPolicy) -> String {
    match &p.name {
        Val::Known(n) => format!("{} ({n})", cx.inv.meta(p.rid).name),
        Val::Unknown(_) => cx.inv.meta(p.rid).name.clone(),
    }
}

/// Judges an estate rule "an attached SCP denies each of `actions`": passes
/// naming the policies; unknown when only policies whose type, content or
/// targets are unknown could cover; otherwise absent (a failure with
/// `--complete`), naming the missing actions.
pub fn judge_denied(cx: &mut Cx, what: &str, actions: &[&str]) {
    let mut covering: Vec<String> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut unattached: Vec<String> = Vec::new();
    for a in actions {
        let mut found = false;
        let mut maybe = None;
        for p in &cx.inv.org_policies {
            let name = policy_name(cx, p);
            let scp = is_scp(p);
            if scp.is_false() {
                continue;
            }
            let covers = match &p.document {
                Val::Known(d) => Val::Known(denies(cx.cfg, d, a)),
                Val::Unknown(r) => Val::Unknown(r.clone()),
            };
            if covers.is_false() {
                continue;
            }
            let attached = p.targets.as_ref().map(|t| !t.is_empty());
            if attached.is_false() {
                if covers.is_true() && !unattached.contains(&name) {
                    unattached.push(name);
                }
                continue;
            }
            if covers.is_true() && scp.is_true() && attached.is_true() {
                found = true;
                if !covering.contains(&name) {
                    covering.push(name);
                }
                break;
            }
            let reason = [scp.reason(), covers.reason(), attached.reason()]
                .into_iter()
                .flatten()
                .next()
                .unwrap_or_default()
                .to_string();
            maybe.get_or_insert(format!("{name}: {reason}"));
        }
        if !found {
            match maybe {
                Some(r) => unknown.push(format!("{a} ({r})")),
                None => missing.push(a),
            }
        }
    }
    if missing.is_empty() && unknown.is_empty() {
        cx.estate_pass(format!(
            "{what} is denied by attached SCP {}",
            covering.join(", ")
        ));
    } else if missing.is_empty() {
        cx.estate_unknown(format!(
            "whether an attached SCP denies {} cannot be told: {}",
            what,
            unknown.join("; ")
        ));
    } else {
        let mut msg = format!("no attached SCP denies {} ({})", what, missing.join(", "));
        if !unattached.is_empty() {
            msg.push_str(&format!(
                "; {} would, but is attached to nothing (no TargetIds)",
                unattached.join(", ")
            ));
        }
        cx.absent(msg);
    }
}
