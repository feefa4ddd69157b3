//! No input crashes the run: reference cycles and malformed plans are input
//! errors with their position (exit 2), and every other file is still judged.

use std::path::Path;
use std::process::{Command, Output};

fn phiguard(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(d.path().join(name), body).unwrap();
    }
    d
}

/// A file judged alongside the broken ones: an unencrypted bucket (ENC-2 fails).
const PLAIN_BUCKET: &str = "Resources:\n  Plain:\n    Type: AWS::S3::Bucket\n";

fn check_with_other(name: &str, body: &str) -> (Option<i32>, String, String) {
    let d = dir_with(&[(name, body), ("z-other.yaml", PLAIN_BUCKET)]);
    let o = phiguard(&["check", "--format", "json", "."], d.path());
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn assert_other_judged(out: &str) {
    let v: serde_json::Value = serde_json::from_str(out).expect("the report is JSON");
    let s = v.to_string();
    assert!(
        s.contains("z-other.yaml") && s.contains("ENC-2"),
        "the other file is judged: {out}"
    );
}

#[test]
fn a_parameter_whose_default_refers_to_itself() {
    let t = "Parameters:\n  P:\n    Type: String\n    Default: !Ref P\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref P\n";
    let (code, out, err) = check_with_other("a.yaml", t);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("a.yaml:4:14: reference cycle: parameter P → parameter P"),
        "{err}"
    );
    assert_other_judged(&out);
}

#[test]
fn a_mapping_value_that_looks_itself_up() {
    let t = "Mappings:\n  M:\n    a:\n      b: !FindInMap [M, a, b]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !FindInMap [M, a, b]\n";
    let (code, out, err) = check_with_other("a.yaml", t);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("a.yaml:4:10: reference cycle: mapping M.a.b → mapping M.a.b"),
        "{err}"
    );
    assert_other_judged(&out);
}

#[test]
fn conditions_resources_and_exports_in_a_circle() {
    let t = r#"Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  X:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${Y.QueueName}-x"
  Y:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt X.QueueName
Outputs:
  O:
    Value: !ImportValue E2
    Export: {Name: E1}
"#;
    let u = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  O:\n    Value: !ImportValue E1\n    Export: {Name: E2}\n";
    let d = dir_with(&[("a.yaml", t), ("b.yaml", u), ("z-other.yaml", PLAIN_BUCKET)]);
    let o = phiguard(&["check", "--format", "json", "."], d.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for want in [
        "a.yaml:3:12: reference cycle: condition A → condition B → condition A",
        "a.yaml:12:18: circular dependency between resources: X → Y → X",
        "a.yaml:15:5: export E1 imports itself: E1 → E2 → E1",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert_other_judged(&String::from_utf8_lossy(&o.stdout));
}

#[test]
fn a_plan_whose_change_is_not_an_object() {
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.7.5",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v", "values": {}}]}},
 "resource_changes": [
  {"address": "aws_ebs_volume.v", "change": {"actions": ["create"], "after": 7}}]}"#;
    let (code, out, err) = check_with_other("plan.json", plan);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("plan.json:5:69: malformed Terraform JSON: resource_changes[0].change.after (aws_ebs_volume.v) must be an object or null, found a number"),
        "{err}"
    );
    assert_other_judged(&out);
}
