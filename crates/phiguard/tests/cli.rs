//! The binary end to end: exit codes, bad input, formats, configuration.

use std::path::Path;
use std::process::{Command, Output};

fn phiguard(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const GOOD: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
"#;

const BAD_BUCKET: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Plain:
    Type: AWS::S3::Bucket
"#;

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    d
}

#[test]
fn clean_templates_exit_0_and_failures_exit_1() {
    let d = dir_with(&[("good.yaml", GOOD.as_bytes())]);
    let o = phiguard(&["check", "--rule", "ENC-2", "."], d.path());
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let d = dir_with(&[("bad.yaml", BAD_BUCKET.as_bytes())]);
    let o = phiguard(&["check", "--rule", "ENC-2", "."], d.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("bad.yaml:3"), "{out}");
    assert!(out.contains("FAIL"), "{out}");
}

#[test]
fn fail_on_sets_the_threshold() {
    // ENC-1 is medium: fails only with --fail-on medium or lower.
    let d = dir_with(&[("k.yaml", b"Resources:\n  K:\n    Type: AWS::KMS::Key\n")]);
    let o = phiguard(&["check", "--rule", "ENC-1", "."], d.path());
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = phiguard(
        &["check", "--rule", "ENC-1", "--fail-on", "medium", "."],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn malformed_yaml_is_an_error_with_position_and_other_files_are_judged() {
    let d = dir_with(&[
        (
            "a-broken.yaml",
            b"Resources:\n  B:\n    Type: [AWS::S3::Bucket\n",
        ),
        ("b-good.yaml", BAD_BUCKET.as_bytes()),
    ]);
    let o = phiguard(&["check", "--rule", "ENC-2", "."], d.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(
        err.contains("a-broken.yaml:4:1") || err.contains("a-broken.yaml:3:"),
        "{err}"
    );
    assert!(
        out.contains("b-good.yaml:3"),
        "the good file is still judged: {out}"
    );
}

#[test]
fn wrong_type_unknown_intrinsic_and_bad_json_name_their_position() {
    let d = dir_with(&[
        (
            "wrongtype.yaml",
            b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration: just-a-string\n",
        ),
        ("intrinsic.yaml", b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Frobnicate x\n"),
        ("broken.json", b"{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\",}\n"),
    ]);
    let o = phiguard(&["check", "."], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("wrongtype.yaml:6:44") && err.contains("expected a list"),
        "{err}"
    );
    assert!(
        err.contains("intrinsic.yaml:5:19")
            && err.contains("unknown intrinsic function !Frobnicate"),
        "{err}"
    );
    assert!(err.contains("broken.json:"), "{err}");
}

#[test]
fn huge_and_binary_files_are_refused_clearly() {
    let huge = {
        let mut s = String::from("Resources:\n");
        while s.len() < 50 * 1024 * 1024 {
            s.push_str("  # padding padding padding padding padding padding padding padding\n");
        }
        s
    };
    let d = dir_with(&[
        ("huge.yaml", huge.as_bytes()),
        ("blob.json", &[0x7f, b'E', b'L', b'F', 0, 1, 2, 3]),
    ]);
    let o = phiguard(&["check", "."], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("huge.yaml:1:1") && err.contains("MB"), "{err}");
    assert!(
        err.contains("blob.json:1:1") && err.contains("binary"),
        "{err}"
    );
}

#[test]
fn json_templates_are_read_and_other_yaml_is_skipped_and_counted() {
    let json = br#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Plain": {"Type": "AWS::S3::Bucket"}}}"#;
    let d = dir_with(&[
        ("stack.json", json),
        (
            "docker-compose.yml",
            b"services:\n  web:\n    image: nginx\n",
        ),
        ("notes.txt", b"not read"),
    ]);
    let o = phiguard(&["check", "--format", "json", "."], d.path());
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(v["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(v["inputs"].as_array().unwrap().len(), 1);
    let f = v["findings"].as_array().unwrap();
    assert!(f.iter().any(|f| f["rule"] == "ENC-2"
        && f["outcome"] == "fail"
        && f["resource"]["origin"]["line"] == 1));
}

#[test]
fn configuration_errors_name_the_key() {
    let d = dir_with(&[
        ("phiguard.toml", b"[limits]\nrotation_dayz = 3\n"),
        ("t.yaml", GOOD.as_bytes()),
    ]);
    let o = phiguard(&["check", "t.yaml"], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("rotation_dayz"), "{err}");
    let o = phiguard(&["check", "--config", "missing.toml", "t.yaml"], d.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn waivers_turn_failures_into_waived() {
    let cfg = b"[[waiver]]\nrule = \"ENC-2\"\nresource = \"Plain\"\nowner = \"sec-team\"\nreason = \"legacy, migrating Q1\"\nexpires = \"2999-01-01\"\n";
    let d = dir_with(&[("phiguard.toml", cfg), ("t.yaml", BAD_BUCKET.as_bytes())]);
    let o = phiguard(&["check", "--rule", "ENC-2", "t.yaml"], d.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("WAIVED") && out.contains("sec-team"), "{out}");
    let expired = String::from_utf8_lossy(cfg).replace("2999-01-01", "2001-01-01");
    std::fs::write(d.path().join("phiguard.toml"), expired).unwrap();
    let o = phiguard(&["check", "--rule", "ENC-2", "t.yaml"], d.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("expired"), "{out}");
}

#[test]
fn output_file_rules_and_explain() {
    let d = dir_with(&[("t.yaml", BAD_BUCKET.as_bytes())]);
    let o = phiguard(
        &["check", "--format", "json", "--output", "r.json", "t.yaml"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(v["schema_version"], 1);

    let o = phiguard(&["rules"], d.path());
    let (out, _) = text(&o);
    assert!(out.contains("ENC-2") && out.contains("LTC"), "{out}");
    let o = phiguard(&["explain", "enc-2"], d.path());
    let (out, _) = text(&o);
    assert!(
        out.contains("### What it checks") && out.contains("Remediation"),
        "{out}"
    );
    let o = phiguard(&["explain", "NOPE-1"], d.path());
    assert_eq!(o.status.code(), Some(2));
    let o = phiguard(&["check", "--format", "yaml", "t.yaml"], d.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn hostile_names_do_not_reach_the_terminal_raw() {
    // A logical id with an ANSI escape in it (YAML allows it in a quoted key).
    let t = "Resources:\n  \"Pl\\e[31main\":\n    Type: AWS::S3::Bucket\n";
    let d = dir_with(&[("t.yaml", t.as_bytes())]);
    let o = phiguard(
        &["check", "--color", "never", "--rule", "ENC-2", "t.yaml"],
        d.path(),
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("Pl\u{FFFD}[31main"),
        "the name is shown, neutralised: {out}"
    );
    assert!(!o.stdout.contains(&0x1b), "no escape byte in the report");
}

#[test]
fn waivers_declared_in_template_metadata() {
    let t = r#"Resources:
  Legacy:
    Type: AWS::S3::Bucket
    Metadata:
      Phiguard:
        Waivers:
          - Rule: ENC-2
            Owner: data-team
            Reason: read-only archive, migrating in Q1
            Expires: "2999-12-31"
  Other:
    Type: AWS::S3::Bucket
"#;
    let d = dir_with(&[("t.yaml", t.as_bytes())]);
    let o = phiguard(
        &["check", "--rule", "ENC-2", "--format", "json", "t.yaml"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(1), "Other still fails");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let outcome = |name: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["name"] == name)
            .unwrap()["outcome"]
            .clone()
    };
    assert_eq!(outcome("Legacy"), "waived");
    assert_eq!(outcome("Other"), "fail");

    let bad = t.replace("\"2999-12-31\"", "soon");
    std::fs::write(d.path().join("t.yaml"), bad).unwrap();
    let o = phiguard(&["check", "t.yaml"], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("t.yaml:7:13") && err.contains("YYYY-MM-DD"),
        "{err}"
    );
}

fn tf_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/tf")
            .join(rel),
    )
    .unwrap()
}

#[test]
fn terraform_plans_are_judged_and_broken_plans_exit_2_with_a_position() {
    let good = tf_fixture("ENC-2/pass-key-by-reference/plan.json");
    let d = dir_with(&[("plan.json", &good)]);
    let o = phiguard(&["check", "--rule", "ENC-2", "plan.json"], d.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("1 check(s) passed"), "{out}");

    let bad = tf_fixture("ENC-2/fail-no-sse-resource/plan.json");
    let d = dir_with(&[("plan.json", &bad)]);
    let o = phiguard(&["check", "--rule", "ENC-2", "."], d.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("plan.json:8  aws_s3_bucket.phi"), "{out}");

    let d = dir_with(&[("plan.json", &good[..good.len() / 2])]);
    let o = phiguard(&["check", "plan.json"], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("input error: plan.json:"), "{err}");
    assert!(err.contains("not a valid Terraform JSON document"), "{err}");
}

#[test]
fn a_saved_binary_plan_is_an_error_that_says_how_to_convert_it() {
    let d = dir_with(&[("tfplan", b"PK\x03\x04\x14\x00\x00\x00\x08\x00tfplan")]);
    let o = phiguard(&["check", "tfplan"], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("terraform show -json PLANFILE"), "{err}");
}

#[test]
fn language_extension_loops_are_expanded() {
    let t = "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Buckets:\n    - Name\n    - [Logs, Data]\n    - ${Name}Bucket:\n        Type: AWS::S3::Bucket\n";
    let d = dir_with(&[("t.yaml", t.as_bytes())]);
    let o = phiguard(&["check", "t.yaml", "--rule", "ENC-2"], d.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("LogsBucket") && out.contains("DataBucket"),
        "{out}"
    );
    // Without the transform, CloudFormation refuses the loop: so does phiguard.
    let t = t.replace("Transform: AWS::LanguageExtensions\n", "");
    let d = dir_with(&[("t.yaml", t.as_bytes())]);
    let o = phiguard(&["check", "t.yaml"], d.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("t.yaml:3:3") && err.contains("AWS::LanguageExtensions"),
        "{err}"
    );
}

#[test]
fn a_template_with_a_custom_macro_is_judged_as_written_with_a_note() {
    let t = "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: [AWS::Serverless-2016-10-31, CorpDefaults]\nResources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !CorpName data\n  Logs:\n    Type: !Rain::Module ./logs.yaml\n";
    let d = dir_with(&[("t.yaml", t.as_bytes())]);
    let o = phiguard(&["check", "t.yaml", "--rule", "ENC-2"], d.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("Data (AWS::S3::Bucket)"), "{out}");
    assert_eq!(err.matches("CorpDefaults").count(), 1, "{err}");
    assert!(err.contains("t.yaml:8: Logs is not a resource"), "{err}");
}

#[test]
fn live_only_rules_are_listed_and_explained() {
    let d = dir_with(&[]);
    let o = phiguard(&["rules"], d.path());
    let (out, _) = text(&o);
    for id in [
        "BAA-1", "ORG-1", "ORG-2", "ORG-3", "ORG-4", "IAM-2", "IAM-3", "SEC-2", "LOG-5", "CVE-2",
    ] {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("{id} is not listed: {out}"));
        assert_eq!(line.split_whitespace().nth(3), Some("L"), "{line}");
        let o = phiguard(&["explain", id], d.path());
        assert_eq!(o.status.code(), Some(0), "{id}");
        let (out, _) = text(&o);
        assert!(
            out.starts_with(id) && out.contains("Sources: L") && out.contains("- Live:"),
            "{out}"
        );
    }
}
