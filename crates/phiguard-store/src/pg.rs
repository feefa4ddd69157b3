//! The PostgreSQL backend: the same schema, for teams whose CI runners are
//! ephemeral. Writers of the same scope or target serialise on an advisory
//! lock; scans of different scopes write at once. Nothing is lost: each scan
//! is one transaction, and ids come from a sequence.

use crate::migrate::{MIGRATIONS, VERSION_TABLE, migration_sql};
use crate::{
    CveObservation, CveRecord, FindingKey, NewScan, Result, Scan, StoreError, StoredFinding,
    join_inputs, split_inputs,
};
use postgres::{Client, NoTls, Row};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// Advisory lock keys: one for migrations, one namespace per scope/target.
const MIGRATION_LOCK: i64 = 0x7068_6967_7561_7264; // "phiguard"

pub(crate) fn connect(url: &str, name: &str) -> Result<Client> {
    let mut cfg: postgres::Config = url
        .parse()
        .map_err(|e| StoreError(format!("history store {name}: not a PostgreSQL URL: {e}")))?;
    if cfg.get_connect_timeout().is_none() {
        cfg.connect_timeout(Duration::from_secs(10));
    }
    if cfg.get_application_name().is_none() {
        cfg.application_name("phiguard");
    }
    cfg.connect(NoTls).map_err(|e| {
        StoreError(format!(
            "history store {name}: cannot connect: {}",
            source_chain(&e)
        ))
    })
}

/// The error with its causes ("error connecting to server: Connection refused").
fn source_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

fn text(e: postgres::Error) -> String {
    source_chain(&e)
}

pub(crate) fn version(c: &mut Client) -> std::result::Result<i64, String> {
    c.query_one("SELECT COALESCE(MAX(version), 0) FROM phiguard_schema", &[])
        .map(|r| r.get(0))
        .map_err(text)
}

pub(crate) fn migrate(c: &mut Client) -> std::result::Result<(), String> {
    let mut tx = c.transaction().map_err(text)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(text)?;
    tx.batch_execute(VERSION_TABLE).map_err(text)?;
    let at: i64 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM phiguard_schema", &[])
        .map_err(text)?
        .get(0);
    if at > MIGRATIONS.len() as i64 {
        return Err(format!(
            "the store is at schema version {at}, newer than this phiguard knows ({}); upgrade phiguard",
            MIGRATIONS.len()
        ));
    }
    for i in at as usize..MIGRATIONS.len() {
        tx.batch_execute(&migration_sql(i, true))
            .map_err(|e| format!("migration to version {}: {}", i + 1, text(e)))?;
    }
    if at < MIGRATIONS.len() as i64 {
        tx.execute("DELETE FROM phiguard_schema", &[])
            .map_err(text)?;
        tx.execute(
            "INSERT INTO phiguard_schema (version) VALUES ($1)",
            &[&(MIGRATIONS.len() as i64)],
        )
        .map_err(text)?;
    }
    tx.commit().map_err(text)
}

/// An advisory lock key for a scope or target name.
fn lock_key(kind: &str, name: &str) -> String {
    format!("{kind}:{name}")
}

pub(crate) fn record_scan(
    c: &mut Client,
    s: &NewScan,
    report: Option<&[u8]>,
    fails: &[FindingKey],
) -> std::result::Result<i64, String> {
    let mut tx = c.transaction().map_err(text)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO scans (time, command, scope, inputs, tool_version, config_hash, pass, fail, unknown, waived, report)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &s.time,
                &s.command,
                &s.scope,
                &join_inputs(&s.inputs),
                &s.tool_version,
                &s.config_hash,
                &s.counts.pass,
                &s.counts.fail,
                &s.counts.unknown,
                &s.counts.waived,
                &report,
            ],
        )
        .map_err(text)?
        .get(0);
    // One statement for all findings: arrays, unnested by the server.
    let col = |f: fn(&StoredFinding) -> &str| s.findings.iter().map(f).collect::<Vec<&str>>();
    let (rule, resource, outcome, severity, location, message) = (
        col(|f| &f.rule),
        col(|f| &f.resource),
        col(|f| &f.outcome),
        col(|f| &f.severity),
        col(|f| &f.location),
        col(|f| &f.message),
    );
    tx.execute(
        "INSERT INTO findings (scan_id, rule, resource, outcome, severity, location, message)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])",
        &[&id, &rule, &resource, &outcome, &severity, &location, &message],
    )
    .map_err(text)?;
    // What is failing since when: one writer per scope at a time.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&lock_key("scope", &s.scope)],
    )
    .map_err(text)?;
    let before: HashSet<FindingKey> = failing_in(&mut tx, &s.scope)?.into_keys().collect();
    let now: HashSet<&FindingKey> = fails.iter().collect();
    let gone: Vec<&FindingKey> = before.iter().filter(|k| !now.contains(k)).collect();
    let new: Vec<&FindingKey> = fails.iter().filter(|k| !before.contains(*k)).collect();
    let pair = |v: &[&FindingKey]| -> (Vec<String>, Vec<String>) {
        v.iter().map(|k| (k.0.clone(), k.1.clone())).unzip()
    };
    let (gr, gres) = pair(&gone);
    tx.execute(
        "DELETE FROM failing f USING unnest($2::text[], $3::text[]) AS g(rule, resource)
         WHERE f.scope = $1 AND f.rule = g.rule AND f.resource = g.resource",
        &[&s.scope, &gr, &gres],
    )
    .map_err(text)?;
    let (nr, nres) = pair(&new);
    tx.execute(
        "INSERT INTO failing (scope, rule, resource, since)
         SELECT $1, rule, resource, $4 FROM unnest($2::text[], $3::text[]) AS n(rule, resource)
         ON CONFLICT DO NOTHING",
        &[&s.scope, &nr, &nres, &s.time],
    )
    .map_err(text)?;
    tx.commit().map_err(text)?;
    Ok(id)
}

const SCAN_COLUMNS: &str =
    "id, time, command, scope, inputs, tool_version, config_hash, pass, fail, unknown, waived";

fn scan_row(r: &Row) -> Scan {
    Scan {
        id: r.get(0),
        time: r.get(1),
        command: r.get(2),
        scope: r.get(3),
        inputs: split_inputs(r.get(4)),
        tool_version: r.get(5),
        config_hash: r.get(6),
        counts: crate::Counts {
            pass: r.get(7),
            fail: r.get(8),
            unknown: r.get(9),
            waived: r.get(10),
        },
    }
}

pub(crate) fn scans(
    c: &mut Client,
    scope: Option<&str>,
    limit: i64,
) -> std::result::Result<Vec<Scan>, String> {
    let rows = c
        .query(
            &format!(
                "SELECT {SCAN_COLUMNS} FROM scans WHERE ($1::text IS NULL OR scope = $1)
                 ORDER BY id DESC LIMIT $2"
            ),
            &[&scope, &limit],
        )
        .map_err(text)?;
    Ok(rows.iter().map(scan_row).collect())
}

pub(crate) fn scan(c: &mut Client, id: i64) -> std::result::Result<Option<Scan>, String> {
    let rows = c
        .query(
            &format!("SELECT {SCAN_COLUMNS} FROM scans WHERE id = $1"),
            &[&id],
        )
        .map_err(text)?;
    Ok(rows.first().map(scan_row))
}

pub(crate) fn findings(
    c: &mut Client,
    scan_id: i64,
) -> std::result::Result<Vec<StoredFinding>, String> {
    let rows = c
        .query(
            "SELECT rule, resource, outcome, severity, location, message FROM findings
             WHERE scan_id = $1 ORDER BY ctid",
            &[&scan_id],
        )
        .map_err(text)?;
    Ok(rows
        .iter()
        .map(|r| StoredFinding {
            rule: r.get(0),
            resource: r.get(1),
            outcome: r.get(2),
            severity: r.get(3),
            location: r.get(4),
            message: r.get(5),
        })
        .collect())
}

pub(crate) fn report(c: &mut Client, scan_id: i64) -> std::result::Result<Option<Vec<u8>>, String> {
    let rows = c
        .query("SELECT report FROM scans WHERE id = $1", &[&scan_id])
        .map_err(text)?;
    Ok(rows.first().and_then(|r| r.get::<_, Option<Vec<u8>>>(0)))
}

fn failing_in(
    c: &mut impl postgres::GenericClient,
    scope: &str,
) -> std::result::Result<HashMap<FindingKey, i64>, String> {
    let rows = c
        .query(
            "SELECT rule, resource, since FROM failing WHERE scope = $1",
            &[&scope],
        )
        .map_err(text)?;
    Ok(rows
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect())
}

pub(crate) fn failing(
    c: &mut Client,
    scope: &str,
) -> std::result::Result<HashMap<FindingKey, i64>, String> {
    failing_in(c, scope)
}

const CVE_COLUMNS: &str =
    "target, vulnerability, package, severity, first_seen, last_seen, closed_at";

fn cve_row(r: &Row) -> CveRecord {
    CveRecord {
        target: r.get(0),
        vulnerability: r.get(1),
        package: r.get(2),
        severity: r.get(3),
        first_seen: r.get(4),
        last_seen: r.get(5),
        closed_at: r.get(6),
    }
}

pub(crate) fn cve_observe(
    c: &mut Client,
    target: &str,
    now: i64,
    seen: &[CveObservation],
) -> std::result::Result<Vec<CveRecord>, String> {
    let mut tx = c.transaction().map_err(text)?;
    // Two runners scanning the same target take turns.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&lock_key("target", target)],
    )
    .map_err(text)?;
    let mut keys: HashSet<(&str, &str)> = HashSet::new();
    let upd = tx
        .prepare(
            "UPDATE cve SET last_seen = GREATEST(last_seen, $4), severity = $5, first_seen = LEAST(first_seen, $6)
             WHERE target = $1 AND vulnerability = $2 AND package = $3 AND closed_at IS NULL",
        )
        .map_err(text)?;
    let ins = tx
        .prepare(
            "INSERT INTO cve (target, vulnerability, package, severity, first_seen, last_seen)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .map_err(text)?;
    for o in seen {
        if !keys.insert((&o.vulnerability, &o.package)) {
            continue;
        }
        let first = o.first_seen.min(now);
        let n = tx
            .execute(
                &upd,
                &[
                    &target,
                    &o.vulnerability,
                    &o.package,
                    &now,
                    &o.severity,
                    &first,
                ],
            )
            .map_err(text)?;
        if n == 0 {
            tx.execute(
                &ins,
                &[
                    &target,
                    &o.vulnerability,
                    &o.package,
                    &o.severity,
                    &first,
                    &now,
                ],
            )
            .map_err(text)?;
        }
    }
    let open: Vec<CveRecord> = tx
        .query(
            &format!("SELECT {CVE_COLUMNS} FROM cve WHERE target = $1 AND closed_at IS NULL"),
            &[&target],
        )
        .map_err(text)?
        .iter()
        .map(cve_row)
        .collect();
    for r in open
        .iter()
        .filter(|r| !keys.contains(&(r.vulnerability.as_str(), r.package.as_str())))
    {
        tx.execute(
            "UPDATE cve SET closed_at = $4
             WHERE target = $1 AND vulnerability = $2 AND package = $3 AND closed_at IS NULL",
            &[&target, &r.vulnerability, &r.package, &now.max(r.last_seen)],
        )
        .map_err(text)?;
    }
    let open = tx
        .query(
            &format!(
                "SELECT {CVE_COLUMNS} FROM cve WHERE target = $1 AND closed_at IS NULL
                 ORDER BY vulnerability, package"
            ),
            &[&target],
        )
        .map_err(text)?
        .iter()
        .map(cve_row)
        .collect();
    tx.commit().map_err(text)?;
    Ok(open)
}

pub(crate) fn cve_records(c: &mut Client) -> std::result::Result<Vec<CveRecord>, String> {
    Ok(c.query(
        &format!(
            "SELECT {CVE_COLUMNS} FROM cve ORDER BY target, vulnerability, package, first_seen"
        ),
        &[],
    )
    .map_err(text)?
    .iter()
    .map(cve_row)
    .collect())
}
