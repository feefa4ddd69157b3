//! `phiguard check --format sarif|junit` end to end on the fixtures.

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
