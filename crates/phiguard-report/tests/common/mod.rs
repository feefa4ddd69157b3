//! A report with every outcome, an estate-wide finding, and hostile names.

#![allow(dead_code)]

use phiguard_model::Origin;
use phiguard_report::{Problem, Report};
use phiguard_rules::{Control, Finding, Outcome, Severity, Subject, summarize};

pub const ODD_FILE: &str = "stacks/my \"odd\" <dir>&co/tëmplate ünï 😀.yaml";
pub const ODD_NAME: &str = "Bucket <script>&\"'\u{1} ✓";

pub fn template(file: &str, name: &str, line: u32, column: u32) -> Option<Subject> {
    Some(Subject {
        kind: "AWS::S3::Bucket".into(),
        name: name.into(),
        origin: Origin::Template {
            file: file.into(),
            logical_id: name.into(),
            line,
            column,
        },
        label: None,
        tags: Default::default(),
    })
}

pub fn finding(
    rule: &'static str,
    severity: Severity,
    outcome: Outcome,
    subject: Option<Subject>,
    message: &str,
) -> Finding {
    Finding {
        rule,
        control: Control::AtRestEncryption,
        severity,
        outcome,
        subject,
        rid: None,
        message: message.into(),
        waiver: None,
        failing_since: None,
    }
}

pub fn report(problems: Vec<Problem>) -> Report {
    let mut waived = finding(
        "ENC-2",
        Severity::High,
        Outcome::Waived,
        template("stacks/legacy.yaml", "LegacyBucket", 7, 3),
        "the bucket encrypts with SSE-S3 (AES256), not SSE-KMS",
    );
    waived.waiver =
        Some("waived by sec-team until 2099-01-01: migration <planned> & \"tracked\"".into());
    let findings = vec![
        finding(
            "ENC-1",
            Severity::High,
            Outcome::Fail,
            None,
            "no customer-managed key rotates",
        ),
        finding(
            "ENC-2",
            Severity::High,
            Outcome::Fail,
            template("stacks/app.yaml", "AppBucket", 12, 5),
            "the bucket has no default encryption configuration (S3 applies SSE-S3)",
        ),
        finding(
            "ENC-2",
            Severity::High,
            Outcome::Fail,
            template(ODD_FILE, ODD_NAME, 42, 3),
            "hostile <script>alert('x')</script> & \"quotes\" \u{1}\u{7f} ✓",
        ),
        finding(
            "ENC-2",
            Severity::High,
            Outcome::Pass,
            template("stacks/app.yaml", "DataBucket", 30, 5),
            "the bucket encrypts with the customer-managed key DataKey",
        ),
        finding(
            "ENC-2",
            Severity::High,
            Outcome::Unknown,
            template("stacks/app.yaml", "ParamBucket", 50, 5),
            "the key comes from parameter KeyArn, which has no default",
        ),
        waived,
    ];
    Report {
        tool: "phiguard",
        version: "0.1.0",
        command: "check".into(),
        inputs: vec!["stacks".into()],
        skipped: vec!["stacks/readme.json".into()],
        complete: false,
        summary: summarize(&findings),
        findings,
        problems,
        collection_errors: vec![phiguard_report::CollectionError {
            unit: "111122223333/us-east-1".into(),
            collection: "guard_duty".into(),
            operation: "guardduty:ListDetectors".into(),
            reason: "AccessDeniedException: not authorized <script>".into(),
        }],
        not_judged: vec!["LOG-1"],
        stale_waivers: vec![],
    }
}
