//! `phiguard check --format sarif|junit|html|ocsf|asff|csv|markdown` end to end on the fixtures.

use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cfn")
}

fn check(format: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(["check", "--format", format, "--color", "never"])
        .arg(fixtures())
        .output()
        .expect("phiguard runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 report"),
    )
}

#[test]
fn sarif_end_to_end() {
    let (code, out) = check("sarif");
    assert_eq!(code, 1, "the fixtures hold failing resources");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_eq!(doc["version"], "2.1.0");
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../phiguard-report/tests/data/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().any(|r| r["kind"] == "fail"));
    assert!(results.iter().any(|r| r["kind"] == "pass"));
}

#[test]
fn junit_end_to_end() {
    let (code, out) = check("junit");
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert!(out.contains("<testsuite name=\"4 · At-rest encryption\""));
    assert!(out.contains("<failure message="));
    assert!(out.trim_end().ends_with("</testsuites>"));
}

fn validate(schema: &str, doc: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(schema).unwrap();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn ocsf_and_asff_end_to_end() {
    let (code, json) = check("json");
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = json["findings"].as_array().unwrap().len();
    for (format, schema) in [
        (
            "ocsf",
            include_str!(
                "../../phiguard-report/tests/data/ocsf-1.8.0-compliance_finding.schema.json"
            ),
        ),
        (
            "asff",
            include_str!("../../phiguard-report/tests/data/asff-awssecurityfinding.schema.json"),
        ),
    ] {
        let (code, out) = check(format);
        assert_eq!(code, 1, "{format}");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let items = doc.as_array().unwrap();
        assert_eq!(items.len(), n, "{format}: one item per finding");
        for item in items {
            validate(schema, item);
        }
    }
}

#[test]
fn csv_and_markdown_end_to_end() {
    let (_, json) = check("json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let s = &json["summary"];
    let (code, csv) = check("csv");
    assert_eq!(code, 1);
    assert!(csv.starts_with("outcome,severity,rule,"));
    let fails = csv.lines().filter(|l| l.starts_with("fail,")).count();
    assert_eq!(fails as u64, s["fail"].as_u64().unwrap());
    let (code, md) = check("markdown");
    assert_eq!(code, 1);
    assert!(md.starts_with(&format!("## ❌ phiguard check: {} failing", s["fail"])));
    assert!(md.len() < 65_536);
}

#[test]
fn html_end_to_end() {
    let (_, json) = check("json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (code, html) = check("html");
    assert_eq!(code, 1);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!("id=\"count-fail\">{}<", json["summary"]["fail"])));
    for load in ["src=\"", "<link", "url(", "@import"] {
        assert!(!html.contains(load), "self-contained: {load}");
    }
}
