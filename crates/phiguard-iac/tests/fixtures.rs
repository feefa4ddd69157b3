//! Rule fixtures: `fixtures/cfn/<RULE>/{pass,fail}-*.yaml` (or a directory of
//! templates judged as one estate). Each fixture states what it expects in
//! header comments, and this test asserts exactly that:
//!
//! ```text
//! # expect: fail AppBucket            the rule fails on the resource AppBucket
//! # expect: fail AppBucket medium     ... at severity medium
//! # expect: unknown Param             the rule cannot decide (and says why)
//! # expect: pass estate               an estate-wide finding passes
//! # expect: none SigningKey           the rule says nothing about SigningKey
//! # options: complete                 judge as with --complete
//! # options: cannot-pass              a pass-* fixture of a rule this source can
//!                                     never pass (e.g. RET-3: MFA Delete is not in
//!                                     CloudFormation): no failure, and unknowns
//! # config: [identity]                a line of phiguard.toml for this fixture
//! ```
//!
//! Beyond the stated expectations: a `pass-*` fixture has no failure of its
//! rule and at least one pass; a `fail-*` fixture has at least one failure; no
//! fixture has input errors.

use phiguard_iac::load;
use phiguard_rules::{Config, Finding, Outcome, RunOptions, Severity, registry};
use std::path::{Path, PathBuf};

pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cfn")
}

struct Expect {
    outcome: Option<Outcome>,
    name: String,
    severity: Option<Severity>,
}

fn header_lines(files: &[PathBuf]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for l in text.lines() {
            let Some(rest) = l.strip_prefix('#') else {
                continue;
            };
            if let Some((k, v)) = rest.trim().split_once(':') {
                if ["expect", "options", "config"].contains(&k.trim()) {
                    out.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
        }
    }
    out
}

fn fixture_files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v.retain(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "json" || e == "yml")
        });
        v
    } else {
        vec![path.to_path_buf()]
    }
}

fn check_fixture(rule_id: &str, path: &Path) -> Result<(), String> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let files = fixture_files(path);
    let headers = header_lines(&files);
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
    let loaded = load(&files, &Default::default());
    if !loaded.errors.is_empty() {
        return Err(format!("{name}: input errors: {:?}", loaded.errors));
    }
    let opts = RunOptions {
        complete,
        today: "2026-01-01".into(),
        only: vec![rule_id.to_string()],
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
    for (k, v) in &headers {
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

/// Every fixture of every rule.
#[test]
fn rule_fixtures() {
    let root = fixtures_root();
    let mut errors = Vec::new();
    let mut count = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let rule_id = dir.file_name().unwrap().to_string_lossy().to_string();
        if registry::find(&rule_id).is_none() {
            errors.push(format!("fixtures/cfn/{rule_id}: no such rule"));
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            let n = e.file_name().unwrap().to_string_lossy().to_string();
            if !(n.starts_with("pass") || n.starts_with("fail")) {
                errors.push(format!(
                    "{rule_id}/{n}: fixture names start with pass or fail"
                ));
                continue;
            }
            count += 1;
            if let Err(msg) = check_fixture(&rule_id, &e) {
                errors.push(format!("{rule_id}/{msg}"));
            }
        }
    }
    assert!(count > 0, "no fixtures found under {}", root.display());
    assert!(
        errors.is_empty(),
        "{} fixture(s) failed:\n{}",
        errors.len(),
        errors.join("\n\n")
    );
}

/// Every rule that claims CloudFormation has pass and fail fixtures for it.
#[test]
fn every_cloudformation_rule_has_pass_and_fail_fixtures() {
    let root = fixtures_root();
    let mut missing = Vec::new();
    for r in registry::RULES {
        if !r.claims(phiguard_model::SourceKind::CloudFormation) {
            continue;
        }
        let dir = root.join(r.id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        for kind in ["pass", "fail"] {
            if !names.iter().any(|n| n.starts_with(kind)) {
                missing.push(format!(
                    "{} has no {kind} fixture in fixtures/cfn/{}/",
                    r.id, r.id
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// No resource type is mapped by two modules (only one would take effect).
#[test]
fn each_resource_type_has_one_mapper() {
    let mut seen = std::collections::HashSet::new();
    for t in phiguard_iac::cfn::map::modelled_types() {
        assert!(seen.insert(t), "{t} is mapped twice");
    }
    assert!(seen.len() > 40, "{} types mapped", seen.len());
}
