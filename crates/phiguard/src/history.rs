//! The history store from the command line: `--store`/`--no-store`, what
//! `check` (and `audit`) record, "failing since", `phiguard history` and
//! `phiguard diff`.
//!
//! Which store: `--store PATH|URL`, else `$PHIGUARD_STORE`, else the default
//! SQLite file in the user's data directory. A store named explicitly (flag
//! or variable) that cannot be opened or written is an error (exit 2); the
//! default store failing only warns on `check` and `audit`, whose report is
//! still printed, and is an error for `history`, `diff` and `cve-gate --stats`,
//! which cannot run without it.

use clap::Args;
use phiguard_report::Report;
use phiguard_rules::{Config, Finding, Outcome};
use phiguard_store::{Counts, NewScan, Scan, Store, StoredFinding};
use serde_json::json;
use std::collections::{HashMap, HashSet};

#[derive(Args, Debug, Clone, Default)]
pub struct StoreArgs {
    /// The history store: a SQLite file, or a postgres://USER:PASSWORD@HOST/DB
    /// URL shared by CI runners [default: $PHIGUARD_STORE, else
    /// history.sqlite in the user's data directory, e.g.
    /// ~/.local/share/phiguard/].
    #[arg(long, value_name = "PATH|URL")]
    pub store: Option<String>,
    /// Neither read nor record history.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
}

/// The clock: `PHIGUARD_NOW` (RFC 3339 or epoch seconds) where set, to
/// replay a run at a given time; else the system clock.
pub fn now() -> i64 {
    std::env::var("PHIGUARD_NOW")
        .ok()
        .and_then(|v| {
            v.trim()
                .parse::<i64>()
                .ok()
                .or_else(|| phiguard_cve::parse_time(&v))
        })
        .unwrap_or_else(phiguard_rules::now_epoch)
}

/// Opens the store the arguments name. `required`: the command cannot run
/// without it. `Ok(None)`: no store (`--no-store`, or the default store
/// failed and a warning was printed).
pub fn open(a: &StoreArgs, required: bool) -> Result<Option<Store>, String> {
    if a.no_store {
        return if required {
            Err("--no-store: this command reads the history store".into())
        } else {
            Ok(None)
        };
    }
    let named = a.store.clone().or_else(|| {
        std::env::var("PHIGUARD_STORE")
            .ok()
            .filter(|s| !s.trim().is_empty())
    });
    let (spec, explicit) = match named {
        Some(s) => (s, true),
        None => match phiguard_store::default_path() {
            Some(p) => (p.display().to_string(), false),
            None => {
                return if required {
                    Err("no data directory for the default history store; pass --store".into())
                } else {
                    Ok(None)
                };
            }
        },
    };
    match Store::open(&spec) {
        Ok(s) => Ok(Some(s)),
        Err(e) if explicit || required => Err(e.to_string()),
        Err(e) => {
            eprintln!(
                "phiguard: warning: {e}; this run is not recorded (--no-store skips history)"
            );
            Ok(None)
        }
    }
}

/// What identifies a finding's subject across scans: kind, name and file.
fn resource_key(f: &Finding) -> String {
    match &f.subject {
        Some(s) => match s.origin.file() {
            Some(file) => format!("{} {} ({file})", s.kind, s.name),
            None => format!("{} {}", s.kind, s.name),
        },
        None => String::new(),
    }
}

/// The scope of a `check`: the paths as given, sorted.
pub fn check_scope(paths: &[std::path::PathBuf]) -> String {
    let mut v: Vec<String> = paths
        .iter()
        .map(|p| {
            let s = p.display().to_string();
            let s = s.strip_prefix("./").unwrap_or(&s).trim_end_matches('/');
            if s.is_empty() {
                ".".into()
            } else {
                s.to_string()
            }
        })
        .collect();
    v.sort();
    v.dedup();
    format!("check:{}", v.join(","))
}

/// The scope of an `audit`: the accounts audited, sorted.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
pub fn audit_scope(accounts: &[String]) -> String {
    let mut v = accounts.to_vec();
    v.sort();
    v.dedup();
    format!("audit:{}", v.join(","))
}

/// Sets `failing_since` on each failure that the last scans of `scope` also
/// failed. A store that cannot be read warns (or fails, when explicit).
pub fn annotate(
    store: &mut Option<Store>,
    explicit: bool,
    scope: &str,
    findings: &mut [Finding],
) -> Result<(), String> {
    let Some(s) = store.as_mut() else {
        return Ok(());
    };
    let since = match s.failing_since(scope) {
        Ok(m) => m,
        Err(e) if explicit => return Err(e.to_string()),
        Err(e) => {
            eprintln!("phiguard: warning: {e}");
            *store = None;
            return Ok(());
        }
    };
    for f in findings.iter_mut().filter(|f| f.outcome == Outcome::Fail) {
        if let Some(t) = since.get(&(f.rule.to_string(), resource_key(f))) {
            f.failing_since = Some(phiguard_cve::format_time(*t));
        }
    }
    Ok(())
}

/// Whether the store was named (flag or variable) rather than defaulted.
pub fn explicit(a: &StoreArgs) -> bool {
    a.store.is_some()
        || std::env::var("PHIGUARD_STORE")
            .ok()
            .is_some_and(|s| !s.trim().is_empty())
}

/// A hash of the configuration as read (defaults included), hex SHA-256.
pub fn config_hash(cfg: &Config) -> String {
    use sha2::Digest;
    let text = serde_json::to_string(cfg).unwrap_or_default();
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Records a run: the scan, every finding, and the JSON report. Returns the
/// scan's id when it was recorded.
pub fn record(
    store: &mut Option<Store>,
    explicit: bool,
    scope: &str,
    report: &Report,
    cfg: &Config,
    time: i64,
) -> Result<Option<i64>, String> {
    let Some(s) = store.as_mut() else {
        return Ok(None);
    };
    let findings = report
        .findings
        .iter()
        .map(|f| StoredFinding {
            rule: f.rule.to_string(),
            resource: resource_key(f),
            outcome: f.outcome.name().to_string(),
            severity: f.severity.name().to_string(),
            location: f
                .subject
                .as_ref()
                .map(|s| s.origin.location())
                .unwrap_or_default(),
            message: f.message.clone(),
        })
        .collect();
    let scan = NewScan {
        time,
        command: report.command.clone(),
        scope: scope.to_string(),
        inputs: report.inputs.clone(),
        tool_version: report.version.to_string(),
        config_hash: config_hash(cfg),
        counts: Counts {
            pass: report.summary.pass as i64,
            fail: report.summary.fail as i64,
            unknown: report.summary.unknown as i64,
            waived: report.summary.waived as i64,
        },
        findings,
        report_json: Some(phiguard_report::json::render(report)),
    };
    match s.record_scan(&scan) {
        Ok(id) => Ok(Some(id)),
        Err(e) if explicit => Err(e.to_string()),
        Err(e) => {
            eprintln!("phiguard: warning: {e}; this run is not recorded");
            Ok(None)
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

/// `phiguard history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Only scans of this scope (as `history` lists it, e.g. `check:templates`).
    #[arg(long)]
    scope: Option<String>,
    /// How many scans, most recent first.
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: i64,
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    #[command(flatten)]
    store: StoreArgs,
}

fn scan_json(s: &Scan) -> serde_json::Value {
    json!({
        "id": s.id,
        "time": phiguard_cve::format_time(s.time),
        "command": s.command,
        "scope": s.scope,
        "inputs": s.inputs,
        "tool_version": s.tool_version,
        "config_hash": s.config_hash,
        "summary": { "pass": s.counts.pass, "fail": s.counts.fail, "unknown": s.counts.unknown, "waived": s.counts.waived },
    })
}

pub fn history(a: HistoryArgs) -> Result<u8, String> {
    let mut store = open(&a.store, true)?.ok_or("no history store")?;
    let scans = store
        .scans(a.scope.as_deref(), Some(a.limit.max(0)))
        .map_err(|e| e.to_string())?;
    match a.format {
        ListFormat::Json => {
            let v: Vec<_> = scans.iter().map(scan_json).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({ "store": store.name(), "scans": v }))
                    .unwrap_or_default()
            );
        }
        ListFormat::Text => {
            if scans.is_empty() {
                println!("no scans recorded in {}", store.name());
                return Ok(0);
            }
            println!(
                "{:>5}  {:<20}  {:<7}  {:>5}  {:>5}  {:>7}  {:>6}  SCOPE",
                "ID", "TIME (UTC)", "COMMAND", "FAIL", "PASS", "UNKNOWN", "WAIVED"
            );
            for s in &scans {
                println!(
                    "{:>5}  {:<20}  {:<7}  {:>5}  {:>5}  {:>7}  {:>6}  {}",
                    s.id,
                    phiguard_cve::format_time(s.time),
                    s.command,
                    s.counts.fail,
                    s.counts.pass,
                    s.counts.unknown,
                    s.counts.waived,
                    phiguard_report::clean(&s.scope)
                );
            }
        }
    }
    Ok(0)
}

/// `phiguard diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older scan id [default: the scan before NEW of the same scope].
    old: Option<i64>,
    /// The newer scan id [default: the latest scan of OLD's scope, or the
    /// latest scan of all].
    new: Option<i64>,
    /// With no ids: compare the last two scans of this scope.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    scope: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    #[command(flatten)]
    store: StoreArgs,
}

fn get(store: &mut Store, id: i64) -> Result<Scan, String> {
    store.scan(id).map_err(|e| e.to_string())?.ok_or_else(|| {
        format!(
            "no scan {id} in {}; `phiguard history` lists them",
            store.name()
        )
    })
}

/// Exit codes: 0 nothing newly fails, 1 something fails in NEW that did
/// not in OLD, 2 the comparison could not run.
pub fn diff(a: DiffArgs) -> Result<u8, String> {
    let mut store = open(&a.store, true)?.ok_or("no history store")?;
    let (old, new) = match (a.old, a.new) {
        (Some(o), Some(n)) => (get(&mut store, o)?, get(&mut store, n)?),
        (Some(o), None) => {
            let old = get(&mut store, o)?;
            let latest = store
                .scans(Some(&old.scope), Some(1))
                .map_err(|e| e.to_string())?
                .pop()
                .ok_or("no scans")?;
            (old, latest)
        }
        _ => {
            let scope = match &a.scope {
                Some(s) => s.clone(),
                None => {
                    store
                        .scans(None, Some(1))
                        .map_err(|e| e.to_string())?
                        .pop()
                        .ok_or_else(|| format!("no scans recorded in {}", store.name()))?
                        .scope
                }
            };
            let mut two = store
                .scans(Some(&scope), Some(2))
                .map_err(|e| e.to_string())?;
            if two.len() < 2 {
                return Err(format!(
                    "only {} scan(s) of scope {scope:?} in {}; nothing to compare",
                    two.len(),
                    store.name()
                ));
            }
            let new = two.remove(0);
            (two.remove(0), new)
        }
    };
    if old.id == new.id {
        return Err(format!(
            "scan {} compared with itself; give two scans",
            old.id
        ));
    }
    let fails = |v: Vec<StoredFinding>| -> Vec<StoredFinding> {
        let mut seen = HashSet::new();
        v.into_iter()
            .filter(|f| f.outcome == "fail")
            .filter(|f| seen.insert((f.rule.clone(), f.resource.clone())))
            .collect()
    };
    let of = fails(store.findings(old.id).map_err(|e| e.to_string())?);
    let nf = fails(store.findings(new.id).map_err(|e| e.to_string())?);
    let key = |f: &StoredFinding| (f.rule.clone(), f.resource.clone());
    let old_keys: HashSet<_> = of.iter().map(key).collect();
    let new_keys: HashSet<_> = nf.iter().map(key).collect();
    let added: Vec<&StoredFinding> = nf.iter().filter(|f| !old_keys.contains(&key(f))).collect();
    let fixed: Vec<&StoredFinding> = of.iter().filter(|f| !new_keys.contains(&key(f))).collect();
    let still: Vec<&StoredFinding> = nf.iter().filter(|f| old_keys.contains(&key(f))).collect();
    let since: HashMap<(String, String), i64> = if store
        .scans(Some(&new.scope), Some(1))
        .map_err(|e| e.to_string())?
        .first()
        .is_some_and(|l| l.id == new.id)
    {
        store.failing_since(&new.scope).map_err(|e| e.to_string())?
    } else {
        HashMap::new()
    };
    let fj = |f: &StoredFinding| {
        json!({
            "rule": f.rule, "resource": f.resource, "severity": f.severity,
            "location": f.location, "message": f.message,
            "failing_since": since.get(&key(f)).map(|t| phiguard_cve::format_time(*t)),
        })
    };
    match a.format {
        ListFormat::Json => {
            let doc = json!({
                "old": scan_json(&old),
                "new": scan_json(&new),
                "new_failures": added.iter().map(|f| fj(f)).collect::<Vec<_>>(),
                "fixed": fixed.iter().map(|f| fj(f)).collect::<Vec<_>>(),
                "still_failing": still.iter().map(|f| fj(f)).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        ListFormat::Text => {
            let c = phiguard_report::clean;
            println!(
                "phiguard diff: scan {} ({}) → scan {} ({})",
                old.id,
                phiguard_cve::format_time(old.time),
                new.id,
                phiguard_cve::format_time(new.time)
            );
            if old.scope != new.scope {
                println!(
                    "  note: different scopes: {} → {}",
                    c(&old.scope),
                    c(&new.scope)
                );
            } else {
                println!("  scope {}", c(&new.scope));
            }
            for (title, list) in [
                ("new failures", &added),
                ("fixed", &fixed),
                ("still failing", &still),
            ] {
                println!("\n{title} ({})", list.len());
                for f in list.iter() {
                    let what = if f.resource.is_empty() {
                        "the estate as a whole"
                    } else {
                        &f.resource
                    };
                    println!(
                        "  {:<8} {:<7} {}  {}",
                        f.severity,
                        f.rule,
                        c(&f.location),
                        c(what)
                    );
                    println!("           {}", c(&f.message));
                    if let Some(t) = since.get(&key(f)).filter(|_| title == "still failing") {
                        println!("           failing since {}", phiguard_cve::format_time(*t));
                    }
                }
            }
        }
    }
    Ok(if added.is_empty() { 0 } else { 1 })
}
