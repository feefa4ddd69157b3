//! OCSF Compliance Finding events validate against the OCSF 1.8.0 schema.

mod common;

use phiguard_model::Origin;
use phiguard_report::{Format, Style, render};
use phiguard_rules::{Outcome, Severity, Subject};
use serde_json::Value;

const SCHEMA: &str = include_str!("data/ocsf-1.8.0-compliance_finding.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the OCSF schema compiles")
}

pub const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn report() -> phiguard_report::Report {
    let mut r = common::report(vec![]);
    r.findings.push(common::finding(
        "ENC-2",
        Severity::High,
        Outcome::Fail,
        Some(Subject {
            kind: "AWS::S3::Bucket".into(),
            name: HOSTILE.into(),
            origin: Origin::Live {
                arn: "arn:aws:s3:::phi-records".into(),
                account: "111122223333".into(),
                region: "us-east-1".into(),
            },
            label: None,
            tags: Default::default(),
        }),
        &format!("tag data-class={HOSTILE}"),
    ));
    r
}

fn events(r: &phiguard_report::Report) -> Vec<Value> {
    let text = render(Format::Ocsf, r, Style::default());
    let doc: Value = serde_json::from_str(&text).expect("OCSF output is JSON");
    doc.as_array().expect("an array of events").clone()
}

#[test]
fn every_event_validates() {
    let v = validator();
    let r = report();
    let events = events(&r);
    assert_eq!(events.len(), r.findings.len());
    for e in &events {
        let errors: Vec<String> = v
            .iter_errors(e)
            .map(|x| format!("{x} at {}", x.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{e:#}");
        assert_eq!(e["class_uid"], 2003);
        // Recommended in 1.8.0, and always given by phiguard.
        assert!(e["finding_info"]["title"].is_string());
        assert!(e["compliance"]["status_id"].is_number());
    }
    let status: Vec<i64> = events
        .iter()
        .map(|e| e["compliance"]["status_id"].as_i64().unwrap())
        .collect();
    assert_eq!(status, [3, 3, 3, 1, 0, 3, 3]);
    assert_eq!(events[5]["status"], "Suppressed");
    assert!(events[5]["comment"].as_str().unwrap().contains("sec-team"));
    let live = &events[6];
    assert_eq!(live["cloud"]["account"]["uid"], "111122223333");
    assert_eq!(live["metadata"]["profiles"][0], "cloud");
    assert_eq!(live["compliance"]["requirements"][0], "164.312(a)(2)(iv)");
}

#[test]
fn the_validator_rejects_a_broken_event() {
    let v = validator();
    let mut e = events(&report()).remove(0);
    assert!(v.is_valid(&e));
    e["severity_id"] = 7.into();
    assert!(!v.is_valid(&e), "an unknown severity_id is accepted");
}

#[test]
fn hostile_text_survives_as_data() {
    let events = events(&report());
    let live = &events[6];
    assert_eq!(live["resources"][0]["name"], HOSTILE);
    assert_eq!(live["message"], format!("tag data-class={HOSTILE}"));
    assert_eq!(events[2]["resources"][0]["name"], common::ODD_NAME);
}
