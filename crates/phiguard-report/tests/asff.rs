//! ASFF findings validate against the AwsSecurityFinding schema (botocore's
//! Security Hub model).

mod common;

use phiguard_model::Origin;
use phiguard_report::{Format, Style, asff, render};
use phiguard_rules::{Outcome, Severity, Subject};
use serde_json::Value;

const SCHEMA: &str = include_str!("data/asff-awssecurityfinding.schema.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the ASFF schema compiles")
}

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn report() -> phiguard_report::Report {
    let mut r = common::report(vec![]);
    r.findings.push(common::finding(
        "ENC-2",
        Severity::Critical,
        Outcome::Fail,
        Some(Subject {
            kind: "AWS::S3::Bucket".into(),
            name: HOSTILE.into(),
            origin: Origin::Live {
                arn: "arn:aws:s3:::phi-records".into(),
                account: "111122223333".into(),
                region: "eu-west-1".into(),
            },
            label: None,
            tags: Default::default(),
        }),
        &format!("tag data-class={HOSTILE}"),
    ));
    r
}

fn assert_valid(v: &jsonschema::Validator, f: &Value) {
    let errors: Vec<String> = v
        .iter_errors(f)
        .map(|x| format!("{x} at {}", x.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{f:#}");
}

#[test]
fn every_finding_validates() {
    let v = validator();
    let r = report();
    let text = render(Format::Asff, &r, Style::default());
    let doc: Value = serde_json::from_str(&text).expect("ASFF output is JSON");
    let items = doc.as_array().unwrap();
    assert_eq!(items.len(), r.findings.len());
    for f in items {
        assert_valid(&v, f);
        assert_eq!(f["SchemaVersion"], "2018-10-08");
    }
    let status: Vec<&str> = items
        .iter()
        .map(|f| f["Compliance"]["Status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        [
            "FAILED",
            "FAILED",
            "FAILED",
            "PASSED",
            "NOT_AVAILABLE",
            "FAILED",
            "FAILED"
        ]
    );
    assert_eq!(items[5]["Workflow"]["Status"], "SUPPRESSED");
    let live = &items[6];
    assert_eq!(live["AwsAccountId"], "111122223333");
    assert_eq!(
        live["ProductArn"],
        "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default"
    );
    assert_eq!(live["Resources"][0]["Type"], "AwsS3Bucket");
    assert_eq!(live["Resources"][0]["Partition"], "aws");
    assert_eq!(live["Severity"]["Label"], "CRITICAL");
    // Ids are unique within a report (Security Hub updates by Id).
    let mut ids: Vec<&str> = items.iter().map(|f| f["Id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), items.len());
}

#[test]
fn an_import_names_one_account_and_region() {
    let v = validator();
    let target = asff::Target {
        account: Some("999988887777".into()),
        region: Some("us-west-2".into()),
    };
    for f in asff::findings(&report(), &target, 0) {
        assert_valid(&v, &f);
        assert_eq!(f["AwsAccountId"], "999988887777");
        assert_eq!(f["CreatedAt"], "1970-01-01T00:00:00.000Z");
        assert!(
            f["ProductArn"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:securityhub:us-west-2:999988887777:")
        );
    }
}

#[test]
fn the_validator_rejects_a_broken_finding() {
    let v = validator();
    let mut f = asff::findings(&report(), &asff::Target::default(), 0).remove(0);
    assert!(v.is_valid(&f));
    f["Severity"]["Label"] = "SEVERE".into();
    assert!(!v.is_valid(&f));
}

#[test]
fn hostile_text_survives_as_data() {
    let items = asff::findings(&report(), &asff::Target::default(), 0);
    let live = &items[6];
    assert_eq!(
        live["Resources"][0]["Details"]["Other"]["phiguard/name"],
        HOSTILE
    );
    assert_eq!(live["Description"], format!("tag data-class={HOSTILE}"));
}
