//! Runs the catalogue over an inventory, and applies waivers.

use crate::{Config, Cx, Finding, Outcome, Rule, registry};
use phiguard_model::{Inventory, Origin, SourceKind, glob_match};

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The inventory is the whole baseline: absence is failure (always true for live sources).
    pub complete: bool,
    /// Today as `YYYY-MM-DD`, for waiver expiry.
    pub today: String,
    /// Only these rule ids (empty: all).
    pub only: Vec<String>,
    /// Now, in seconds since the epoch, for age limits (SEC-2, CVE-2); the
    /// system clock when `None`.
    pub now_epoch: Option<i64>,
}

/// Runs every rule that claims a source present in the inventory. Findings on a
/// resource come only from rules that claim that resource's source. The result
/// is sorted (control, rule, location), so it does not depend on the order in
/// which resources were read.
pub fn run(inv: &Inventory, cfg: &Config, opts: &RunOptions) -> Vec<Finding> {
    let sources = inv.sources();
    let complete = opts.complete || sources.contains(&SourceKind::Live);
    let now = opts.now_epoch.unwrap_or_else(crate::now_epoch);
    let rules: Vec<&'static Rule> = registry::RULES
        .iter()
        .copied()
        .filter(|rule| {
            opts.only.is_empty() || opts.only.iter().any(|o| o.eq_ignore_ascii_case(rule.id))
        })
        .filter(|rule| sources.iter().any(|s| rule.claims(*s)))
        .collect();
    // Rules are pure functions of the inventory: they run on every core, and
    // their findings are joined in catalogue order, as one thread would.
    // Each rule's findings are waived and sorted on its thread; the rules
    // are in catalogue order, so the joined list is already in the report's
    // order (`sort` checks that in one pass).
    let per_rule = in_parallel(&rules, |rule| {
        let mut found = run_rule(rule, inv, cfg, complete, now);
        apply_waivers(&mut found, inv, cfg, &opts.today);
        sort(&mut found);
        found
    });
    // One allocation of the final size: tens of thousands of findings are
    // moved once, not again each time a growing list is reallocated.
    let mut out: Vec<Finding> = Vec::with_capacity(per_rule.iter().map(Vec::len).sum());
    for mut found in per_rule {
        out.append(&mut found);
    }
    sort(&mut out);
    out
}

use phiguard_model::par::in_parallel;

/// Runs the catalogue over an estate in which some resources exist only if a
/// condition decided at deploy time holds: over the estate with them
/// (`inv`) and without them (`without`). A judgement that differs between
/// the two depends on the deploy, and is reported `unknown`.
pub fn run_undecided(
    inv: &Inventory,
    without: Option<(&Inventory, &[String])>,
    cfg: &Config,
    opts: &RunOptions,
) -> Vec<Finding> {
    let with = run(inv, cfg, opts);
    let Some((other, undecided)) = without else {
        return with;
    };
    let alt = run(other, cfg, opts);
    let mut out = reconcile(with, &alt, undecided);
    sort(&mut out);
    out
}

type Key = (&'static str, Option<(String, String, Option<String>)>);

fn key(f: &Finding) -> Key {
    (
        f.rule,
        f.subject.as_ref().map(|s| {
            (
                s.kind.clone(),
                s.name.clone(),
                s.origin.file().map(str::to_string),
            )
        }),
    )
}

/// The distinct outcomes, a waived failure counting as a failure.
fn outcome_set(os: impl Iterator<Item = Outcome>) -> Vec<Outcome> {
    let mut v: Vec<Outcome> = os
        .map(|o| {
            if o == Outcome::Waived {
                Outcome::Fail
            } else {
                o
            }
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

fn reconcile(with: Vec<Finding>, without: &[Finding], undecided: &[String]) -> Vec<Finding> {
    use std::collections::HashMap;
    let list = undecided.join(", ");
    let mut alt: HashMap<Key, Vec<&Finding>> = HashMap::new();
    for f in without {
        alt.entry(key(f)).or_default().push(f);
    }
    let mut mine: HashMap<Key, Vec<Outcome>> = HashMap::new();
    for f in &with {
        mine.entry(key(f)).or_default().push(f.outcome);
    }
    let mut out = Vec::with_capacity(with.len());
    for mut f in with {
        let k = key(&f);
        if let Some(other) = alt.get(&k) {
            let here = outcome_set(mine[&k].iter().copied());
            let there = outcome_set(other.iter().map(|o| o.outcome));
            if here != there && f.outcome != Outcome::Unknown {
                f.message = format!(
                    "depends on resources created only under conditions decided at deploy time ({list}); if they are created: {}",
                    f.message
                );
                f.outcome = Outcome::Unknown;
                f.waiver = None;
            }
        }
        out.push(f);
    }
    // What fails only without the undecided resources (e.g. "no trail at
    // all") is not known either.
    for (k, fs) in &alt {
        if !mine.contains_key(k) && fs.iter().any(|f| f.outcome == Outcome::Fail) {
            let mut f = fs[0].clone();
            f.message = format!(
                "depends on resources created only under conditions decided at deploy time ({list}); if they are not created: {}",
                f.message
            );
            f.outcome = Outcome::Unknown;
            f.rid = None;
            out.push(f);
        }
    }
    out
}

/// Runs one rule, keeping only findings on sources it claims, then accounts
/// for the gaps of a live audit in what the rule reads.
pub fn run_rule(
    rule: &'static Rule,
    inv: &Inventory,
    cfg: &Config,
    complete: bool,
    now: i64,
) -> Vec<Finding> {
    let mut cx = Cx::new(inv, cfg, complete, rule);
    cx.now = now;
    (rule.check)(&mut cx);
    let mut f = cx.into_findings();
    f.retain(|f| match &f.subject {
        Some(s) => rule.claims(s.origin.source_kind()),
        None => true,
    });
    apply_gaps(rule, inv, &mut f);
    f
}

/// Where the live audit could not read a collection the rule reads: one
/// `unknown` finding per gap, and no estate-level failure, since what the rule
/// found absent may be in what was not read. Findings on a resource stand:
/// the resource was read.
fn apply_gaps(rule: &'static Rule, inv: &Inventory, findings: &mut Vec<Finding>) {
    let mut notes: Vec<String> = Vec::new();
    for g in inv
        .gaps
        .iter()
        .filter(|g| rule.reads.contains(&g.collection))
    {
        let d = crate::describe_gap(inv, g);
        if !notes.contains(&d) {
            notes.push(d);
        }
    }
    if notes.is_empty() {
        return;
    }
    let all = notes.join("; ");
    for f in findings.iter_mut() {
        if f.subject.is_none() && f.outcome == Outcome::Fail {
            f.outcome = Outcome::Unknown;
            f.severity = rule.severity;
            f.message = format!(
                "not decided, since the audit {all}; from what it read: {}",
                f.message
            );
        }
    }
    for n in notes {
        findings.push(Finding {
            rule: rule.id,
            control: rule.control,
            severity: rule.severity,
            outcome: Outcome::Unknown,
            subject: None,
            rid: None,
            message: n,
            waiver: None,
            failing_since: None,
        });
    }
}

/// The report's order: control, rule (catalogue order), file, line, name,
/// outcome, message. Compares borrowed parts, so sorting allocates nothing.
fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    let rule = || {
        if a.rule == b.rule {
            std::cmp::Ordering::Equal
        } else {
            registry::position(a.rule).cmp(&registry::position(b.rule))
        }
    };
    fn place(x: &Finding) -> (&str, u32, &str) {
        match &x.subject {
            Some(s) => (
                s.origin.file().unwrap_or(""),
                s.origin.line().unwrap_or(0),
                s.name.as_str(),
            ),
            None => ("", 0, ""),
        }
    }
    a.control
        .cmp(&b.control)
        .then_with(rule)
        .then_with(|| place(a).cmp(&place(b)))
        .then_with(|| a.outcome.cmp(&b.outcome))
        .then_with(|| a.message.cmp(&b.message))
}

fn sort(f: &mut [Finding]) {
    if !f.is_sorted_by(|a, b| order(a, b).is_le()) {
        f.sort_by(order);
    }
}

/// Turns failing findings matched by a waiver (from `phiguard.toml`, or
/// declared on the resource) into `waived`; an expired waiver leaves the
/// failure standing and says so.
pub fn apply_waivers(findings: &mut [Finding], inv: &Inventory, cfg: &Config, today: &str) {
    for f in findings.iter_mut().filter(|f| f.outcome == Outcome::Fail) {
        let Some(subject) = &f.subject else { continue };
        let from_config = cfg.waivers.iter().find(|w| {
            w.rule.eq_ignore_ascii_case(f.rule)
                && (glob_match(&w.resource, &subject.name)
                    || matches!(&subject.origin, Origin::Live { arn, .. } if glob_match(&w.resource, arn)))
        });
        let hit = from_config
            .map(|w| (&w.owner, &w.reason, &w.expires))
            .or_else(|| {
                let rid = f.rid?;
                inv.meta(rid)
                    .waivers
                    .iter()
                    .find(|w| w.rule.eq_ignore_ascii_case(f.rule))
                    .map(|w| (&w.owner, &w.reason, &w.expires))
            });
        if let Some((owner, reason, expires)) = hit {
            if today.is_empty() || expires.as_str() >= today {
                f.outcome = Outcome::Waived;
                f.waiver = Some(format!("waived by {owner} until {expires}: {reason}"));
            } else {
                f.waiver = Some(format!("waiver by {owner} expired on {expires}: {reason}"));
            }
        }
    }
}

/// Waivers that match no failing finding of a rule that was judged: the
/// resource was fixed, renamed or removed, and the waiver should go. A
/// waiver of a rule that did not run (`--rule`, or a source it does not
/// claim) is not judged stale.
pub fn stale_waivers(findings: &[Finding], inv: &Inventory, cfg: &Config) -> Vec<String> {
    let judged = |rule: &str| findings.iter().any(|f| f.rule.eq_ignore_ascii_case(rule));
    let failing = |f: &&Finding| matches!(f.outcome, Outcome::Fail | Outcome::Waived);
    let mut out = Vec::new();
    for w in &cfg.waivers {
        if !judged(&w.rule) {
            continue;
        }
        let used = findings.iter().filter(failing).any(|f| {
            f.rule.eq_ignore_ascii_case(&w.rule) && f.subject.as_ref().is_some_and(|s| {
                glob_match(&w.resource, &s.name)
                    || matches!(&s.origin, Origin::Live { arn, .. } if glob_match(&w.resource, arn))
            })
        });
        if !used {
            out.push(format!(
                "stale waiver in the configuration: {} on {:?} (owner {}, expires {}) matches no failing finding",
                w.rule, w.resource, w.owner, w.expires
            ));
        }
    }
    for m in inv.metas() {
        for w in &m.waivers {
            if !judged(&w.rule) {
                continue;
            }
            let used = findings
                .iter()
                .filter(failing)
                .any(|f| f.rid == Some(m.rid) && f.rule.eq_ignore_ascii_case(&w.rule));
            if !used {
                out.push(format!(
                    "stale waiver at {}: {} on {} (owner {}, expires {}) matches no failing finding",
                    m.origin.location(),
                    w.rule,
                    m.name,
                    w.owner,
                    w.expires
                ));
            }
        }
    }
    out
}

/// Counts of outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub waived: usize,
}

pub fn summarize(f: &[Finding]) -> Summary {
    let mut s = Summary::default();
    for x in f {
        match x.outcome {
            Outcome::Pass => s.pass += 1,
            Outcome::Fail => s.fail += 1,
            Outcome::Unknown => s.unknown += 1,
            Outcome::Waived => s.waived += 1,
        }
    }
    s
}
