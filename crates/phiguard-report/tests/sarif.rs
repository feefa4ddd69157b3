//! The SARIF report validates against the official SARIF 2.1.0 schema and
//! says what each finding is.

mod common;

use phiguard_report::{Format, Problem, Style, render};
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("data/sarif-schema-2.1.0.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn sarif(problems: Vec<Problem>) -> Value {
    let text = render(Format::Sarif, &common::report(problems), Style::default());
    serde_json::from_str(&text).expect("SARIF output is JSON")
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

#[test]
fn validates_against_the_schema() {
    let v = validator();
    assert_valid(&v, &sarif(vec![]));
    assert_valid(
        &v,
        &sarif(vec![
            Problem {
                file: "bad dir/broken <1>.yaml".into(),
                line: 3,
                column: 7,
                message: "expected a mapping".into(),
            },
            Problem {
                file: "whole.json".into(),
                line: 0,
                column: 0,
                message: "not valid JSON".into(),
            },
        ]),
    );
}

#[test]
fn the_validator_rejects_broken_documents() {
    let v = validator();
    let good = sarif(vec![]);

    let mut bad_version = good.clone();
    bad_version["version"] = json!("2.0.0");
    assert!(!v.is_valid(&bad_version), "wrong version accepted");

    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!v.is_valid(&bad_level), "unknown level accepted");

    let mut bad_line = good.clone();
    bad_line["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert!(!v.is_valid(&bad_line), "startLine 0 accepted");

    let mut extra = good.clone();
    extra["runs"][0]["bogus"] = json!(true);
    assert!(!v.is_valid(&extra), "unknown property accepted");

    // (`uri-reference` is not a draft-4 format, so the schema cannot catch an
    // unencoded URI; `says_what_each_finding_is` checks the encoding.)
    let mut no_message = good;
    no_message["runs"][0]["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        !v.is_valid(&no_message),
        "result without a message accepted"
    );
}

#[test]
fn says_what_each_finding_is() {
    let doc = sarif(vec![]);
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "phiguard");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ENC-1", "ENC-2"]);
    let enc2 = &rules[1];
    assert_eq!(enc2["defaultConfiguration"]["level"], "error");
    assert_eq!(enc2["properties"]["control"], 4);
    assert!(
        enc2["properties"]["hipaa"]
            .as_array()
            .unwrap()
            .contains(&json!("164.312(a)(2)(iv)"))
    );
    assert!(
        enc2["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("### What it checks")
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);

    // Estate-wide: no file, the logical location "estate".
    let estate = &results[0];
    assert_eq!(estate["ruleId"], "ENC-1");
    assert_eq!(estate["ruleIndex"], 0);
    assert!(estate["locations"][0].get("physicalLocation").is_none());
    assert_eq!(
        estate["locations"][0]["logicalLocations"][0]["name"],
        "estate"
    );

    // A high failure is an error, at the resource's line and column.
    let fail = &results[1];
    assert_eq!(fail["kind"], "fail");
    assert_eq!(fail["level"], "error");
    assert_eq!(fail["ruleIndex"], 1);
    let phys = &fail["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "stacks/app.yaml");
    assert_eq!(phys["region"]["startLine"], 12);
    assert_eq!(phys["region"]["startColumn"], 5);
    assert_eq!(
        fail["locations"][0]["logicalLocations"][0]["name"],
        "AppBucket"
    );
    assert_eq!(
        fail["locations"][0]["logicalLocations"][0]["properties"]["resourceType"],
        "AWS::S3::Bucket"
    );

    // Odd characters: the URI is percent-encoded, the name kept as is.
    let odd = &results[2];
    let uri = odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(
        uri,
        "stacks/my%20%22odd%22%20%3Cdir%3E%26co/t%C3%ABmplate%20%C3%BCn%C3%AF%20%F0%9F%98%80.yaml"
    );
    assert_eq!(
        odd["locations"][0]["physicalLocation"]["region"]["startLine"],
        42
    );
    assert_eq!(
        odd["locations"][0]["logicalLocations"][0]["name"],
        common::ODD_NAME
    );

    assert_eq!(results[3]["kind"], "pass");
    assert_eq!(results[3]["level"], "none");
    assert_eq!(results[4]["kind"], "review");
    assert_eq!(results[4]["level"], "none");

    let waived = &results[5];
    assert_eq!(waived["kind"], "fail");
    let sup = &waived["suppressions"][0];
    assert_eq!(sup["kind"], "external");
    assert_eq!(sup["status"], "accepted");
    assert!(sup["justification"].as_str().unwrap().contains("sec-team"));

    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn problems_become_notifications() {
    let doc = sarif(vec![Problem {
        file: "t.yaml".into(),
        line: 3,
        column: 7,
        message: "expected a mapping".into(),
    }]);
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(n["message"]["text"], "expected a mapping");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
}
