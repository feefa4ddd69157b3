//! `docs/json-report.md` and the JSON report agree: every documented key is
//! emitted and every emitted key is documented.

mod common;

use phiguard_model::Origin;
use phiguard_report::{Format, Problem, Style, render};
use phiguard_rules::{Outcome, Severity, Subject};
use serde_json::Value;
use std::collections::BTreeSet;

const DOC: &str = include_str!("../../../docs/json-report.md");

/// The backticked names in the first column of the table under `heading`.
fn table_keys(heading: &str) -> BTreeSet<String> {
    table_rows(heading)
        .into_iter()
        .map(|cells| ticked(&cells[0])[0].clone())
        .collect()
}

fn table_rows(heading: &str) -> Vec<Vec<String>> {
    let mut lines = DOC.lines().skip_while(|l| l.trim() != heading);
    assert!(
        lines.next().is_some(),
        "docs/json-report.md has no heading {heading:?}"
    );
    lines
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn ticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn report_json() -> Value {
    let mut r = common::report(vec![Problem {
        file: "bad.yaml".into(),
        line: 2,
        column: 1,
        message: "expected a mapping".into(),
    }]);
    for (name, origin) in [
        (
            "aws_s3_bucket.logs",
            Origin::Terraform {
                file: "main.tf".into(),
                address: "aws_s3_bucket.logs".into(),
                line: Some(3),
            },
        ),
        (
            "logs-bucket",
            Origin::Live {
                arn: "arn:aws:s3:::logs-bucket".into(),
                account: "111122223333".into(),
                region: "eu-west-1".into(),
            },
        ),
    ] {
        r.findings.push(common::finding(
            "ENC-2",
            Severity::High,
            Outcome::Pass,
            Some(Subject {
                kind: "AWS::S3::Bucket".into(),
                name: name.into(),
                origin,
                label: Some("prod logs".into()),
                tags: [("Name".to_string(), "prod logs".to_string())].into(),
            }),
            "ok",
        ));
    }
    let text = render(Format::Json, &r, Style::default());
    serde_json::from_str(&text).expect("the JSON report is JSON")
}

#[test]
fn top_level_keys_are_documented() {
    let doc = report_json();
    assert_eq!(keys(&doc), table_keys("## Top level"));
    assert_eq!(doc["schema_version"], phiguard_report::json::SCHEMA_VERSION);
    assert!(DOC.contains(&format!(
        "describes `schema_version` **{}**",
        phiguard_report::json::SCHEMA_VERSION
    )));
    assert_eq!(
        keys(&doc["tool"]),
        ["name", "version"].map(String::from).into()
    );
    assert_eq!(
        keys(&doc["summary"]),
        ["fail", "pass", "unknown", "waived"]
            .map(String::from)
            .into()
    );
    assert_eq!(keys(&doc["problems"][0]), table_keys("## `problems[]`"));
    assert_eq!(
        keys(&doc["collection_errors"][0]),
        table_keys("## `collection_errors[]`")
    );
}

#[test]
fn finding_keys_are_documented() {
    let doc = report_json();
    let findings = doc["findings"].as_array().unwrap();
    let documented = table_keys("## `findings[]`");
    for f in findings {
        assert_eq!(keys(f), documented, "finding {f}");
    }
    let resource = table_keys("### `findings[].resource`");
    let mut kinds = BTreeSet::new();
    for f in findings {
        if f["resource"].is_null() {
            continue;
        }
        assert_eq!(keys(&f["resource"]), resource);
        let origin = &f["resource"]["origin"];
        kinds.insert(origin["kind"].as_str().unwrap().to_string());
        // The origin's keys are `kind` plus those documented for its kind.
        let row = table_rows("### Origin kinds")
            .into_iter()
            .find(|row| ticked(&row[0])[0] == origin["kind"].as_str().unwrap())
            .unwrap_or_else(|| panic!("origin kind {} undocumented", origin["kind"]));
        let mut expected: BTreeSet<String> = ticked(&row[1]).into_iter().collect();
        expected.insert("kind".into());
        assert_eq!(keys(origin), expected, "origin {origin}");
    }
    assert_eq!(
        kinds,
        table_keys("### Origin kinds"),
        "every origin kind exercised"
    );
    assert!(
        findings.iter().any(|f| f["resource"].is_null()),
        "an estate-wide finding"
    );
}

#[test]
fn outcomes_and_severities_are_documented() {
    let outcomes: BTreeSet<String> = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Unknown,
        Outcome::Waived,
    ]
    .map(|o| o.name().to_string())
    .into();
    assert_eq!(table_keys("## Outcomes"), outcomes);
    for s in [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ] {
        assert!(
            DOC.contains(&format!("`{}`", s.name())),
            "severity {} undocumented",
            s.name()
        );
    }
}

#[test]
fn the_example_has_the_documented_shape() {
    let start = DOC.find("```json\n").expect("an example") + "```json\n".len();
    let end = start + DOC[start..].find("```").unwrap();
    let example: Value = serde_json::from_str(&DOC[start..end]).expect("the example is JSON");
    assert_eq!(keys(&example), table_keys("## Top level"));
    assert_eq!(keys(&example["findings"][0]), table_keys("## `findings[]`"));
}
