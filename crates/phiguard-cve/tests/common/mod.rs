//! Stores for tests: a SQLite file in a temporary directory, and a fresh
//! database on the PostgreSQL server that `scripts/postgres.sh` starts
//! (`PHIGUARD_TEST_POSTGRES`). Without a server the PostgreSQL half of a
//! test is skipped with a message, unless `CI` or `PHIGUARD_REQUIRE_POSTGRES`
//! is set: then it fails.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

pub fn postgres_base() -> Option<String> {
    match std::env::var("PHIGUARD_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var_os("CI").is_some()
                || std::env::var_os("PHIGUARD_REQUIRE_POSTGRES").is_some()
            {
                panic!(
                    "PHIGUARD_TEST_POSTGRES is not set: start a server with `eval \"$(scripts/postgres.sh start)\"`"
                );
            }
            eprintln!(
                "skipping the PostgreSQL half: PHIGUARD_TEST_POSTGRES is not set (scripts/postgres.sh starts a server)"
            );
            None
        }
    }
}

static N: AtomicU32 = AtomicU32::new(0);

/// A new, empty database on the test server; its URL.
pub fn fresh_postgres(base: &str) -> String {
    let name = format!(
        "phiguard_t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut c =
        postgres::Client::connect(base, postgres::NoTls).expect("connect to the test server");
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (head, _) = base.rsplit_once('/').expect("a URL with a database");
    let tail = base
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{head}/{name}{tail}")
}

/// Every store to run a test on: (label, spec). Keeps the temporary
/// directory alive with the returned guard.
pub fn stores() -> (tempfile::TempDir, Vec<(&'static str, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vec![(
        "sqlite",
        dir.path().join("history.sqlite").display().to_string(),
    )];
    if let Some(base) = postgres_base() {
        v.push(("postgres", fresh_postgres(&base)));
    }
    (dir, v)
}
