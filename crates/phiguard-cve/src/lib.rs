//! `phiguard cve-gate` (CVE-3): vulnerability scanner reports, normalised and
//! deduplicated, judged against the policy of `phiguard.toml` (`[cve]`):
//! which severities block, each severity's patch SLA, CVE waivers. The age
//! of a finding comes from its first-seen date, which the history store
//! keeps across runs (the binary wires the store; this crate has no I/O).

pub mod parse;
pub mod render;

use phiguard_model::glob_match;
use phiguard_rules::{Config, CveWaiver};
use std::collections::HashMap;

/// A scanner's severity, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Negligible,
    Unknown,
}

impl Severity {
    pub const ALL: [Severity; 6] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Negligible,
        Severity::Unknown,
    ];

    /// Any scanner's spelling (`CRITICAL`, `High`, `moderate`, `informational`).
    pub fn parse(s: &str) -> Severity {
        match s.trim().to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" | "important" => Severity::High,
            "medium" | "moderate" => Severity::Medium,
            "low" => Severity::Low,
            "negligible" | "informational" | "info" | "none" => Severity::Negligible,
            _ => Severity::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Negligible => "negligible",
            Severity::Unknown => "unknown",
        }
    }
}

/// One vulnerability in one package of one target, as scanners report it.
#[derive(Debug, Clone, PartialEq)]
pub struct Vuln {
    /// The image, repository, path or resource scanned.
    pub target: String,
    /// `CVE-…` where known, else the scanner's id (`GHSA-…`, `ALAS-…`).
    pub id: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    pub severity: Severity,
    pub package: String,
    pub installed: String,
    /// The version that fixes it; `None` when no fix is available.
    pub fixed: Option<String>,
    /// The package type or class (`alpine`, `npm`, `gobinary`, `OS`).
    pub kind: Option<String>,
    /// Where in the target the package is (a lock file, a binary).
    pub path: Option<String>,
    /// The scanner's own first-observed time (Inspector), epoch seconds.
    pub first_observed: Option<i64>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Which reports showed it.
    pub scanners: Vec<&'static str>,
}

impl Vuln {
    /// What identifies a finding across runs and scanners.
    pub fn key(&self) -> (String, String, String) {
        (self.target.clone(), self.id.clone(), self.package.clone())
    }
}

/// The same vulnerability in the same package and target counts once (two
/// scanners, or a duplicated entry): the higher severity, any fix version,
/// the earliest first-observed date and every scanner are kept. Sorted by
/// target, severity, id, package.
pub fn dedup(vulns: Vec<Vuln>) -> Vec<Vuln> {
    let mut by: HashMap<(String, String, String), usize> = HashMap::new();
    let mut out: Vec<Vuln> = Vec::with_capacity(vulns.len());
    for v in vulns {
        match by.get(&v.key()) {
            Some(&i) => {
                let o = &mut out[i];
                // Unknown is the least informative, not the most severe.
                if o.severity == Severity::Unknown
                    || (v.severity < o.severity && v.severity != Severity::Unknown)
                {
                    o.severity = v.severity;
                }
                if o.fixed.is_none() {
                    o.fixed = v.fixed;
                }
                o.first_observed = match (o.first_observed, v.first_observed) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                for s in v.scanners {
                    if !o.scanners.contains(&s) {
                        o.scanners.push(s);
                    }
                }
                for a in v.aliases {
                    if !o.aliases.contains(&a) && a != o.id {
                        o.aliases.push(a);
                    }
                }
                if o.title.is_none() {
                    o.title = v.title;
                }
                if o.url.is_none() {
                    o.url = v.url;
                }
            }
            None => {
                by.insert(v.key(), out.len());
                out.push(v);
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.target, a.severity, &a.id, &a.package).cmp(&(&b.target, b.severity, &b.id, &b.package))
    });
    out
}

/// `--mode`: what makes the gate fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Any blocking finding that is not waived.
    Block,
    /// Only a finding past its SLA that is not waived.
    Sla,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Block => "block",
            Mode::Sla => "sla",
        }
    }
}

/// The `[cve]` policy, with the SLAs resolved to seconds.
#[derive(Debug, Clone)]
pub struct Policy {
    pub block: Vec<Severity>,
    pub block_unfixed: bool,
    /// SLA in seconds, by severity (index of [`Severity::ALL`]).
    pub sla: [Option<i64>; 6],
    pub waivers: Vec<CveWaiver>,
}

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

impl Policy {
    /// `[cve]`, with `[limits].critical_sla_hours` and `high_sla_days` as
    /// the defaults of the critical and high SLAs.
    pub fn from_config(cfg: &Config) -> Policy {
        let c = &cfg.cve;
        let critical = c
            .critical_sla_hours
            .unwrap_or(cfg.limits.critical_sla_hours) as i64
            * HOUR;
        let high = c.high_sla_days.unwrap_or(cfg.limits.high_sla_days) as i64 * DAY;
        Policy {
            block: c.block.iter().map(|s| Severity::parse(s)).collect(),
            block_unfixed: c.block_unfixed,
            sla: [
                Some(critical),
                Some(high),
                c.medium_sla_days.map(|d| d as i64 * DAY),
                c.low_sla_days.map(|d| d as i64 * DAY),
                None,
                None,
            ],
            waivers: c.waivers.clone(),
        }
    }

    pub fn sla(&self, s: Severity) -> Option<i64> {
        self.sla[s as usize]
    }

    fn waiver(&self, v: &Vuln) -> Option<&CveWaiver> {
        self.waivers.iter().find(|w| {
            (w.id.eq_ignore_ascii_case(&v.id)
                || v.aliases.iter().any(|a| a.eq_ignore_ascii_case(&w.id)))
                && w.package.as_ref().is_none_or(|p| *p == v.package)
                && w.target.as_ref().is_none_or(|t| glob_match(t, &v.target))
        })
    }
}

/// A waiver that matched a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiverState {
    /// `waived by OWNER until DATE: REASON`.
    Active(String),
    /// `waiver by OWNER expired on DATE: REASON`: it no longer counts.
    Expired(String),
}

/// A finding, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub vuln: Vuln,
    /// When it was first seen in this target (history store, or the
    /// scanner's own date when older), epoch seconds.
    pub first_seen: i64,
    /// Now minus first seen, seconds.
    pub age: i64,
    /// The SLA of its severity, seconds; none for negligible and unknown.
    pub sla: Option<i64>,
    pub waiver: Option<WaiverState>,
    /// Its severity blocks (and a fix exists, or unfixed findings block),
    /// and no waiver counts.
    pub blocks: bool,
    /// Older than its SLA, and no waiver counts.
    pub past_sla: bool,
    /// It makes the gate fail in the chosen mode.
    pub fails: bool,
}

impl Judged {
    /// SLA minus age: negative when overdue.
    pub fn time_left(&self) -> Option<i64> {
        self.sla.map(|s| s - self.age)
    }

    /// Why it fails, passes or is waived, in a sentence.
    pub fn reason(&self, mode: Mode) -> String {
        let sev = self.vuln.severity.name();
        let sla = match self.time_left() {
            Some(l) if l < 0 => format!(
                "past its {} SLA by {}",
                human(self.sla.unwrap_or(0)),
                human(-l)
            ),
            Some(l) => format!(
                "{} left of its {} SLA",
                human(l),
                human(self.sla.unwrap_or(0))
            ),
            None => format!("no SLA for {sev}"),
        };
        let fix = match &self.vuln.fixed {
            Some(f) => format!("fixed in {f}"),
            None => "no fix available yet".into(),
        };
        match &self.waiver {
            Some(WaiverState::Active(w)) => format!("{w}; {sla}"),
            _ => {
                let what = if self.blocks {
                    format!("{sev} blocks")
                } else {
                    format!("{sev} does not block")
                };
                let expired = match &self.waiver {
                    Some(WaiverState::Expired(w)) => format!("; {w}"),
                    _ => String::new(),
                };
                let _ = mode;
                format!("{what}; {fix}; {sla}{expired}")
            }
        }
    }
}

/// Judges deduplicated findings. `first_seen` gives, by [`Vuln::key`], the
/// first-seen time the store holds; without it (no store) a finding is first
/// seen now, or at the scanner's own date when older.
pub fn judge(
    vulns: Vec<Vuln>,
    first_seen: &HashMap<(String, String, String), i64>,
    policy: &Policy,
    mode: Mode,
    now: i64,
) -> Vec<Judged> {
    let today = date(now);
    vulns
        .into_iter()
        .map(|v| {
            let stored = first_seen.get(&v.key()).copied().unwrap_or(now);
            let first = v.first_observed.map_or(stored, |f| f.min(stored));
            let age = (now - first).max(0);
            let sla = policy.sla(v.severity);
            let waiver = policy.waiver(&v).map(|w| {
                if w.expires.as_str() >= today.as_str() {
                    WaiverState::Active(format!(
                        "waived by {} until {}: {}",
                        w.owner, w.expires, w.reason
                    ))
                } else {
                    WaiverState::Expired(format!(
                        "waiver by {} expired on {}: {}",
                        w.owner, w.expires, w.reason
                    ))
                }
            });
            let waived = matches!(waiver, Some(WaiverState::Active(_)));
            let blocks = !waived
                && policy.block.contains(&v.severity)
                && (v.fixed.is_some() || policy.block_unfixed);
            let past_sla = !waived && sla.is_some_and(|s| age > s);
            let fails = match mode {
                Mode::Block => blocks,
                Mode::Sla => past_sla,
            };
            Judged {
                vuln: v,
                first_seen: first,
                age,
                sla,
                waiver,
                blocks,
                past_sla,
                fails,
            }
        })
        .collect()
}

/// A report that was read, for the inputs list.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub file: String,
    pub format: &'static str,
    pub targets: Vec<String>,
    pub vulnerabilities: usize,
}

/// A report that could not be read: the file and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub message: String,
}

/// Everything a gate report shows.
#[derive(Debug, Clone)]
pub struct Gate {
    pub version: &'static str,
    pub now: i64,
    pub mode: Mode,
    pub inputs: Vec<Input>,
    pub problems: Vec<Problem>,
    /// Every target read, also those with no vulnerability.
    pub targets: Vec<String>,
    pub findings: Vec<Judged>,
    /// Where first-seen dates came from (the store, or none).
    pub store: Option<String>,
    pub notes: Vec<String>,
}

impl Gate {
    /// 2 when an input could not be read, 1 when a finding fails the gate,
    /// else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.problems.is_empty() {
            2
        } else if self.findings.iter().any(|j| j.fails) {
            1
        } else {
            0
        }
    }

    pub fn count(&self, f: impl Fn(&Judged) -> bool) -> usize {
        self.findings.iter().filter(|j| f(j)).count()
    }
}

/// One open or closed episode of a vulnerability in a target (from the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub severity: Severity,
    pub first_seen: i64,
    pub closed_at: Option<i64>,
}

/// Time to remediate and open findings past SLA, for one severity.
#[derive(Debug, Clone, PartialEq)]
pub struct SeverityStats {
    pub severity: Severity,
    pub sla: Option<i64>,
    pub closed: usize,
    /// Mean time to remediate, seconds.
    pub mean: Option<f64>,
    /// 90th percentile (nearest rank), seconds.
    pub p90: Option<i64>,
    /// Closed later than the SLA.
    pub closed_late: usize,
    pub open: usize,
    pub open_past_sla: usize,
}

/// `cve-gate --stats`: per severity, over every episode the store holds.
pub fn stats(episodes: &[Episode], policy: &Policy, now: i64) -> Vec<SeverityStats> {
    Severity::ALL
        .iter()
        .map(|&sev| {
            let sla = policy.sla(sev);
            let mine: Vec<&Episode> = episodes.iter().filter(|e| e.severity == sev).collect();
            let mut ttr: Vec<i64> = mine
                .iter()
                .filter_map(|e| e.closed_at.map(|c| (c - e.first_seen).max(0)))
                .collect();
            ttr.sort_unstable();
            let mean = (!ttr.is_empty()).then(|| ttr.iter().sum::<i64>() as f64 / ttr.len() as f64);
            let p90 = (!ttr.is_empty()).then(|| {
                let rank = ((ttr.len() as f64) * 0.9).ceil() as usize;
                ttr[rank.clamp(1, ttr.len()) - 1]
            });
            let open: Vec<&&Episode> = mine.iter().filter(|e| e.closed_at.is_none()).collect();
            SeverityStats {
                severity: sev,
                sla,
                closed: ttr.len(),
                mean,
                p90,
                closed_late: sla.map_or(0, |s| ttr.iter().filter(|t| **t > s).count()),
                open: open.len(),
                open_past_sla: sla.map_or(0, |s| {
                    open.iter().filter(|e| now - e.first_seen > s).count()
                }),
            }
        })
        .collect()
}

/// An RFC 3339 time (`2023-10-12T10:21:13.512000+00:00`) in epoch seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Epoch seconds as RFC 3339 UTC (`2026-01-02T03:04:05Z`).
pub fn format_time(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.to_string())
}

/// Epoch seconds as the UTC date `YYYY-MM-DD`.
pub fn date(t: i64) -> String {
    format_time(t).chars().take(10).collect()
}

/// A duration for people: `3d 4h`, `36h`→`1d 12h`, `5h 10m`, `45m`.
pub fn human(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / DAY, (s % DAY) / HOUR, (s % HOUR) / 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) if m > 0 => format!("{h}h {m}m"),
        (0, _) => format!("{h}h"),
        (_, 0) => format!("{d}d"),
        _ => format!("{d}d {h}h"),
    }
}

/// Runs the gate over reports already read (`(file, bytes or read error)`):
/// parses each (a bad one becomes a problem; the others are still judged),
/// deduplicates, records what each target shows in the store (opening,
/// keeping and closing episodes) and judges every finding by its first-seen
/// date. A store that fails is returned with the gate, which then ages
/// findings from now (or the scanner's own date).
pub fn gate(
    reports: Vec<(String, Result<Vec<u8>, String>)>,
    store: Option<&mut phiguard_store::Store>,
    cfg: &Config,
    mode: Mode,
    now: i64,
) -> (Gate, Option<phiguard_store::StoreError>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    let mut all = Vec::new();
    for (file, bytes) in reports {
        let parsed = bytes.and_then(|b| parse::parse(&file, &b));
        match parsed {
            Ok(p) => {
                inputs.push(Input {
                    file: file.clone(),
                    format: p.format,
                    targets: p.targets.clone(),
                    vulnerabilities: p.vulns.len(),
                });
                for t in p.targets {
                    if !targets.contains(&t) {
                        targets.push(t);
                    }
                }
                all.extend(p.vulns);
            }
            Err(message) => problems.push(Problem { file, message }),
        }
    }
    let vulns = dedup(all);
    let mut first_seen: HashMap<(String, String, String), i64> = HashMap::new();
    let mut store_error = None;
    let mut store_name = None;
    if let Some(s) = store {
        store_name = Some(s.name().to_string());
        for t in &targets {
            let seen: Vec<phiguard_store::CveObservation> = vulns
                .iter()
                .filter(|v| &v.target == t)
                .map(|v| phiguard_store::CveObservation {
                    vulnerability: v.id.clone(),
                    package: v.package.clone(),
                    severity: v.severity.name().to_string(),
                    first_seen: v.first_observed.unwrap_or(now),
                })
                .collect();
            match s.cve_observe(t, now, &seen) {
                Ok(open) => {
                    for r in open {
                        first_seen.insert((r.target, r.vulnerability, r.package), r.first_seen);
                    }
                }
                Err(e) => {
                    store_error = Some(e);
                    break;
                }
            }
        }
    }
    let mut notes = Vec::new();
    if store_name.is_none() || store_error.is_some() {
        notes.push(
            "no history store: ages count from now, or from the scanner's own first-observed date"
                .to_string(),
        );
    }
    let findings = judge(vulns, &first_seen, &Policy::from_config(cfg), mode, now);
    (
        Gate {
            version: env!("CARGO_PKG_VERSION"),
            now,
            mode,
            inputs,
            problems,
            targets,
            findings,
            store: if store_error.is_some() {
                None
            } else {
                store_name
            },
            notes,
        },
        store_error,
    )
}

/// The store's episodes, for [`stats`].
pub fn episodes(
    store: &mut phiguard_store::Store,
) -> Result<Vec<Episode>, phiguard_store::StoreError> {
    Ok(store
        .cve_records()?
        .into_iter()
        .map(|r| Episode {
            severity: Severity::parse(&r.severity),
            first_seen: r.first_seen,
            closed_at: r.closed_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times() {
        assert_eq!(human(45 * 60), "45m");
        assert_eq!(human(5 * HOUR + 600), "5h 10m");
        assert_eq!(human(48 * HOUR), "2d");
        assert_eq!(human(3 * DAY + 4 * HOUR), "3d 4h");
        assert_eq!(
            parse_time("2023-10-12T10:21:13.512000+00:00"),
            Some(1_697_106_073)
        );
        assert_eq!(parse_time("2023-10-12T12:21:13+02:00"), Some(1_697_106_073));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(format_time(1_697_106_073), "2023-10-12T10:21:13Z");
        assert_eq!(date(1_697_106_073), "2023-10-12");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let e: Vec<Episode> = (1..=10)
            .map(|i| Episode {
                severity: Severity::High,
                first_seen: 0,
                closed_at: Some(i * DAY),
            })
            .collect();
        let p = Policy::from_config(&Config::default());
        let s = &stats(&e, &p, 100 * DAY)[1];
        assert_eq!(s.closed, 10);
        assert_eq!(s.mean, Some(5.5 * DAY as f64));
        assert_eq!(s.p90, Some(9 * DAY));
        assert_eq!(s.closed_late, 0);
    }
}
