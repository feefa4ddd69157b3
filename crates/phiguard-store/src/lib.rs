//! phiguard's scan history: every `check` and `audit` (scope, inputs, tool
//! version, configuration hash, counts and every finding, with the JSON
//! report kept gzip-compressed), which failures have been failing since when,
//! and the CVE findings of `cve-gate` with their first-seen, last-seen and
//! closing times.
//!
//! Two backends with the same schema: an embedded SQLite file (the default,
//! in the user's data directory) and a PostgreSQL server, for teams whose CI
//! runners are ephemeral. [`Store::open`] takes a path or a
//! `postgres://` URL. The schema is versioned ([`SCHEMA_VERSION`]); opening
//! a store written by an older version upgrades it in one transaction.

mod migrate;
mod pg;
mod sqlite;

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::PathBuf;

pub use migrate::{MIGRATIONS, SCHEMA_VERSION, migration_sql};

/// Why the store could not be used. The message names the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Counts of findings by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pass: i64,
    pub fail: i64,
    pub unknown: i64,
    pub waived: i64,
}

/// One finding as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredFinding {
    pub rule: String,
    /// `KIND NAME` of the resource, empty for an estate-wide finding: with
    /// the rule, what identifies a finding across scans.
    pub resource: String,
    pub outcome: String,
    pub severity: String,
    /// `file:line` or an ARN.
    pub location: String,
    pub message: String,
}

/// A scan to record.
#[derive(Debug, Clone, Default)]
pub struct NewScan {
    /// Seconds since the epoch.
    pub time: i64,
    /// `check` or `audit`.
    pub command: String,
    /// What was scanned, so that scans of the same thing can be compared.
    pub scope: String,
    pub inputs: Vec<String>,
    pub tool_version: String,
    /// SHA-256 of the configuration, hex.
    pub config_hash: String,
    pub counts: Counts,
    pub findings: Vec<StoredFinding>,
    /// The JSON report, kept compressed, to rebuild reports later.
    pub report_json: Option<String>,
}

/// A recorded scan (without its findings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub id: i64,
    pub time: i64,
    pub command: String,
    pub scope: String,
    pub inputs: Vec<String>,
    pub tool_version: String,
    pub config_hash: String,
    pub counts: Counts,
}

/// A vulnerability seen in a target by `cve-gate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CveObservation {
    pub vulnerability: String,
    pub package: String,
    pub severity: String,
    /// When it was first observed: now, or the scanner's own first-observed
    /// date when that is older.
    pub first_seen: i64,
}

/// One open or closed episode of a vulnerability in a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CveRecord {
    pub target: String,
    pub vulnerability: String,
    pub package: String,
    pub severity: String,
    pub first_seen: i64,
    pub last_seen: i64,
    /// When a later scan of the target no longer showed it.
    pub closed_at: Option<i64>,
}

/// (rule, resource) of a finding.
pub type FindingKey = (String, String);

enum Backend {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

/// An open history store.
pub struct Store {
    backend: Backend,
    /// The path or the URL without its password, for messages.
    name: String,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({})", self.name)
    }
}

/// Whether `spec` names a PostgreSQL server.
pub fn is_postgres(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// The default store: `phiguard/history.sqlite` in the user's data
/// directory (`$XDG_DATA_HOME` or `~/.local/share` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("phiguard").join("history.sqlite"))
}

/// A URL with its password replaced by `***`, for messages.
pub fn redact(spec: &str) -> String {
    if !is_postgres(spec) {
        return spec.to_string();
    }
    let Some(scheme_end) = spec.find("://") else {
        return spec.to_string();
    };
    let rest = &spec[scheme_end + 3..];
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let auth = &rest[..auth_end];
    match (auth.rfind('@'), auth.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &spec[..scheme_end + 3],
            &auth[..colon],
            &rest[at..]
        ),
        _ => spec.to_string(),
    }
}

impl Store {
    /// Opens (creating or upgrading where needed) the store at `spec`: a
    /// SQLite file path, or a `postgres://` / `postgresql://` URL.
    pub fn open(spec: &str) -> Result<Store> {
        let name = redact(spec);
        let backend = if is_postgres(spec) {
            Backend::Postgres(Box::new(pg::connect(spec, &name)?))
        } else {
            Backend::Sqlite(sqlite::connect(spec)?)
        };
        let mut s = Store { backend, name };
        s.migrate()?;
        Ok(s)
    }

    /// The store's path or URL (password hidden).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn err(&self, what: &str, e: impl fmt::Display) -> StoreError {
        StoreError(format!("history store {}: {what}: {e}", self.name))
    }

    fn migrate(&mut self) -> Result<()> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::migrate(c),
            Backend::Postgres(c) => pg::migrate(c),
        };
        r.map_err(|e| self.err("cannot open or upgrade the schema", e))
    }

    /// The schema version the store is at.
    pub fn schema_version(&mut self) -> Result<i64> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::version(c).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::version(c).map_err(|e| e.to_string()),
        };
        r.map_err(|e| self.err("reading the schema version", e))
    }

    /// Records a scan and its findings in one transaction, and updates
    /// which failures of its scope are failing since when. Returns the scan id.
    pub fn record_scan(&mut self, scan: &NewScan) -> Result<i64> {
        let report = scan.report_json.as_deref().map(compress);
        let fails: Vec<FindingKey> = failing_keys(&scan.findings);
        let r = match &mut self.backend {
            Backend::Sqlite(c) => {
                sqlite::record_scan(c, scan, report.as_deref(), &fails).map_err(|e| e.to_string())
            }
            Backend::Postgres(c) => {
                pg::record_scan(c, scan, report.as_deref(), &fails).map_err(|e| e.to_string())
            }
        };
        r.map_err(|e| self.err("recording the scan", e))
    }

    /// The most recent scans first, of one scope or all, at most `limit`.
    pub fn scans(&mut self, scope: Option<&str>, limit: Option<i64>) -> Result<Vec<Scan>> {
        let limit = limit.unwrap_or(i64::MAX);
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::scans(c, scope, limit).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::scans(c, scope, limit).map_err(|e| e.to_string()),
        };
        r.map_err(|e| self.err("listing scans", e))
    }

    /// One scan by id.
    pub fn scan(&mut self, id: i64) -> Result<Option<Scan>> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::scan(c, id).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::scan(c, id).map_err(|e| e.to_string()),
        };
        r.map_err(|e| self.err("reading a scan", e))
    }

    /// The findings of a scan, in the order they were recorded.
    pub fn findings(&mut self, scan_id: i64) -> Result<Vec<StoredFinding>> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::findings(c, scan_id).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::findings(c, scan_id).map_err(|e| e.to_string()),
        };
        r.map_err(|e| self.err("reading findings", e))
    }

    /// The JSON report of a scan, when it was kept.
    pub fn report_json(&mut self, scan_id: i64) -> Result<Option<String>> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::report(c, scan_id).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::report(c, scan_id).map_err(|e| e.to_string()),
        };
        let blob = r.map_err(|e| self.err("reading a report", e))?;
        blob.map(|b| decompress(&b).map_err(|e| self.err("decompressing a report", e)))
            .transpose()
    }

    /// The failures of `scope` in its latest scan, with the time of the
    /// first scan of their unbroken run of failing scans.
    pub fn failing_since(&mut self, scope: &str) -> Result<HashMap<FindingKey, i64>> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::failing(c, scope).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::failing(c, scope).map_err(|e| e.to_string()),
        };
        r.map_err(|e| self.err("reading failures", e))
    }

    /// Records what a scan of `target` at `now` found: an open episode is
    /// kept (last seen moves to now), a new one opens, and every open one
    /// that the scan no longer shows is closed at `now`. Returns the open
    /// episodes of the target afterwards.
    pub fn cve_observe(
        &mut self,
        target: &str,
        now: i64,
        seen: &[CveObservation],
    ) -> Result<Vec<CveRecord>> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => {
                sqlite::cve_observe(c, target, now, seen).map_err(|e| e.to_string())
            }
            Backend::Postgres(c) => {
                pg::cve_observe(c, target, now, seen).map_err(|e| e.to_string())
            }
        };
        r.map_err(|e| self.err("recording vulnerabilities", e))
    }

    /// Every episode, open and closed.
    pub fn cve_records(&mut self) -> Result<Vec<CveRecord>> {
        let r = match &mut self.backend {
            Backend::Sqlite(c) => sqlite::cve_records(c).map_err(|e| e.to_string()),
            Backend::Postgres(c) => pg::cve_records(c).map_err(|e| e.to_string()),
        };
        r.map_err(|e| self.err("reading vulnerabilities", e))
    }
}

/// The (rule, resource) of failing findings, without duplicates.
fn failing_keys(findings: &[StoredFinding]) -> Vec<FindingKey> {
    let mut v: Vec<FindingKey> = findings
        .iter()
        .filter(|f| f.outcome == "fail")
        .map(|f| (f.rule.clone(), f.resource.clone()))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn compress(s: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(s.as_bytes());
    e.finish().unwrap_or_default()
}

fn decompress(b: &[u8]) -> std::io::Result<String> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(b).read_to_string(&mut s)?;
    Ok(s)
}

pub(crate) fn join_inputs(v: &[String]) -> String {
    v.join("\n")
}

pub(crate) fn split_inputs(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('\n').map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_names() {
        assert_eq!(
            redact("postgres://ci:s3cret@db.example:5432/phiguard"),
            "postgres://ci:***@db.example:5432/phiguard"
        );
        assert_eq!(
            redact("postgres://db.example/phiguard"),
            "postgres://db.example/phiguard"
        );
        assert_eq!(redact("/tmp/h.sqlite"), "/tmp/h.sqlite");
    }

    #[test]
    fn reports_survive_compression() {
        let s = "{\"findings\": []}".repeat(1000);
        let c = compress(&s);
        assert!(c.len() < s.len() / 10);
        assert_eq!(decompress(&c).unwrap(), s);
    }
}
