//! Findings name what people call things: a resource's `Name` tag or a KMS
//! key's aliases, in every format, escaped like every other printed value.

mod common;

use phiguard_model::Origin;
use phiguard_report::{Format, Style, render};
use phiguard_rules::{Outcome, Severity, Subject};
use serde_json::Value;

fn labelled() -> phiguard_report::Report {
    let mut r = common::report(vec![]);
    let vpc = Subject {
        kind: "AWS::EC2::VPC".into(),
        name: "vpc-7c8163d71a2091b10".into(),
        origin: Origin::Live {
            arn: "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-7c8163d71a2091b10".into(),
            account: "111122223333".into(),
            region: "eu-west-1".into(),
        },
        label: Some("prod-shared".into()),
        tags: [
            ("Name".to_string(), "prod-shared".to_string()),
            ("team".to_string(), "net\u{1b}[31m <ops>".to_string()),
        ]
        .into(),
    };
    let key = Subject {
        kind: "AWS::KMS::Key".into(),
        name: "EtlKey".into(),
        origin: Origin::Template {
            file: "keys.yaml".into(),
            logical_id: "EtlKey".into(),
            line: 4,
            column: 3,
        },
        label: Some("alias/prod-legacy-etl".into()),
        tags: Default::default(),
    };
    r.findings = vec![
        common::finding(
            "FLOW-1",
            Severity::High,
            Outcome::Fail,
            Some(vpc),
            "no flow log",
        ),
        common::finding(
            "ENC-1",
            Severity::High,
            Outcome::Fail,
            Some(key),
            "rotation is off",
        ),
    ];
    r
}

#[test]
fn text_shows_the_label_then_the_short_id() {
    let out = render(Format::Text, &labelled(), Style::default());
    assert!(
        out.contains("prod-shared (vpc-7c81\u{2026}) (AWS::EC2::VPC)"),
        "{out}"
    );
    assert!(
        out.contains("alias/prod-legacy-etl (EtlKey) (AWS::KMS::Key)"),
        "{out}"
    );
}

#[test]
fn json_and_sarif_carry_label_and_escaped_tags() {
    let json: Value =
        serde_json::from_str(&render(Format::Json, &labelled(), Style::default())).unwrap();
    let res = &json["findings"][0]["resource"];
    assert_eq!(res["label"], "prod-shared");
    assert_eq!(res["tags"]["team"], "net\u{1b}[31m <ops>");
    assert_eq!(
        json["findings"][1]["resource"]["label"],
        "alias/prod-legacy-etl"
    );
    let text = render(Format::Sarif, &labelled(), Style::default());
    // The escape character reaches the file only as JSON's \u001b.
    assert!(!text.contains('\u{1b}'));
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let props =
        &sarif["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0]["properties"];
    assert_eq!(props["label"], "prod-shared");
    assert_eq!(props["resourceTags"]["Name"], "prod-shared");
}
