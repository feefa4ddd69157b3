//! The history store end to end: `check` records, "failing since",
//! `history`, `diff`, `cve-gate` and its `--stats`, and the store's failure
//! modes (an explicit store fails the run; the default store only warns).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const GOOD: &str = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: !GetAtt Key.Arn\n";
const BAD: &str = "Resources:\n  Data:\n    Type: AWS::S3::Bucket\n";

fn run(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_phiguard"));
    c.args(args).current_dir(cwd).env_remove("PHIGUARD_STORE");
    // Never the user's own data directory.
    c.env("XDG_DATA_HOME", cwd.join("xdg")).env("HOME", cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", out(o), err(o)))
}

#[test]
fn check_records_and_reports_failing_since_history_and_diff() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("h.sqlite").display().to_string();
    std::fs::create_dir(d.path().join("t")).unwrap();
    let tpl = d.path().join("t/app.yaml");
    let check = |now: &str| {
        run(
            &[
                "check", "--rule", "ENC-2", "-f", "json", "--store", &store, "t",
            ],
            d.path(),
            &[("PHIGUARD_NOW", now)],
        )
    };
    std::fs::write(&tpl, BAD).unwrap();
    let o = check("2026-11-01T10:00:00Z");
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let f = &json(&o)["findings"][0];
    assert_eq!(f["outcome"], "fail");
    assert!(
        f["failing_since"].is_null(),
        "a first failure has no history"
    );
    let o = check("2026-11-02T10:00:00Z");
    assert_eq!(
        json(&o)["findings"][0]["failing_since"],
        "2026-11-01T10:00:00Z"
    );
    // The text report says so too.
    let o = run(
        &["check", "--rule", "ENC-2", "--store", &store, "t"],
        d.path(),
        &[("PHIGUARD_NOW", "2026-11-03T10:00:00Z")],
    );
    assert!(
        out(&o).contains("failing since 2026-11-01T10:00:00Z"),
        "{}",
        out(&o)
    );
    // Fixed, then broken again: a new run starts.
    std::fs::write(&tpl, GOOD).unwrap();
    assert_eq!(check("2026-11-04T10:00:00Z").status.code(), Some(0));
    let o = run(&["diff", "--store", &store, "-f", "json"], d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let dj = json(&o);
    assert_eq!(dj["fixed"].as_array().unwrap().len(), 1);
    assert_eq!(dj["new_failures"].as_array().unwrap().len(), 0);
    std::fs::write(&tpl, BAD).unwrap();
    let o = check("2026-11-05T10:00:00Z");
    assert!(json(&o)["findings"][0]["failing_since"].is_null());
    let o = run(&["diff", "--store", &store], d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "new failures exit 1: {}", out(&o));
    assert!(out(&o).contains("new failures (1)"), "{}", out(&o));
    assert!(out(&o).contains("ENC-2"), "{}", out(&o));
    // Explicit ids: scan 2 (failing) against 3 (failing): still failing.
    let o = run(
        &["diff", "2", "3", "--store", &store, "-f", "json"],
        d.path(),
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["still_failing"].as_array().unwrap().len(), 1);
    // History lists the five scans, newest first, with their counts.
    let o = run(&["history", "--store", &store, "-f", "json"], d.path(), &[]);
    let h = json(&o);
    let scans = h["scans"].as_array().unwrap();
    assert_eq!(scans.len(), 5);
    assert_eq!(scans[0]["id"], 5);
    assert_eq!(scans[0]["summary"]["fail"], 1);
    assert_eq!(scans[0]["scope"], "check:t");
    assert_eq!(scans[0]["time"], "2026-11-05T10:00:00Z");
    let o = run(&["history", "--store", &store], d.path(), &[]);
    assert!(out(&o).contains("check:t"), "{}", out(&o));
    // --no-store records nothing.
    let o = run(
        &["check", "--no-store", "--rule", "ENC-2", "t"],
        d.path(),
        &[("PHIGUARD_STORE", &store)],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = run(
        &["history", "-f", "json"],
        d.path(),
        &[("PHIGUARD_STORE", &store)],
    );
    assert_eq!(json(&o)["scans"].as_array().unwrap().len(), 5);
    // Bad ids.
    let o = run(&["diff", "1", "99", "--store", &store], d.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no scan 99"), "{}", err(&o));
}

#[test]
fn a_broken_store_is_an_error_when_named_and_a_warning_by_default() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("app.yaml"), BAD).unwrap();
    let bad = d.path().join("corrupt.sqlite");
    std::fs::write(&bad, "not a database at all\n".repeat(100)).unwrap();
    let bad = bad.display().to_string();
    // Named: exit 2, with the file and what is wrong.
    let o = run(
        &["check", "--rule", "ENC-2", "--store", &bad, "app.yaml"],
        d.path(),
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("corrupt.sqlite") && err(&o).contains("not a readable SQLite database"),
        "{}",
        err(&o)
    );
    for args in [vec!["history"], vec!["diff"], vec!["cve-gate", "--stats"]] {
        let o = run(&args, d.path(), &[("PHIGUARD_STORE", &bad)]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            err(&o).contains("not a readable SQLite database"),
            "{args:?}: {}",
            err(&o)
        );
    }
    let o = run(
        &[
            "history",
            "--store",
            "postgres://ci:pw@127.0.0.1:1/none?connect_timeout=2",
        ],
        d.path(),
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("cannot connect") && !err(&o).contains(":pw@"),
        "{}",
        err(&o)
    );
    // The default store, corrupt: check warns and still reports.
    let def = d.path().join("xdg/phiguard");
    std::fs::create_dir_all(&def).unwrap();
    std::fs::write(def.join("history.sqlite"), "garbage\n".repeat(100)).unwrap();
    let o = run(&["check", "--rule", "ENC-2", "app.yaml"], d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("ENC-2"));
    assert!(
        err(&o).contains("warning") && err(&o).contains("not recorded"),
        "{}",
        err(&o)
    );
    // ...but history cannot run without it.
    let o = run(&["history"], d.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cve_gate_exit_codes_and_stats() {
    let d = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../phiguard-cve/tests/data");
    let f = |n: &str| data.join(n).display().to_string();
    let store = d.path().join("h.sqlite").display().to_string();
    let env = |now: &'static str| [("PHIGUARD_NOW", now)];
    let o = run(
        &["cve-gate", "--store", &store, &f("trivy-clean.json")],
        d.path(),
        &env("2026-12-01T00:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = run(
        &[
            "cve-gate",
            "--store",
            &store,
            &f("trivy-image.json"),
            &f("grype-image.json"),
        ],
        d.path(),
        &env("2026-12-01T00:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("CVE-2024-5535"));
    // sla mode: nothing is past its SLA on day 0; the critical is on day 3.
    let o = run(
        &[
            "cve-gate",
            "--mode",
            "sla",
            "--store",
            &store,
            &f("trivy-image.json"),
            &f("grype-image.json"),
        ],
        d.path(),
        &env("2026-12-01T12:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = run(
        &[
            "cve-gate",
            "--mode",
            "sla",
            "-f",
            "json",
            "--store",
            &store,
            &f("trivy-image.json"),
            &f("grype-image.json"),
        ],
        d.path(),
        &env("2026-12-04T00:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    assert_eq!(j["summary"]["past_sla"], 1);
    // Bad input: exit 2, the file named, the rest reported.
    let o = run(
        &[
            "cve-gate",
            "--store",
            &store,
            &f("bad/truncated.json"),
            &f("trivy-image.json"),
        ],
        d.path(),
        &env("2026-12-04T00:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("truncated.json") && err(&o).contains("expected a Trivy JSON"),
        "{}",
        err(&o)
    );
    assert!(out(&o).contains("CVE-2024-5535"));
    // Fixed on day 6: time to remediate.
    let o = run(
        &["cve-gate", "--store", &store, &f("trivy-clean.json")],
        d.path(),
        &env("2026-12-06T00:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(0));
    let fixed = std::fs::read_to_string(f("trivy-clean.json"))
        .unwrap()
        .replace("audit-worker:2.0.0", "patient-api:1.4.2");
    std::fs::write(d.path().join("fixed.json"), fixed).unwrap();
    run(
        &["cve-gate", "--store", &store, "fixed.json"],
        d.path(),
        &env("2026-12-06T00:00:00Z"),
    );
    let o = run(
        &["cve-gate", "--stats", "-f", "json", "--store", &store],
        d.path(),
        &env("2026-12-06T00:00:00Z"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let s = json(&o);
    assert_eq!(s["severities"][0]["severity"], "critical");
    assert_eq!(s["severities"][0]["closed"], 1);
    assert_eq!(
        s["severities"][0]["p90_time_to_remediate_seconds"],
        5 * 86_400
    );
    assert_eq!(s["severities"][0]["closed_past_sla"], 1);
    let o = run(&["cve-gate", "--stats", "--no-store"], d.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
}
