//! `phiguard audit` at the command line: the policy it prints, and a clear
//! exit 2 when nothing can be read.

#![cfg(feature = "aws")]

use std::process::Command;

#[test]
fn print_policy_is_the_shipped_policy() {
    let out = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(["audit", "--print-policy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../policy/phiguard-audit-policy.json"),
    )
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shipped);
}

#[test]
fn no_credentials_exits_2_and_says_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args([
            "audit",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--timeout",
            "5",
            "--max-attempts",
            "1",
        ])
        .current_dir(dir.path())
        .env_clear()
        .env("HOME", dir.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sts:GetCallerIdentity"), "{err}");
    assert!(err.contains("--profile"), "{err}");
}

#[test]
fn a_bad_shard_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(["audit", "--shard", "9/8"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 <= i <= n"));
}
