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

mod common;

use phiguard_rules::registry;
use std::path::{Path, PathBuf};

pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cfn")
}

fn header_lines(files: &[PathBuf]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for l in text.lines() {
            if let Some(h) = l.strip_prefix('#').and_then(common::header) {
                out.push(h);
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
    let name = path.file_name().unwrap().to_string_lossy();
    let files = fixture_files(path);
    let headers = header_lines(&files);
    common::check_fixture(rule_id, &name, &files, &headers)
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
    let mut seen = std::collections::HashSet::new();
    for t in phiguard_iac::tf::map::modelled_types() {
        assert!(seen.insert(t), "Terraform type {t} is mapped twice");
    }
    assert!(seen.len() > 40, "{} Terraform types mapped", seen.len());
}
