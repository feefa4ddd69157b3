//! `phiguard evidence` at the command line: a recorded scan written as a
//! pack, verified, and caught when anything in it changes.

use std::path::Path;
use std::process::{Command, Output};

fn phiguard(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PHIGUARD_STORE")
        .env("XDG_DATA_HOME", cwd.join("data"))
        .output()
        .expect("runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn app() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/noncompliant-app")
        .display()
        .to_string()
}

fn digest(o: &Output) -> String {
    let t = text(o);
    let line = t
        .lines()
        .find(|l| l.contains("digest (SHA-256 of manifest.json)"))
        .unwrap_or_else(|| panic!("no digest in {t}"));
    line.rsplit(' ').next().unwrap().to_string()
}

#[test]
fn a_recorded_scan_becomes_a_pack_that_verifies_and_catches_tampering() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().join("history.sqlite");
    let store = store.to_str().unwrap();
    let o = phiguard(d.path(), &["check", "--store", store, "-f", "json", &app()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let checked: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();

    let o = phiguard(d.path(), &["evidence", "--out", "pack", "--store", store]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let kept = digest(&o);
    let pack = d.path().join("pack");
    for f in [
        "report.json",
        "report.html",
        "report.txt",
        "scan.json",
        "manifest.json",
    ] {
        assert!(pack.join(f).is_file(), "{f}");
    }
    // The pack's report is the scan's.
    let packed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pack.join("report.json")).unwrap()).unwrap();
    assert_eq!(packed["summary"], checked["summary"]);
    let html = std::fs::read_to_string(pack.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));

    let o = phiguard(d.path(), &["evidence", "verify", "pack", "--digest", &kept]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("intact"), "{}", text(&o));

    // A changed, a removed and an added file: exit 1, each named.
    std::fs::write(pack.join("report.txt"), "all good\n").unwrap();
    std::fs::remove_file(pack.join("scan.json")).unwrap();
    std::fs::write(pack.join("extra.csv"), "x\n").unwrap();
    let o = phiguard(d.path(), &["evidence", "verify", "pack"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("NOT INTACT"), "{t}");
    assert!(t.contains("changed  report.txt"), "{t}");
    assert!(t.contains("removed  scan.json"), "{t}");
    assert!(t.contains("added    extra.csv"), "{t}");

    // Not a pack: exit 2 with the reason.
    std::fs::create_dir(d.path().join("notapack")).unwrap();
    let o = phiguard(d.path(), &["evidence", "verify", "notapack"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not an evidence pack"), "{}", text(&o));

    // A pack is never written over anything.
    let o = phiguard(d.path(), &["evidence", "--out", "pack", "--store", store]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not empty"), "{}", text(&o));

    // A scan that is not there, and no store at all.
    let o = phiguard(
        d.path(),
        &["evidence", "--out", "p2", "--store", store, "99"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("no scan 99"), "{}", text(&o));
    let o = phiguard(d.path(), &["evidence", "--out", "p3", "--no-store"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn check_evidence_packs_the_configuration_and_the_inventory_judged() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("phiguard.toml"),
        "[regions]\napproved = [\"us-east-1\"]\n",
    )
    .unwrap();
    let o = phiguard(
        d.path(),
        &["check", "--no-store", "--evidence", "pack", &app()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let kept = digest(&o);
    let pack = d.path().join("pack");
    let inv: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pack.join("inventory.json")).unwrap()).unwrap();
    assert!(!inv["buckets"].as_array().unwrap().is_empty());
    assert_eq!(
        std::fs::read_to_string(pack.join("config/phiguard.toml")).unwrap(),
        "[regions]\napproved = [\"us-east-1\"]\n"
    );
    assert!(
        std::fs::read_to_string(pack.join("config/effective.toml"))
            .unwrap()
            .contains("us-east-1")
    );
    let o = phiguard(d.path(), &["evidence", "verify", "pack", "--digest", &kept]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Another digest: the manifest is not the one that was kept.
    let o = phiguard(
        d.path(),
        &["evidence", "verify", "pack", "--digest", &"0".repeat(64)],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("the manifest was rewritten"),
        "{}",
        text(&o)
    );
}
