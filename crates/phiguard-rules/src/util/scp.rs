//! Service control policies: is an action denied by an attached SCP?

use crate::{Config, Cx, Severity};
use phiguard_model::{
    Collection, Effect, OrgAccount, OrgPolicy, PolicyDoc, Rid, Statement, Val, action_matches,
    glob_match,
};

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

/// What an SCP rule decided for the estate (code) or one account (live).
pub enum Verdict {
    Pass(String),
    Fail(String),
    Unknown(String),
}

/// Which SCPs count: attached to anything (code, where the estate's accounts
/// are not known), or in effect for one account (live).
pub type InEffect<'a> = &'a dyn Fn(&OrgPolicy) -> Val<bool>;

/// A part of an SCP rule judged on the account itself, not on SCPs (SCP-1's
/// account-level Block Public Access).
pub type AccountPart<'a> = &'a dyn Fn(&Cx, &OrgAccount) -> Verdict;

/// Is the policy attached at all? (Code sources.)
pub fn attached(p: &OrgPolicy) -> Val<bool> {
    p.targets.as_ref().map(|t| !t.is_empty())
}

/// Is the policy in effect for the account: attached to the root, to an OU on
/// the account's path, or to the account itself?
pub fn in_effect_for(p: &OrgPolicy, account: &OrgAccount) -> Val<bool> {
    let targets = match &p.targets {
        Val::Known(t) => t,
        Val::Unknown(r) => return Val::Unknown(r.clone()),
    };
    // The root (`r-...`) is above every account of the organization.
    if targets
        .iter()
        .any(|t| t == &account.id || t.starts_with("r-"))
    {
        return Val::Known(true);
    }
    match &account.path {
        Val::Known(path) => Val::Known(path.iter().any(|n| targets.contains(&n.id))),
        Val::Unknown(r) => Val::Unknown(format!(
            "the account's place in the organization is not known: {r}"
        )),
    }
}

/// The management account's id: the organization's, else `accounts.management`
/// in `phiguard.toml`, else the account whose role is `management`.
pub fn management_account(cx: &Cx) -> Option<String> {
    if let Some(m) = cx
        .inv
        .organizations
        .iter()
        .find_map(|o| o.management_account.known())
    {
        return Some(m.clone());
    }
    if let Some(m) = &cx.cfg.accounts.management {
        return Some(m.clone());
    }
    cx.inv
        .org_accounts
        .iter()
        .find(|a| matches!(&a.role, Val::Known(Some(r)) if r == "management"))
        .map(|a| a.id.clone())
}

/// "SCPs that count deny each of `actions`": pass naming the policies;
/// unknown when only policies whose type, content or targets are unknown could
/// cover; otherwise fail naming the missing actions.
pub fn denied_verdict(cx: &Cx, what: &str, actions: &[&str], counts: InEffect) -> Verdict {
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
            let effective = counts(p);
            if effective.is_false() {
                if covers.is_true() && !unattached.contains(&name) {
                    unattached.push(name);
                }
                continue;
            }
            if covers.is_true() && scp.is_true() && effective.is_true() {
                found = true;
                if !covering.contains(&name) {
                    covering.push(name);
                }
                break;
            }
            let reason = [scp.reason(), covers.reason(), effective.reason()]
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
    let live = !cx.inv.org_accounts.is_empty();
    if live {
        // Not in the order the policies were read.
        covering.sort();
        unattached.sort();
    }
    if missing.is_empty() && unknown.is_empty() {
        Verdict::Pass(if live {
            format!(
                "{what} is denied by SCP {}, in effect for the account",
                covering.join(", ")
            )
        } else {
            format!("{what} is denied by attached SCP {}", covering.join(", "))
        })
    } else if missing.is_empty() {
        let which = if live {
            "an SCP in effect for the account"
        } else {
            "an attached SCP"
        };
        Verdict::Unknown(format!(
            "whether {which} denies {} cannot be told: {}",
            what,
            unknown.join("; ")
        ))
    } else {
        let (which, nowhere) = if live {
            (
                "no SCP in effect for the account",
                "is not in effect for the account",
            )
        } else {
            ("no attached SCP", "is attached to nothing (no TargetIds)")
        };
        let mut msg = format!("{which} denies {} ({})", what, missing.join(", "));
        if !unattached.is_empty() {
            msg.push_str(&format!("; {} would, but {nowhere}", unattached.join(", ")));
        }
        Verdict::Fail(msg)
    }
}

/// The collections whose gaps make an SCP failure undecided.
const SCP_READS: &[Collection] = &[Collection::OrgPolicies, Collection::Organization];

/// Judges an SCP rule for each audited account of the organization (live):
/// `judge` decides from the SCPs in effect for the account, and `extra`
/// (SCP-1's account-level Block Public Access) may add a part that the
/// management account does not escape. The management account is never bound
/// by SCPs: the SCP part is reported there as information (a failure of
/// severity `info`), not as a pass.
pub fn judge_accounts(
    cx: &mut Cx,
    judge: &dyn Fn(&Cx, InEffect) -> Verdict,
    extra: Option<AccountPart>,
) {
    let mgmt = management_account(cx);
    let gap = cx.gap_note(SCP_READS, None);
    let inv = cx.inv;
    for acct in inv.org_accounts.iter().filter(|a| a.audited) {
        let is_mgmt = mgmt.as_deref() == Some(acct.id.as_str());
        let scp = if is_mgmt {
            None
        } else {
            Some(match (judge(cx, &|p| in_effect_for(p, acct)), &gap) {
                // What was not read may hold the missing SCP.
                (Verdict::Fail(m), Some(g)) => Verdict::Unknown(format!(
                    "not decided, since the audit {g}; from what it read: {m}"
                )),
                (v, _) => v,
            })
        };
        let other = extra.map(|e| e(cx, acct));
        let mut fails = Vec::new();
        let mut unknowns = Vec::new();
        let mut passes = Vec::new();
        for v in scp.into_iter().chain(other) {
            match v {
                Verdict::Pass(m) => passes.push(m),
                Verdict::Fail(m) => fails.push(m),
                Verdict::Unknown(m) => unknowns.push(m),
            }
        }
        if !fails.is_empty() {
            let mut m = fails.join("; ");
            if is_mgmt {
                m.push_str("; the management account is not bound by SCPs");
            }
            cx.fail(acct.rid, m);
        } else if !unknowns.is_empty() {
            cx.unknown(acct.rid, unknowns.join("; "));
        } else if is_mgmt {
            let mut m = String::from("the management account is not bound by SCPs");
            if !passes.is_empty() {
                m = format!("{}; {m}", passes.join("; "));
            }
            cx.fail_at(acct.rid, Severity::Info, m);
        } else {
            cx.pass(acct.rid, passes.join("; "));
        }
    }
}

/// Judges a rule "an SCP denies each of `actions`": for each audited account
/// when the organization's accounts are known (live), else for the estate,
/// where the absence of a covering SCP is a failure only with `--complete`.
pub fn judge_denied(cx: &mut Cx, what: &str, actions: &[&str]) {
    judge_denied_with(cx, what, actions, None)
}

/// [`judge_denied`] with an account-level part for the live audit.
///
/// Where the actions are not all denied, each attached SCP clearly meant to
/// deny them that does not count (an `Allow`, a `Deny` narrowed by a
/// condition or to some resources, or one that covers only some of the
/// actions) is reported as a failure of its own, saying why, whether or not
/// the estate is complete.
pub fn judge_denied_with(cx: &mut Cx, what: &str, actions: &[&str], extra: Option<AccountPart>) {
    let before = cx.findings.len();
    if !cx.inv.org_accounts.is_empty() {
        judge_accounts(
            cx,
            &|cx, counts| denied_verdict(cx, what, actions, counts),
            extra,
        );
    } else {
        match denied_verdict(cx, what, actions, &attached) {
            Verdict::Pass(m) => cx.estate_pass(m),
            Verdict::Unknown(m) => cx.estate_unknown(m),
            Verdict::Fail(m) => cx.absent(m),
        }
    }
    let protected = cx.findings.len() > before
        && cx.findings[before..]
            .iter()
            .all(|f| f.outcome == crate::Outcome::Pass || f.severity == Severity::Info);
    if !protected {
        for (rid, why) in weak_guardrails(cx, what, actions, &attached) {
            cx.fail(rid, why);
        }
    }
}

/// Is the statement clearly about some of `actions`: does its `Action` name
/// one of them (exactly, or by a pattern other than `*`)?
fn names_actions(s: &Statement, actions: &[&str]) -> bool {
    s.not_actions.is_empty()
        && s.actions
            .iter()
            .any(|p| p != "*" && actions.iter().any(|a| action_matches(p, a)))
}

/// Why a condition keeps a Deny from counting, in words.
fn condition_words(c: &phiguard_model::Condition) -> String {
    let key = c.key.to_ascii_lowercase();
    let what = format!("{} {} {}", c.key, c.operator, c.values.join(", "));
    let effect = if key.starts_with("aws:principaltag/") {
        "principals without that tag are not denied"
    } else if key == "aws:requestedregion" {
        "requests in any other region are not denied"
    } else if key.starts_with("aws:resourcetag/") || key.starts_with("aws:requesttag/") {
        "resources or requests without that tag are not denied"
    } else if key == "aws:principalarn" || key == "aws:principalaccount" {
        "it binds only some principals"
    } else {
        "the call is denied only when the condition holds"
    };
    format!("its Deny applies only when {what} ({effect})")
}

/// The SCPs that count (`counts`) and are clearly meant to deny some of
/// `actions` but leave at least one of them allowed: each with a message
/// naming the policy and why it does not count.
pub fn weak_guardrails(
    cx: &Cx,
    what: &str,
    actions: &[&str],
    counts: InEffect,
) -> Vec<(Rid, String)> {
    let mut out = Vec::new();
    for p in &cx.inv.org_policies {
        let Val::Known(doc) = &p.document else {
            continue;
        };
        if is_scp(p).is_false() || counts(p).is_false() {
            continue;
        }
        let meant: Vec<&Statement> = doc
            .statements
            .iter()
            .filter(|s| names_actions(s, actions))
            .collect();
        if meant.is_empty() {
            continue;
        }
        let denied: Vec<&str> = actions
            .iter()
            .copied()
            .filter(|a| denies(cx.cfg, doc, a))
            .collect();
        if denied.len() == actions.len() {
            continue;
        }
        let mut why: Vec<String> = Vec::new();
        for s in &meant {
            let named: Vec<&str> = actions
                .iter()
                .copied()
                .filter(|a| s.covers_action(a))
                .collect();
            let names = named.join(", ");
            if s.effect == Effect::Allow {
                why.push(format!(
                    "it Allows {names}: an SCP Allow grants nothing and stops nothing; only a Deny does"
                ));
                continue;
            }
            if !s.all_resources() {
                why.push(format!(
                    "its Deny of {names} covers only {}",
                    if s.resources.is_empty() {
                        format!("what NotResource leaves ({})", s.not_resources.join(", "))
                    } else {
                        s.resources.join(", ")
                    }
                ));
            }
            for c in &s.conditions {
                if !exempts_principals_only(cx.cfg, c) {
                    why.push(format!("{} for {names}", condition_words(c)));
                }
            }
        }
        let missing: Vec<&str> = actions
            .iter()
            .copied()
            .filter(|a| !denied.contains(a))
            .collect();
        if why.is_empty() || !denied.is_empty() {
            why.push(format!(
                "it denies {} but not {}",
                if denied.is_empty() {
                    "none of them".to_string()
                } else {
                    denied.join(", ")
                },
                missing.join(", ")
            ));
        }
        out.push((
            p.rid,
            format!(
                "SCP {} is meant to stop {what} but does not count: {}",
                policy_name(cx, p),
                why.join("; ")
            ),
        ));
    }
    out
}
