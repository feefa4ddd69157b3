//! The expectations of rule fixtures, shared by the CloudFormation and
//! Terraform fixture tests:
//!
//! ```text
//! expect: fail AppBucket            the rule fails on the resource AppBucket
//! expect: fail AppBucket medium     ... at severity medium
//! expect: unknown Param             the rule cannot decide (and says why)
//! expect: pass estate               an estate-wide finding passes
//! expect: none SigningKey           the rule says nothing about SigningKey
//! options: complete                 judge as with --complete
//! options: cannot-pass              a pass-* fixture of a rule this source can
//!                                   never pass: no failure, and unknowns
//! options: now=2026-12-01           judge as on that day (age limits, IR-1)
//! config: [identity]                a line of phiguard.toml for this fixture
//! ```
//!
//! Beyond the stated expectations: a `pass-*` fixture has no failure of its
//! rule and at least one pass; a `fail-*` fixture has at least one failure; no
//! fixture has input errors.

use phiguard_iac::load;
use phiguard_rules::{Config, Finding, Outcome, RunOptions, Severity};
use std::path::PathBuf;

/// An `expect`, `options` or `config` line (`key: value`), if `line` is one.
pub fn header(line: &str) -> Option<(String, String)> {
    let (k, v) = line.trim().split_once(':')?;
    ["expect", "options", "config"]
        .contains(&k.trim())
        .then(|| (k.trim().to_string(), v.trim().to_string()))
}

struct Expect {
    outcome: Option<Outcome>,
    name: String,
    severity: Option<Severity>,
}

/// Loads `files` as one estate, runs `rule_id`, and checks the fixture's
/// stated expectations (`headers`: `expect`, `options` and `config` lines)
/// and the pass/fail naming conventions. `name` is the fixture's name.
pub fn check_fixture(
    rule_id: &str,
    name: &str,
    files: &[PathBuf],
    headers: &[(String, String)],
) -> Result<(), String> {
    let name = name.to_string();
    let complete = headers
        .iter()
        .any(|(k, v)| k == "options" && v.split_whitespace().any(|o| o == "complete"));
    let cannot_pass = headers
        .iter()
        .any(|(k, v)| k == "options" && v.split_whitespace().any(|o| o == "cannot-pass"));
    let cfg_text: String = headers
        .iter()
        .filter(|(k, _)| k == "config")
        .map(|(_, v)| format!("{v}\n"))
        .collect();
    let cfg = Config::from_toml(&cfg_text).map_err(|e| format!("{name}: bad config: {e}"))?;
    let loaded = load(files, &Default::default());
    if !loaded.errors.is_empty() {
        return Err(format!("{name}: input errors: {:?}", loaded.errors));
    }
    let now_epoch = headers
        .iter()
        .filter(|(k, _)| k == "options")
        .flat_map(|(_, v)| v.split_whitespace())
        .find_map(|o| o.strip_prefix("now="))
        .map(|d| {
            let (y, m, d) = phiguard_rules::baseline::parse_date(d)
                .unwrap_or_else(|| panic!("{name}: now= is not a date YYYY-MM-DD"));
            phiguard_rules::baseline::days_from_civil(y, m, d) * 86_400
        });
    let opts = RunOptions {
        complete,
        today: "2026-01-01".into(),
        only: vec![rule_id.to_string()],
        now_epoch,
    };
    let without = loaded
        .without_undecided
        .as_ref()
        .map(|(inv, names)| (inv, names.as_slice()));
    let findings = phiguard_rules::run_undecided(&loaded.inventory, without, &cfg, &opts);
    let of = |n: &str| -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| match &f.subject {
                Some(s) => s.name == n,
                None => n == "estate",
            })
            .collect()
    };
    let show = || {
        findings
            .iter()
            .map(|f| {
                format!(
                    "  {} {} {}: {}",
                    f.outcome.name(),
                    f.severity.name(),
                    f.subject
                        .as_ref()
                        .map(|s| s.name.as_str())
                        .unwrap_or("estate"),
                    f.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut expects = Vec::new();
    for (k, v) in headers {
        if k != "expect" {
            continue;
        }
        let parts: Vec<&str> = v.split_whitespace().collect();
        let (outcome, target) = match parts.as_slice() {
            [o, t, ..] => (*o, *t),
            _ => return Err(format!("{name}: bad expect line {v:?}")),
        };
        let outcome = match outcome {
            "pass" => Some(Outcome::Pass),
            "fail" => Some(Outcome::Fail),
            "unknown" => Some(Outcome::Unknown),
            "waived" => Some(Outcome::Waived),
            "none" => None,
            o => return Err(format!("{name}: bad outcome {o:?}")),
        };
        let severity = parts
            .get(2)
            .map(|s| Severity::parse(s).ok_or(format!("{name}: bad severity {s}")))
            .transpose()?;
        expects.push(Expect {
            outcome,
            name: target.to_string(),
            severity,
        });
    }
    if expects.is_empty() {
        return Err(format!(
            "{name}: states no expectation (# expect: OUTCOME NAME)"
        ));
    }
    for e in &expects {
        let got = of(&e.name);
        match e.outcome {
            None => {
                if !got.is_empty() {
                    return Err(format!(
                        "{name}: expected no {rule_id} finding on {}, got:\n{}",
                        e.name,
                        show()
                    ));
                }
            }
            Some(o) => {
                if got.is_empty() || got.iter().any(|f| f.outcome != o) {
                    return Err(format!(
                        "{name}: expected {rule_id} {} on {}, got:\n{}",
                        o.name(),
                        e.name,
                        show()
                    ));
                }
                if let Some(sev) = e.severity {
                    if got.iter().any(|f| f.severity != sev) {
                        return Err(format!(
                            "{name}: expected severity {} on {}, got:\n{}",
                            sev.name(),
                            e.name,
                            show()
                        ));
                    }
                }
                if o == Outcome::Unknown && got.iter().any(|f| f.message.trim().is_empty()) {
                    return Err(format!("{name}: an unknown must say why"));
                }
            }
        }
    }
    let fails = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .count();
    let passes = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Pass)
        .count();
    let unknowns = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Unknown)
        .count();
    if name.starts_with("pass") && cannot_pass && (fails > 0 || unknowns == 0) {
        return Err(format!(
            "{name}: a cannot-pass fixture needs unknowns and no failure, got:\n{}",
            show()
        ));
    }
    if name.starts_with("pass") && !cannot_pass && (fails > 0 || passes == 0) {
        return Err(format!(
            "{name}: a pass fixture needs passes and no failure, got:\n{}",
            show()
        ));
    }
    if name.starts_with("fail") && fails == 0 {
        return Err(format!(
            "{name}: a fail fixture needs a failure, got:\n{}",
            show()
        ));
    }
    Ok(())
}
