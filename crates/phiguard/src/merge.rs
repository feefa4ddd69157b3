//! `phiguard merge`: the JSON reports of audit shards, joined into one.

use crate::cli::{ColorChoice, emit};
use clap::Args;
use phiguard_model::Origin;
use phiguard_report::{CollectionError, Format, Report};
use phiguard_rules::{Finding, Outcome, Severity, Subject, registry};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// JSON reports (`phiguard audit --format json`), one per shard.
    #[arg(value_name = "REPORT", required = true)]
    reports: Vec<PathBuf>,
    /// Report format.
    #[arg(long, short = 'f', default_value = "json", value_parser = Format::NAMES.to_vec())]
    format: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when something fails at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "high",
          value_parser = ["critical", "high", "medium", "low", "info"])]
    fail_on: String,
    /// List passing findings one by one in the text report.
    #[arg(long, short)]
    verbose: bool,
    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Deserialize)]
struct JsonReport {
    schema_version: u32,
    command: String,
    #[serde(default)]
    inputs: Vec<String>,
    #[serde(default)]
    collection_errors: Vec<CollectionError>,
    findings: Vec<JsonFinding>,
}

#[derive(Deserialize)]
struct JsonFinding {
    rule: String,
    severity: String,
    outcome: String,
    message: String,
    resource: Option<JsonResource>,
    waiver: Option<String>,
    #[serde(default)]
    failing_since: Option<String>,
}

#[derive(Deserialize)]
struct JsonResource {
    kind: String,
    name: String,
    origin: Origin,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    tags: std::collections::BTreeMap<String, String>,
}

fn outcome(s: &str) -> Option<Outcome> {
    Some(match s {
        "pass" => Outcome::Pass,
        "fail" => Outcome::Fail,
        "unknown" => Outcome::Unknown,
        "waived" => Outcome::Waived,
        _ => return None,
    })
}

fn read(path: &PathBuf) -> Result<JsonReport, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

fn parse(text: &str, name: &str) -> Result<JsonReport, String> {
    let r: JsonReport = serde_json::from_str(text).map_err(|e| {
        format!(
            "{name}:{}:{}: not a phiguard JSON report: {e}",
            e.line(),
            e.column()
        )
    })?;
    if r.schema_version != phiguard_report::json::SCHEMA_VERSION {
        return Err(format!(
            "{name}: schema_version {} is not {}, the version this phiguard reads",
            r.schema_version,
            phiguard_report::json::SCHEMA_VERSION
        ));
    }
    Ok(r)
}

/// The findings of a JSON report, as the rules made them.
fn findings_of(findings: Vec<JsonFinding>, name: &str) -> Result<Vec<Finding>, String> {
    let mut out = Vec::with_capacity(findings.len());
    for (i, f) in findings.into_iter().enumerate() {
        let rule = registry::find(&f.rule).ok_or_else(|| {
            format!(
                "{name}: finding {i} names rule {}, which this phiguard does not know",
                f.rule
            )
        })?;
        let severity = Severity::parse(&f.severity)
            .ok_or_else(|| format!("{name}: finding {i} has severity {:?}", f.severity))?;
        let outcome = outcome(&f.outcome)
            .ok_or_else(|| format!("{name}: finding {i} has outcome {:?}", f.outcome))?;
        out.push(Finding {
            rule: rule.id,
            control: rule.control,
            severity,
            outcome,
            subject: f.resource.map(|r| Subject {
                kind: r.kind,
                name: r.name,
                origin: r.origin,
                label: r.label,
                tags: r.tags,
            }),
            rid: None,
            message: f.message,
            waiver: f.waiver,
            failing_since: f.failing_since,
        });
    }
    Ok(out)
}

/// A JSON report (as `--format json` writes it, e.g. kept in the history
/// store) back into a report, to render in another format.
pub(crate) fn report_from_json(text: &str, name: &str) -> Result<Report, String> {
    let r = parse(text, name)?;
    let findings = findings_of(r.findings, name)?;
    let summary = phiguard_rules::summarize(&findings);
    Ok(Report {
        tool: "phiguard",
        version: env!("CARGO_PKG_VERSION"),
        command: r.command,
        inputs: r.inputs,
        skipped: Vec::new(),
        complete: true,
        findings,
        problems: Vec::new(),
        collection_errors: r.collection_errors,
        summary,
        not_judged: Vec::new(),
        stale_waivers: Vec::new(),
    })
}

pub fn run(a: MergeArgs) -> Result<u8, String> {
    let format =
        Format::parse(&a.format).ok_or_else(|| format!("unknown format {:?}", a.format))?;
    let fail_on =
        Severity::parse(&a.fail_on).ok_or_else(|| format!("unknown severity {:?}", a.fail_on))?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut commands = Vec::new();
    for path in &a.reports {
        let r = read(path)?;
        commands.push(r.command.clone());
        inputs.extend(r.inputs);
        errors.extend(r.collection_errors);
        findings.extend(findings_of(r.findings, &path.display().to_string())?);
    }
    // Organization-wide findings that every shard made are one finding.
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| {
        let key = serde_json::to_string(&(f.rule, f.outcome, f.severity, &f.subject, &f.message))
            .unwrap_or_default();
        seen.insert(key)
    });
    findings.sort_by(|x, y| {
        (
            x.control,
            x.rule,
            x.subject.as_ref().map(|s| s.origin.location()),
        )
            .cmp(&(
                y.control,
                y.rule,
                y.subject.as_ref().map(|s| s.origin.location()),
            ))
    });
    inputs.sort();
    inputs.dedup();
    errors.sort_by(|x, y| {
        (&x.unit, &x.collection, &x.operation).cmp(&(&y.unit, &y.collection, &y.operation))
    });
    errors.dedup();
    commands.sort();
    commands.dedup();
    let failing = findings
        .iter()
        .any(|f| f.outcome == Outcome::Fail && f.severity >= fail_on);
    let summary = phiguard_rules::summarize(&findings);
    let report = Report {
        tool: "phiguard",
        version: env!("CARGO_PKG_VERSION"),
        command: if commands.len() == 1 {
            commands.remove(0)
        } else {
            "merge".into()
        },
        inputs,
        skipped: Vec::new(),
        complete: true,
        findings,
        problems: Vec::new(),
        collection_errors: errors,
        summary,
        not_judged: Vec::new(),
        stale_waivers: Vec::new(),
    };
    emit(&report, format, a.output.as_ref(), a.color, a.verbose)?;
    Ok(if failing { 1 } else { 0 })
}
