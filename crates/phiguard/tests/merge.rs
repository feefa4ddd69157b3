//! `phiguard merge` joins the JSON reports of audit shards.

use std::path::Path;
use std::process::{Command, Output};

fn phiguard(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("phiguard runs")
}

fn finding(
    rule: &str,
    outcome: &str,
    severity: &str,
    account: &str,
    name: &str,
) -> serde_json::Value {
    serde_json::json!({
        "rule": rule, "title": null, "control": 7, "control_title": "x",
        "severity": severity, "outcome": outcome, "message": format!("{rule} on {name}"),
        "waiver": null,
        "resource": {
            "kind": "AWS::IAM::RootUser", "name": name, "location": "arn",
            "origin": { "kind": "live", "arn": format!("arn:aws:iam::{account}:root"), "account": account, "region": "global" }
        }
    })
}

fn shard(accounts: &[&str], findings: Vec<serde_json::Value>, errors: serde_json::Value) -> String {
    serde_json::json!({
        "schema_version": 1,
        "tool": { "name": "phiguard", "version": "0.1.0" },
        "command": "audit",
        "complete": true,
        "inputs": accounts,
        "skipped": [],
        "summary": { "pass": 0, "fail": 0, "unknown": 0, "waived": 0 },
        "problems": [],
        "collection_errors": errors,
        "not_judged": [],
        "findings": findings,
    })
    .to_string()
}

#[test]
fn shards_merge_into_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let org = serde_json::json!({
        "rule": "ORG-1", "title": null, "control": 2, "control_title": "x", "severity": "high",
        "outcome": "pass", "message": "the organization has all features", "waiver": null, "resource": null
    });
    let a = shard(
        &["111111111111"],
        vec![
            org.clone(),
            finding("IAM-2", "pass", "critical", "111111111111", "root"),
        ],
        serde_json::json!([]),
    );
    let b = shard(
        &["222222222222"],
        vec![
            org,
            finding("IAM-2", "fail", "critical", "222222222222", "root"),
        ],
        serde_json::json!([{ "unit": "222222222222/us-east-1", "collection": "macie", "operation": "macie2:GetMacieSession", "reason": "AccessDeniedException" }]),
    );
    std::fs::write(dir.path().join("a.json"), a).unwrap();
    std::fs::write(dir.path().join("b.json"), b).unwrap();

    let out = phiguard(&["merge", "a.json", "b.json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "a critical failure in one shard fails the merge"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["inputs"],
        serde_json::json!(["111111111111", "222222222222"])
    );
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules.iter().filter(|r| **r == "ORG-1").count(),
        1,
        "the organization finding is kept once"
    );
    assert_eq!(rules.iter().filter(|r| **r == "IAM-2").count(), 2);
    assert_eq!(doc["summary"]["fail"], 1);
    assert_eq!(doc["summary"]["pass"], 2);
    assert_eq!(doc["collection_errors"].as_array().unwrap().len(), 1);
    assert!(
        doc["findings"][0]["title"].as_str().is_some(),
        "titles come from the catalogue"
    );

    // Other formats render the merged findings too.
    let out = phiguard(
        &[
            "merge",
            "-f",
            "sarif",
            "a.json",
            "b.json",
            "--fail-on",
            "critical",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn a_report_that_is_not_phiguard_json_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        "{\"schema_version\": 1,\n \"command\": 3}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("old.json"),
        shard(&[], vec![], serde_json::json!([]))
            .replace("\"schema_version\":1", "\"schema_version\":99"),
    )
    .unwrap();
    let out = phiguard(&["merge", "bad.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:2:"), "{err}");
    let out = phiguard(&["merge", "old.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schema_version 99"));
    let out = phiguard(&["merge", "missing.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}
