//! The history store, on SQLite and (when a server is up) PostgreSQL.

mod common;

use phiguard_store::{
    Counts, CveObservation, NewScan, SCHEMA_VERSION, Store, StoredFinding, migration_sql,
};

fn finding(rule: &str, resource: &str, outcome: &str) -> StoredFinding {
    StoredFinding {
        rule: rule.into(),
        resource: resource.into(),
        outcome: outcome.into(),
        severity: "high".into(),
        location: format!("t.yaml:{}", resource.len()),
        message: format!("{rule} on {resource}: {outcome}"),
    }
}

fn scan(time: i64, scope: &str, findings: Vec<StoredFinding>) -> NewScan {
    let fail = findings.iter().filter(|f| f.outcome == "fail").count() as i64;
    NewScan {
        time,
        command: "check".into(),
        scope: scope.into(),
        inputs: vec!["a.yaml".into(), "b.json".into()],
        tool_version: "0.1.0".into(),
        config_hash: "abc".into(),
        counts: Counts {
            pass: findings.len() as i64 - fail,
            fail,
            unknown: 0,
            waived: 0,
        },
        findings,
        report_json: Some("{\"findings\":[]}".into()),
    }
}

#[test]
fn scans_and_findings_round_trip() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        let mut s = Store::open(&spec).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION, "{label}");
        let f = vec![
            finding("ENC-2", "AWS::S3::Bucket Logs", "fail"),
            finding("ENC-1", "AWS::KMS::Key K", "pass"),
            finding("LOG-1", "", "fail"),
        ];
        let id = s.record_scan(&scan(1000, "check:x", f.clone())).unwrap();
        let id2 = s.record_scan(&scan(2000, "check:y", vec![])).unwrap();
        assert!(id2 > id, "{label}");
        assert_eq!(s.findings(id).unwrap(), f, "{label}");
        let got = s.scan(id).unwrap().unwrap();
        assert_eq!(got.inputs, vec!["a.yaml", "b.json"], "{label}");
        assert_eq!(got.counts.fail, 2, "{label}");
        assert_eq!(
            s.report_json(id).unwrap().as_deref(),
            Some("{\"findings\":[]}"),
            "{label}"
        );
        assert!(s.scan(id2 + 10).unwrap().is_none(), "{label}");
        let all = s.scans(None, None).unwrap();
        assert_eq!(all.iter().map(|x| x.id).collect::<Vec<_>>(), vec![id2, id]);
        let one = s.scans(Some("check:x"), Some(5)).unwrap();
        assert_eq!(one.len(), 1, "{label}");
        // Reopening keeps everything.
        drop(s);
        let mut s = Store::open(&spec).unwrap();
        assert_eq!(s.scans(None, None).unwrap().len(), 2, "{label}");
    }
}

#[test]
fn failing_since_is_the_start_of_the_unbroken_run() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        let mut s = Store::open(&spec).unwrap();
        let b = "AWS::S3::Bucket B";
        let k = ("ENC-2".to_string(), b.to_string());
        s.record_scan(&scan(100, "sc", vec![finding("ENC-2", b, "fail")]))
            .unwrap();
        s.record_scan(&scan(200, "sc", vec![finding("ENC-2", b, "fail")]))
            .unwrap();
        assert_eq!(
            s.failing_since("sc").unwrap().get(&k),
            Some(&100),
            "{label}"
        );
        // Another scope does not interfere.
        s.record_scan(&scan(250, "other", vec![finding("ENC-2", b, "pass")]))
            .unwrap();
        assert_eq!(
            s.failing_since("sc").unwrap().get(&k),
            Some(&100),
            "{label}"
        );
        s.record_scan(&scan(300, "sc", vec![finding("ENC-2", b, "pass")]))
            .unwrap();
        assert!(s.failing_since("sc").unwrap().is_empty(), "{label}");
        s.record_scan(&scan(400, "sc", vec![finding("ENC-2", b, "fail")]))
            .unwrap();
        assert_eq!(
            s.failing_since("sc").unwrap().get(&k),
            Some(&400),
            "{label}"
        );
    }
}

/// A store written by schema version 1 (no report column, no `failing`
/// table) opens, upgrades, keeps its scans, and knows what has been failing
/// since when from the history it already had.
#[test]
fn a_version_1_store_upgrades() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        let pg = phiguard_store::is_postgres(&spec);
        let v1 = migration_sql(0, pg);
        let rows = [
            "INSERT INTO scans (time, command, scope, inputs, tool_version, config_hash, pass, fail, unknown, waived)
             VALUES (10, 'check', 'sc', 'a.yaml', '0.0.9', 'h', 0, 2, 0, 0)",
            "INSERT INTO findings VALUES (1, 'ENC-2', 'B', 'fail', 'high', 'a.yaml:3', 'm')",
            "INSERT INTO findings VALUES (1, 'ENC-1', 'K', 'fail', 'high', 'a.yaml:9', 'm')",
            "INSERT INTO scans (time, command, scope, inputs, tool_version, config_hash, pass, fail, unknown, waived)
             VALUES (20, 'check', 'sc', 'a.yaml', '0.0.9', 'h', 1, 1, 0, 0)",
            "INSERT INTO findings VALUES (2, 'ENC-2', 'B', 'fail', 'high', 'a.yaml:3', 'm')",
            "INSERT INTO findings VALUES (2, 'ENC-1', 'K', 'pass', 'high', 'a.yaml:9', 'm')",
            "INSERT INTO cve VALUES ('img', 'CVE-1', 'p', 'high', 5, 6, NULL)",
            "CREATE TABLE phiguard_schema (version BIGINT NOT NULL)",
            "INSERT INTO phiguard_schema VALUES (1)",
        ];
        if pg {
            let mut c = postgres::Client::connect(&spec, postgres::NoTls).unwrap();
            c.batch_execute(&v1).unwrap();
            for r in rows {
                c.batch_execute(r).unwrap();
            }
        } else {
            let c = rusqlite::Connection::open(&spec).unwrap();
            c.execute_batch(&v1).unwrap();
            for r in rows {
                c.execute_batch(r).unwrap();
            }
        }
        let mut s = Store::open(&spec).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION, "{label}");
        assert_eq!(s.scans(None, None).unwrap().len(), 2, "{label}");
        assert_eq!(s.findings(1).unwrap().len(), 2, "{label}");
        assert_eq!(s.report_json(1).unwrap(), None, "{label}");
        let since = s.failing_since("sc").unwrap();
        assert_eq!(since.len(), 1, "{label}: {since:?}");
        assert_eq!(
            since.get(&("ENC-2".into(), "B".into())),
            Some(&10),
            "{label}"
        );
        assert_eq!(s.cve_records().unwrap().len(), 1, "{label}");
        // And writes at the new version.
        let id = s.record_scan(&scan(30, "sc", vec![])).unwrap();
        assert!(s.report_json(id).unwrap().is_some(), "{label}");
        assert!(s.failing_since("sc").unwrap().is_empty(), "{label}");
    }
}

#[test]
fn a_store_newer_than_this_build_is_refused() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        drop(Store::open(&spec).unwrap());
        let bump = "UPDATE phiguard_schema SET version = 99";
        if phiguard_store::is_postgres(&spec) {
            let mut c = postgres::Client::connect(&spec, postgres::NoTls).unwrap();
            c.batch_execute(bump).unwrap();
        } else {
            rusqlite::Connection::open(&spec)
                .unwrap()
                .execute_batch(bump)
                .unwrap();
        }
        let e = Store::open(&spec).unwrap_err().to_string();
        assert!(e.contains("schema version 99"), "{label}: {e}");
        assert!(e.contains("upgrade phiguard"), "{label}: {e}");
    }
}

#[test]
fn a_corrupt_sqlite_file_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("history.sqlite");
    std::fs::write(&p, "this is not a database, it is a note\n".repeat(200)).unwrap();
    let e = Store::open(&p.display().to_string())
        .unwrap_err()
        .to_string();
    assert!(e.contains(&p.display().to_string()), "{e}");
    assert!(e.contains("not a readable SQLite database"), "{e}");
    // A directory where the file should be.
    let e = Store::open(&d.path().display().to_string())
        .unwrap_err()
        .to_string();
    assert!(e.contains("history store"), "{e}");
}

#[test]
fn an_unreachable_server_is_a_clear_error_without_the_password() {
    // Port 1 on the loopback: nothing listens there.
    let e = Store::open("postgres://ci:s3cret@127.0.0.1:1/phiguard?connect_timeout=2")
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot connect"), "{e}");
    assert!(!e.contains("s3cret"), "{e}");
    assert!(e.contains("ci:***@127.0.0.1:1"), "{e}");
}

/// Several writers at once, each with its own connection (as separate CI
/// runners have): every scan and every finding is kept, ids are distinct.
#[test]
fn concurrent_writers_lose_nothing() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        drop(Store::open(&spec).unwrap());
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let spec = spec.clone();
                std::thread::spawn(move || {
                    let mut s = Store::open(&spec).unwrap();
                    let mut ids = Vec::new();
                    for i in 0..15 {
                        let f = (0..40)
                            .map(|n| {
                                finding(
                                    "ENC-2",
                                    &format!("B{n}"),
                                    if (n + i) % 3 == 0 { "fail" } else { "pass" },
                                )
                            })
                            .collect();
                        // Half the writers share a scope.
                        let scope = if t % 2 == 0 {
                            "shared".into()
                        } else {
                            format!("w{t}")
                        };
                        ids.push(s.record_scan(&scan(i, &scope, f)).unwrap());
                        s.cve_observe(
                            "img",
                            i,
                            &[CveObservation {
                                vulnerability: format!("CVE-{t}"),
                                package: "p".into(),
                                severity: "high".into(),
                                first_seen: i,
                            }],
                        )
                        .unwrap();
                    }
                    ids
                })
            })
            .collect();
        let mut ids: Vec<i64> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 90, "{label}");
        let mut s = Store::open(&spec).unwrap();
        assert_eq!(s.scans(None, None).unwrap().len(), 90, "{label}");
        for id in ids {
            assert_eq!(s.findings(id).unwrap().len(), 40, "{label} scan {id}");
        }
        // At most one open episode per (target, vulnerability, package).
        let open: Vec<_> = s
            .cve_records()
            .unwrap()
            .into_iter()
            .filter(|r| r.closed_at.is_none())
            .map(|r| r.vulnerability)
            .collect();
        let mut dedup = open.clone();
        dedup.dedup();
        assert_eq!(open, dedup, "{label}");
    }
}

/// Two machines sharing one store: the first seen date set by one holds for
/// the other; a later scan without the finding closes it.
#[test]
fn cve_episodes_open_persist_and_close_across_machines() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        let obs = |v: &str, first: i64| CveObservation {
            vulnerability: v.into(),
            package: "openssl".into(),
            severity: "critical".into(),
            first_seen: first,
        };
        let mut a = Store::open(&spec).unwrap();
        let mut b = Store::open(&spec).unwrap();
        let open = a
            .cve_observe("app:1", 1000, &[obs("CVE-A", 5000), obs("CVE-B", 1000)])
            .unwrap();
        assert_eq!(open.len(), 2, "{label}");
        assert!(open.iter().all(|r| r.first_seen == 1000), "{label}");
        // The other machine, later, with the scanner's own older date for B.
        let open = b
            .cve_observe("app:1", 2000, &[obs("CVE-A", 2000), obs("CVE-B", 500)])
            .unwrap();
        let a_rec = open.iter().find(|r| r.vulnerability == "CVE-A").unwrap();
        assert_eq!((a_rec.first_seen, a_rec.last_seen), (1000, 2000), "{label}");
        let b_rec = open.iter().find(|r| r.vulnerability == "CVE-B").unwrap();
        assert_eq!(b_rec.first_seen, 500, "{label}");
        // Another target is independent.
        a.cve_observe("app:2", 2500, &[obs("CVE-A", 2500)]).unwrap();
        // B fixed.
        let open = a.cve_observe("app:1", 3000, &[obs("CVE-A", 3000)]).unwrap();
        assert_eq!(open.len(), 1, "{label}");
        let all = b.cve_records().unwrap();
        let closed: Vec<_> = all.iter().filter(|r| r.closed_at.is_some()).collect();
        assert_eq!(closed.len(), 1, "{label}");
        assert_eq!(closed[0].vulnerability, "CVE-B", "{label}");
        assert_eq!(closed[0].closed_at, Some(3000), "{label}");
        // It comes back: a new episode, first seen now.
        let open = b
            .cve_observe("app:1", 4000, &[obs("CVE-A", 4000), obs("CVE-B", 4000)])
            .unwrap();
        let b_rec = open.iter().find(|r| r.vulnerability == "CVE-B").unwrap();
        assert_eq!(b_rec.first_seen, 4000, "{label}");
        assert_eq!(b.cve_records().unwrap().len(), 4, "{label}");
        // An empty scan of the target closes everything in it.
        assert!(a.cve_observe("app:1", 5000, &[]).unwrap().is_empty());
    }
}
