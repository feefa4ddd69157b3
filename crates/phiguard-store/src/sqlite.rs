//! The embedded SQLite backend.

use crate::migrate::{MIGRATIONS, VERSION_TABLE, migration_sql};
use crate::{
    CveObservation, CveRecord, FindingKey, NewScan, Result, Scan, StoreError, StoredFinding,
    join_inputs, split_inputs,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

pub(crate) fn connect(path: &str) -> Result<Connection> {
    let p = Path::new(path);
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError(format!(
                "history store {path}: cannot create its directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    let c = Connection::open_with_flags(
        p,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError(format!("history store {path}: cannot open: {e}")))?;
    // Several local runs may write at once: wait for each other.
    let _ = c.busy_timeout(Duration::from_secs(30));
    // A file that is not a SQLite database opens, and fails on first read.
    c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .map_err(|e| {
            StoreError(format!(
                "history store {path}: not a readable SQLite database ({e}); move it away or pass another --store"
            ))
        })?;
    let _ = c.pragma_update(None, "journal_mode", "WAL");
    let _ = c.pragma_update(None, "synchronous", "NORMAL");
    let _ = c.pragma_update(None, "foreign_keys", "ON");
    Ok(c)
}

pub(crate) fn version(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM phiguard_schema",
        [],
        |r| r.get(0),
    )
}

pub(crate) fn migrate(c: &mut Connection) -> std::result::Result<(), String> {
    let tx = c
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| e.to_string())?;
    tx.execute_batch(VERSION_TABLE).map_err(|e| e.to_string())?;
    let at = version(&tx).map_err(|e| e.to_string())?;
    if at > MIGRATIONS.len() as i64 {
        return Err(format!(
            "the store is at schema version {at}, newer than this phiguard knows ({}); upgrade phiguard",
            MIGRATIONS.len()
        ));
    }
    for i in at as usize..MIGRATIONS.len() {
        tx.execute_batch(&migration_sql(i, false))
            .map_err(|e| format!("migration to version {}: {e}", i + 1))?;
    }
    if at < MIGRATIONS.len() as i64 {
        tx.execute("DELETE FROM phiguard_schema", [])
            .map_err(|e| e.to_string())?;
        tx.execute(
            "INSERT INTO phiguard_schema (version) VALUES (?1)",
            [MIGRATIONS.len() as i64],
        )
        .map_err(|e| e.to_string())?;
    }
    tx.commit().map_err(|e| e.to_string())
}

pub(crate) fn record_scan(
    c: &mut Connection,
    s: &NewScan,
    report: Option<&[u8]>,
    fails: &[FindingKey],
) -> rusqlite::Result<i64> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO scans (time, command, scope, inputs, tool_version, config_hash, pass, fail, unknown, waived, report)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            s.time,
            s.command,
            s.scope,
            join_inputs(&s.inputs),
            s.tool_version,
            s.config_hash,
            s.counts.pass,
            s.counts.fail,
            s.counts.unknown,
            s.counts.waived,
            report
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut ins = tx.prepare(
            "INSERT INTO findings (scan_id, rule, resource, outcome, severity, location, message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for f in &s.findings {
            ins.execute(params![
                id, f.rule, f.resource, f.outcome, f.severity, f.location, f.message
            ])?;
        }
        let before: HashSet<FindingKey> = failing(&tx, &s.scope)?.into_keys().collect();
        let now: HashSet<&FindingKey> = fails.iter().collect();
        let mut del =
            tx.prepare("DELETE FROM failing WHERE scope = ?1 AND rule = ?2 AND resource = ?3")?;
        for k in before.iter().filter(|k| !now.contains(k)) {
            del.execute(params![s.scope, k.0, k.1])?;
        }
        let mut add = tx.prepare(
            "INSERT OR IGNORE INTO failing (scope, rule, resource, since) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for k in fails.iter().filter(|k| !before.contains(*k)) {
            add.execute(params![s.scope, k.0, k.1, s.time])?;
        }
    }
    tx.commit()?;
    Ok(id)
}

const SCAN_COLUMNS: &str =
    "id, time, command, scope, inputs, tool_version, config_hash, pass, fail, unknown, waived";

fn scan_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Scan> {
    Ok(Scan {
        id: r.get(0)?,
        time: r.get(1)?,
        command: r.get(2)?,
        scope: r.get(3)?,
        inputs: split_inputs(&r.get::<_, String>(4)?),
        tool_version: r.get(5)?,
        config_hash: r.get(6)?,
        counts: crate::Counts {
            pass: r.get(7)?,
            fail: r.get(8)?,
            unknown: r.get(9)?,
            waived: r.get(10)?,
        },
    })
}

pub(crate) fn scans(
    c: &Connection,
    scope: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<Scan>> {
    let sql = format!(
        "SELECT {SCAN_COLUMNS} FROM scans WHERE (?1 IS NULL OR scope = ?1) ORDER BY id DESC LIMIT ?2"
    );
    let mut st = c.prepare(&sql)?;
    st.query_map(params![scope, limit], scan_row)?.collect()
}

pub(crate) fn scan(c: &Connection, id: i64) -> rusqlite::Result<Option<Scan>> {
    c.query_row(
        &format!("SELECT {SCAN_COLUMNS} FROM scans WHERE id = ?1"),
        [id],
        scan_row,
    )
    .optional()
}

pub(crate) fn findings(c: &Connection, scan_id: i64) -> rusqlite::Result<Vec<StoredFinding>> {
    let mut st = c.prepare(
        "SELECT rule, resource, outcome, severity, location, message FROM findings
         WHERE scan_id = ?1 ORDER BY rowid",
    )?;
    st.query_map([scan_id], |r| {
        Ok(StoredFinding {
            rule: r.get(0)?,
            resource: r.get(1)?,
            outcome: r.get(2)?,
            severity: r.get(3)?,
            location: r.get(4)?,
            message: r.get(5)?,
        })
    })?
    .collect()
}

pub(crate) fn report(c: &Connection, scan_id: i64) -> rusqlite::Result<Option<Vec<u8>>> {
    Ok(
        c.query_row("SELECT report FROM scans WHERE id = ?1", [scan_id], |r| {
            r.get::<_, Option<Vec<u8>>>(0)
        })
        .optional()?
        .flatten(),
    )
}

pub(crate) fn failing(c: &Connection, scope: &str) -> rusqlite::Result<HashMap<FindingKey, i64>> {
    let mut st = c.prepare("SELECT rule, resource, since FROM failing WHERE scope = ?1")?;
    st.query_map([scope], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .collect()
}

fn cve_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CveRecord> {
    Ok(CveRecord {
        target: r.get(0)?,
        vulnerability: r.get(1)?,
        package: r.get(2)?,
        severity: r.get(3)?,
        first_seen: r.get(4)?,
        last_seen: r.get(5)?,
        closed_at: r.get(6)?,
    })
}

const CVE_COLUMNS: &str =
    "target, vulnerability, package, severity, first_seen, last_seen, closed_at";

pub(crate) fn cve_observe(
    c: &mut Connection,
    target: &str,
    now: i64,
    seen: &[CveObservation],
) -> rusqlite::Result<Vec<CveRecord>> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut upd = tx.prepare(
            "UPDATE cve SET last_seen = MAX(last_seen, ?4), severity = ?5, first_seen = MIN(first_seen, ?6)
             WHERE target = ?1 AND vulnerability = ?2 AND package = ?3 AND closed_at IS NULL",
        )?;
        let mut ins = tx.prepare(
            "INSERT INTO cve (target, vulnerability, package, severity, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut keys: HashSet<(&str, &str)> = HashSet::new();
        for o in seen {
            if !keys.insert((&o.vulnerability, &o.package)) {
                continue;
            }
            let first = o.first_seen.min(now);
            let n = upd.execute(params![
                target,
                o.vulnerability,
                o.package,
                now,
                o.severity,
                first
            ])?;
            if n == 0 {
                ins.execute(params![
                    target,
                    o.vulnerability,
                    o.package,
                    o.severity,
                    first,
                    now
                ])?;
            }
        }
        let open: Vec<CveRecord> = tx
            .prepare(&format!(
                "SELECT {CVE_COLUMNS} FROM cve WHERE target = ?1 AND closed_at IS NULL"
            ))?
            .query_map([target], cve_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut close = tx.prepare(
            "UPDATE cve SET closed_at = ?4
             WHERE target = ?1 AND vulnerability = ?2 AND package = ?3 AND closed_at IS NULL",
        )?;
        for r in open
            .iter()
            .filter(|r| !keys.contains(&(r.vulnerability.as_str(), r.package.as_str())))
        {
            close.execute(params![
                target,
                r.vulnerability,
                r.package,
                now.max(r.last_seen)
            ])?;
        }
    }
    let open: Vec<CveRecord> = tx
        .prepare(&format!(
            "SELECT {CVE_COLUMNS} FROM cve WHERE target = ?1 AND closed_at IS NULL
             ORDER BY vulnerability, package"
        ))?
        .query_map([target], cve_row)?
        .collect::<rusqlite::Result<_>>()?;
    tx.commit()?;
    Ok(open)
}

pub(crate) fn cve_records(c: &Connection) -> rusqlite::Result<Vec<CveRecord>> {
    c.prepare(&format!(
        "SELECT {CVE_COLUMNS} FROM cve ORDER BY target, vulnerability, package, first_seen"
    ))?
    .query_map([], cve_row)?
    .collect()
}
