//! `phiguard init`, `generate` and `runbooks` as a user runs them.

use std::path::Path;
use std::process::{Command, Output};

fn phiguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const INIT: &[&str] = &[
    "init",
    "--no-input",
    "--organization",
    "Example Health",
    "--set",
    "baseline.organization_id=o-a1b2c3d4e5",
    "--set",
    "baseline.root_id=r-a1b2",
    "--set",
    "accounts.security=222222222222",
    "--set",
    "baseline.emails.logs=aws-logs@example.com",
    "--set",
    "baseline.emails.network=aws-network@example.com",
    "--set",
    "baseline.emails.prod=aws-prod@example.com",
];

#[test]
fn init_then_generate_then_check_complete_finds_no_failure() {
    let d = tempfile::tempdir().unwrap();
    let o = phiguard(d.path(), INIT);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let toml = std::fs::read_to_string(d.path().join("phiguard.toml")).unwrap();
    assert!(toml.contains("organization = \"Example Health\""));
    assert!(
        toml.contains("# copy_account = "),
        "unset keys are commented"
    );
    // Never overwritten.
    let o = phiguard(d.path(), &["init", "--no-input", "--organization", "Other"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(d.path().join("phiguard.toml")).unwrap(),
        toml
    );

    let o = phiguard(d.path(), &["generate", "--out", "baseline"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in [
        "README.md",
        "management/organization.yaml",
        "logs/logs.yaml",
        "security/security.yaml",
        "network/network.yaml",
        "workload/workload-prod.yaml",
        "workload/backup-copy-vault.yaml",
    ] {
        assert!(d.path().join("baseline").join(f).exists(), "{f}");
    }
    let first = std::fs::read(d.path().join("baseline/workload/workload-prod.yaml")).unwrap();
    let o = phiguard(d.path(), &["generate", "--out", "baseline"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read(d.path().join("baseline/workload/workload-prod.yaml")).unwrap(),
        first
    );

    let o = phiguard(
        d.path(),
        &["check", "--complete", "--format", "json", "baseline"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["fail"], 0, "{v:#}");
    assert_eq!(o.status.code(), Some(0));
    // Once the runbooks' attestation is begun, IR-1 judges it.
    let toml = toml.replace(
        "[baseline.runbooks]\n",
        "[baseline.runbooks]\nlocation = \"https://wiki.example.com/ir\"\n",
    );
    std::fs::write(d.path().join("phiguard.toml"), toml).unwrap();
    let o = phiguard(
        d.path(),
        &[
            "check",
            "--complete",
            "--format",
            "json",
            "--rule",
            "IR-1",
            "baseline",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["fail"], 1, "{v:#}");
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no review date"),
        "{v:#}"
    );
}

#[test]
fn bad_configuration_names_the_key_and_line_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let toml = "[regions]\napproved = ['us-east-1', 'us-west-2']\n\n[baseline]\norganization = 'X'\norganization_id = 'o-a1b2c3d4e5'\nroot_id = 'r-a1b2'\nlog_retention_years = 5\nnetwork_account = '123'\n\n[baseline.emails]\nsecurity = 'not-an-email'\nlogs = 'l@example.com'\nprod = 'p@example.com'\n\n[baseline.backup]\ncopy_region = 'us-east-1'\n";
    std::fs::write(d.path().join("phiguard.toml"), toml).unwrap();
    let o = phiguard(d.path(), &["generate", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    for want in [
        "line 8: baseline.log_retention_years",
        "line 9: baseline.network_account",
        "line 12: baseline.emails.security",
        "line 17: baseline.backup.copy_region",
    ] {
        assert!(e.contains(want), "{want} not in:\n{e}");
    }
    assert!(!d.path().join("out").exists(), "nothing is written");
    // A missing value that generation needs.
    std::fs::write(
        d.path().join("phiguard.toml"),
        "[baseline]\norganization = 'X'\n",
    )
    .unwrap();
    let o = phiguard(d.path(), &["generate", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("baseline.organization_id"),
        "{}",
        stderr(&o)
    );
    assert!(!d.path().join("out").exists());
    // An invalid region in [regions].
    std::fs::write(
        d.path().join("phiguard.toml"),
        "[regions]\napproved = ['us-east-1', 'mars-north-1x']\n",
    )
    .unwrap();
    let o = phiguard(d.path(), &["generate", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2: regions.approved"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn runbooks_need_the_contacts_and_write_markdown_and_html() {
    let d = tempfile::tempdir().unwrap();
    let o = phiguard(d.path(), INIT);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = phiguard(d.path(), &["runbooks", "--out", "rb"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("baseline.incident_response.privacy_officer.name"));
    assert!(!d.path().join("rb").exists());
    let mut toml = std::fs::read_to_string(d.path().join("phiguard.toml")).unwrap();
    for (who, name) in [
        ("privacy_officer", "Dana Smith"),
        ("security_officer", "Lee Jones"),
    ] {
        toml = toml.replace(
            &format!("[baseline.incident_response.{who}]\n"),
            &format!("[baseline.incident_response.{who}]\nname = \"{name}\"\nphone = \"+1 555 0100\"\nemail = \"{}@example.com\"\n", who.replace('_', "-")),
        );
    }
    std::fs::write(d.path().join("phiguard.toml"), &toml).unwrap();
    let o = phiguard(d.path(), &["runbooks", "--out", "rb"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(d.path().join("rb/runbooks.md")).unwrap();
    assert!(md.contains("Dana Smith") && md.contains("example-health-prod-isolation"));
    assert!(d.path().join("rb/runbooks.html").exists());
}
