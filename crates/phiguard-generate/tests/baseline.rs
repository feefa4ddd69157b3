//! The generated baseline: byte-identical across runs (snapshot), judged by
//! phiguard's own `check --complete`, by cfn-lint and by Checkov.
//!
//! cfn-lint and Checkov come from scripts/pytools.sh (PHIGUARD_CFN_LINT,
//! PHIGUARD_CHECKOV). When one is missing the test fails under CI or
//! PHIGUARD_REQUIRE_TOOLS, and otherwise skips with a message.

use phiguard_generate::{File, Options, generate};
use phiguard_rules::{Config, Outcome, RunOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn config() -> Config {
    let text = include_str!("data/phiguard.toml");
    let cfg = Config::from_toml(text).expect("test configuration parses");
    assert!(
        cfg.generation_errors().is_empty(),
        "{:?}",
        cfg.generation_errors()
    );
    cfg
}

fn files(with_eks: bool) -> Vec<File> {
    generate(&config(), Options { with_eks })
}

fn write(files: &[File]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let p = dir.path().join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &f.text).unwrap();
    }
    dir
}

fn templates(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.is_dir() {
            for f in std::fs::read_dir(&sub).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "yaml") {
                    v.push(f);
                }
            }
        }
    }
    v.sort();
    v
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = files(true);
    let b = files(true);
    assert_eq!(a, b);
    for f in &a {
        insta::assert_snapshot!(f.path.replace('/', "__"), f.text);
    }
}

/// Unknowns that no generated template can remove, by rule: what
/// CloudFormation cannot express.
const IRREDUCIBLE: &[(&str, &str)] = &[
    ("RET-3", "MFA Delete cannot be set in CloudFormation"),
    (
        "SCP-1",
        "account-level Block Public Access cannot be read from CloudFormation",
    ),
];

fn judge(dir: &Path) -> Vec<phiguard_rules::Finding> {
    let loaded = phiguard_iac::load(&[dir.to_path_buf()], &phiguard_iac::LoadOptions::default());
    assert!(
        loaded.errors.is_empty(),
        "input errors: {:?}",
        loaded.errors
    );
    let run = RunOptions {
        complete: true,
        today: "2026-12-01".into(),
        only: vec![],
        // 2026-12-01: the test configuration's runbooks were reviewed 2026-11-01 (IR-1).
        now_epoch: Some(1_796_083_200),
    };
    phiguard_rules::run(&loaded.inventory, &config(), &run)
}

#[test]
fn check_complete_finds_no_failure_and_only_irreducible_unknowns() {
    for with_eks in [false, true] {
        let dir = write(&files(with_eks));
        let findings = judge(dir.path());
        let failed: Vec<String> = findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail)
            .map(|f| {
                format!(
                    "{} {:?}: {}",
                    f.rule,
                    f.subject.as_ref().map(|s| &s.name),
                    f.message
                )
            })
            .collect();
        assert!(failed.is_empty(), "failures: {failed:#?}");
        for f in findings.iter().filter(|f| f.outcome == Outcome::Unknown) {
            assert!(
                IRREDUCIBLE
                    .iter()
                    .any(|(rule, why)| *rule == f.rule && f.message.contains(why)),
                "unknown that generation should remove: {} {}",
                f.rule,
                f.message
            );
        }
        let passed: Vec<&str> = findings
            .iter()
            .filter(|f| f.outcome == Outcome::Pass)
            .map(|f| f.rule)
            .collect();
        // The custom resource turns on EBS encryption by default (ENC-3), and
        // the estate-wide rules have their subjects.
        for rule in [
            "ENC-3", "SCP-2", "SCP-3", "SCP-4", "SCP-5", "LOG-1", "LOG-3", "LOG-4", "RET-1",
            "RET-2", "MON-1", "MON-2", "MON-3", "MON-4", "NET-1", "NET-2", "NET-3", "FLOW-1",
            "FLOW-2", "FLOW-3", "BAK-2", "BAK-3", "BAK-4", "IR-1", "IR-2", "IAM-4",
        ] {
            assert!(passed.contains(&rule), "{rule} does not pass");
        }
        if with_eks {
            for rule in ["EKS-1", "EKS-2", "EKS-4"] {
                assert!(passed.contains(&rule), "{rule} does not pass");
            }
        }
    }
}

/// The path of a tool from its environment variable, or None (with a skip
/// message) when it is not installed and not required.
fn tool(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        if p.exists() {
            return Some(p);
        }
    }
    let required =
        std::env::var_os("CI").is_some() || std::env::var_os("PHIGUARD_REQUIRE_TOOLS").is_some();
    assert!(
        !required,
        "{name} is required (CI or PHIGUARD_REQUIRE_TOOLS) but {var} does not name it: run scripts/pytools.sh install"
    );
    eprintln!("skipping: {name} not installed ({var}; scripts/pytools.sh install)");
    None
}

#[test]
fn cfn_lint_reports_no_error() {
    let Some(lint) = tool("PHIGUARD_CFN_LINT", "cfn-lint") else {
        return;
    };
    let dir = write(&files(true));
    let out = Command::new(lint)
        .args(["--format", "parseable"])
        .args(templates(dir.path()))
        .output()
        .expect("cfn-lint runs");
    let text = String::from_utf8_lossy(&out.stdout);
    // Parseable lines: file:line:col:line:col:RULE:message. Errors are E rules.
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.split(':').nth(5).is_some_and(|r| r.starts_with('E')))
        .collect();
    assert!(errors.is_empty(), "cfn-lint errors:\n{}", errors.join("\n"));
    // Exit codes: 0 clean; 4 warnings; 8 informational; 2 errors; 1 a failure of the tool.
    let code = out.status.code().unwrap_or(1);
    assert!(
        code & 3 == 0,
        "cfn-lint exited {code}: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn checkov_fails_no_check_and_every_skip_has_a_reason() {
    let Some(checkov) = tool("PHIGUARD_CHECKOV", "Checkov") else {
        return;
    };
    let dir = write(&files(true));
    let out = Command::new(checkov)
        .args([
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--skip-download",
            "-d",
        ])
        .arg(dir.path())
        .env("BC_API_KEY", "")
        .output()
        .expect("checkov runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "checkov output is not JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let results = &v["results"];
    let failed: Vec<String> = results["failed_checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| format!("{} {} {}", c["check_id"], c["resource"], c["file_path"]))
                .collect()
        })
        .unwrap_or_default();
    assert!(failed.is_empty(), "Checkov failed checks: {failed:#?}");
    let passed = results["passed_checks"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(passed > 100, "Checkov judged too little: {passed} passed");
    for s in results["skipped_checks"].as_array().into_iter().flatten() {
        let why = s["check_result"]["suppress_comment"].as_str().unwrap_or("");
        assert!(
            why.len() > 30,
            "skip of {} on {} has no real reason: {why:?}",
            s["check_id"],
            s["resource"]
        );
    }
}
