//! Waivers in Terraform: a `# phiguard:waive` comment above a `.tf` resource
//! block, and a `phiguard:waive` tag in plans and states. Stale and expired
//! waivers say so; a waiver missing a field is an error with file:line.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/waivers")
        .join(name)
}

fn check(name: &str) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(["check", "--rule", "ENC-2", "--format", "json"])
        .arg(fixture(name))
        .output()
        .expect("phiguard runs");
    let json = serde_json::from_slice(&out.stdout).expect("a JSON report");
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn finding<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["name"] == name)
        .unwrap_or_else(|| panic!("no finding on {name}: {v:#}"))
}

#[test]
fn tf_comment_waives_expires_and_goes_stale() {
    let (code, v, _) = check("tf-comment");
    assert_eq!(code, 1, "plain and expired still fail");
    let archive = finding(&v, "aws_s3_bucket.archive");
    assert_eq!(archive["outcome"], "waived");
    assert_eq!(
        archive["waiver"],
        "waived by data-team until 2999-12-31: read-only archive, migrating in Q1"
    );
    let expired = finding(&v, "aws_s3_bucket.expired");
    assert_eq!(expired["outcome"], "fail");
    assert!(
        expired["waiver"]
            .as_str()
            .unwrap()
            .contains("expired on 2020-01-31")
    );
    assert_eq!(finding(&v, "aws_s3_bucket.plain")["outcome"], "fail");
    assert_eq!(finding(&v, "aws_s3_bucket.fixed")["outcome"], "pass");
    let stale = v["stale_waivers"].as_array().unwrap();
    assert_eq!(stale.len(), 1, "{stale:?}");
    let stale = stale[0].as_str().unwrap();
    assert!(
        stale.contains("main.tf:23") && stale.contains("aws_s3_bucket.fixed"),
        "{stale}"
    );
}

#[test]
fn tf_comment_missing_a_field_is_an_error_with_its_line() {
    let (code, v, err) = check("tf-bad");
    assert_eq!(code, 2);
    assert!(
        err.contains("main.tf:1:1") && err.contains("no expires="),
        "{err}"
    );
    // The rest is still judged.
    assert_eq!(finding(&v, "aws_s3_bucket.plain")["outcome"], "fail");
}

#[test]
fn plan_tag_waives() {
    let (code, v, _) = check("plan-tag");
    assert_eq!(code, 0, "{v:#}");
    let f = finding(&v, "aws_s3_bucket.phi");
    assert_eq!(f["outcome"], "waived");
    assert_eq!(
        f["waiver"],
        "waived by data-team until 2999-12-31: read-only archive, migrating in Q1"
    );
}

#[test]
fn state_tag_expired_stops_counting_and_says_so() {
    let (code, v, _) = check("state-tag");
    assert_eq!(code, 1);
    let expired: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "fail")
        .filter(|f| {
            f["waiver"]
                .as_str()
                .is_some_and(|w| w.contains("expired on 2020-01-31: ran out"))
        })
        .collect();
    assert!(!expired.is_empty(), "{v:#}");
}

#[test]
fn plan_tag_missing_a_field_is_an_error_with_its_line() {
    let (code, v, err) = check("plan-bad-tag");
    assert_eq!(code, 2);
    assert!(
        err.contains("plan.json:")
            && err.contains("tag phiguard:waive")
            && err.contains("no owner="),
        "{err}"
    );
    assert_eq!(finding(&v, "aws_s3_bucket.phi")["outcome"], "fail");
}
