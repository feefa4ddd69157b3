//! SARIF 2.1.0: one run, the rules that produced a finding as
//! `tool.driver.rules`, one result per finding.
//!
//! Outcomes map to SARIF result kinds: fail → `fail` (level by severity),
//! unknown → `review`, pass → `pass`, waived → `fail` with an accepted
//! external suppression carrying the waiver. SARIF requires `level` to be
//! `none` for any kind other than `fail`. Input problems become
//! `toolExecutionNotifications`, and make `executionSuccessful` false.

use crate::{Problem, Report};
use phiguard_model::Origin;
use phiguard_rules::{Finding, Outcome, Rule, Severity, registry};
use serde_json::{Map, Value, json};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a failing finding of this severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// A CVSS-like score, read by code-scanning services to rank results.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

pub fn render(r: &Report) -> String {
    // The rules that produced a finding, in catalogue order.
    let rules: Vec<&'static Rule> = registry::RULES
        .iter()
        .copied()
        .filter(|rule| r.findings.iter().any(|f| f.rule == rule.id))
        .collect();
    let descriptors: Vec<Value> = rules.iter().map(|rule| descriptor(rule)).collect();
    let results = r
        .findings
        .iter()
        .map(|f| result(f, rules.iter().position(|rule| rule.id == f.rule)));
    let mut notifications: Vec<Value> = r.problems.iter().map(notification).collect();
    notifications.extend(r.collection_errors.iter().map(|e| {
        json!({
            "level": "warning",
            "message": { "text": format!("{}: could not read {}: {}: {}", e.unit, e.collection, e.operation, e.reason) },
        })
    }));

    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(r.problems.is_empty()));
    if !notifications.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), json!(notifications));
    }
    invocation.insert(
        "properties".into(),
        json!({
            "command": r.command,
            "complete": r.complete,
            "inputs": r.inputs,
            "skipped": r.skipped,
            "notJudged": r.not_judged,
        }),
    );

    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": r.tool,
                    "version": r.version,
                    "semanticVersion": r.version,
                    "rules": descriptors,
                }
            },
            "invocations": [Value::Object(invocation)],
            "columnKind": "unicodeCodePoints",
            "results": RESULTS,
            "properties": {
                "summary": r.summary,
            },
        }],
    });
    crate::with_streamed_array(&doc, RESULTS, results)
}

/// Where the results go, written one by one.
const RESULTS: &str = "\u{0}phiguard-results\u{0}";

/// `reportingDescriptor` for one rule.
fn descriptor(rule: &Rule) -> Value {
    let c = rule.control;
    let mut tags = vec![
        "security".to_string(),
        "hipaa".to_string(),
        format!("control-{}", c.number()),
        c.area().to_string(),
    ];
    tags.dedup();
    let doc = rule.doc.trim();
    json!({
        "id": rule.id,
        "name": pascal(rule.title),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": doc, "markdown": doc },
        "help": {
            "text": rule.remediation,
            "markdown": format!("**Remediation.** {}\n\n{}", rule.remediation, doc),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "control": c.number(),
            "controlTitle": c.title(),
            "area": c.area(),
            "hipaa": c.citations(),
            "severity": rule.severity.name(),
            "sources": rule.source_letters(),
            "security-severity": security_severity(rule.severity),
            "tags": tags,
        },
    })
}

/// `S3 buckets encrypt by default` → `S3BucketsEncryptByDefault`.
fn pascal(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let mut o = Map::new();
    o.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = rule_index {
        o.insert("ruleIndex".into(), json!(i));
    }
    let (kind, lvl) = match f.outcome {
        Outcome::Fail | Outcome::Waived => ("fail", level(f.severity)),
        Outcome::Unknown => ("review", "none"),
        Outcome::Pass => ("pass", "none"),
    };
    o.insert("kind".into(), json!(kind));
    o.insert("level".into(), json!(lvl));
    o.insert("message".into(), json!({ "text": f.message }));

    let mut location = Map::new();
    let logical = match &f.subject {
        Some(s) => {
            if let Some(p) = physical(&s.origin) {
                location.insert("physicalLocation".into(), p);
            }
            let fqn = match &s.origin {
                Origin::Live { arn, .. } => arn.clone(),
                Origin::Terraform { address, .. } => address.clone(),
                Origin::Template { .. } => s.name.clone(),
            };
            let mut props = json!({ "resourceType": s.kind });
            if let Some(l) = &s.label {
                props["label"] = json!(l);
            }
            if !s.tags.is_empty() {
                // `tags` of a SARIF property bag is a list of strings: the
                // resource's tags (a mapping) go under their own name.
                props["resourceTags"] = json!(s.tags);
            }
            json!({
                "name": s.name,
                "fullyQualifiedName": fqn,
                "kind": "resource",
                "properties": props,
            })
        }
        None => json!({ "name": "estate", "fullyQualifiedName": "estate", "kind": "module" }),
    };
    location.insert("logicalLocations".into(), json!([logical]));
    o.insert("locations".into(), json!([Value::Object(location)]));

    let subject_key = f
        .subject
        .as_ref()
        .map(|s| format!("{}|{}|{}", s.kind, s.name, s.origin.file().unwrap_or("")))
        .unwrap_or_else(|| "estate".into());
    o.insert(
        "partialFingerprints".into(),
        json!({ "phiguardFinding/v1": format!("{:016x}", fnv1a(&format!("{}|{subject_key}", f.rule))) }),
    );

    if f.outcome == Outcome::Waived {
        let justification = f.waiver.clone().unwrap_or_else(|| "waived".into());
        o.insert(
            "suppressions".into(),
            json!([{ "kind": "external", "status": "accepted", "justification": justification }]),
        );
    }
    o.insert(
        "properties".into(),
        json!({
            "outcome": f.outcome.name(),
            "severity": f.severity.name(),
            "control": f.control.number(),
        }),
    );
    Value::Object(o)
}

/// `physicalLocation` of a code origin; `None` for live resources.
fn physical(origin: &Origin) -> Option<Value> {
    let file = origin.file()?;
    let mut p = Map::new();
    p.insert("artifactLocation".into(), json!({ "uri": uri(file) }));
    let (line, column) = match origin {
        Origin::Template { line, column, .. } => (Some(*line), Some(*column)),
        Origin::Terraform { line, .. } => (*line, None),
        Origin::Live { .. } => (None, None),
    };
    if let Some(l) = line.filter(|l| *l >= 1) {
        let mut region = Map::new();
        region.insert("startLine".into(), json!(l));
        if let Some(c) = column.filter(|c| *c >= 1) {
            region.insert("startColumn".into(), json!(c));
        }
        p.insert("region".into(), Value::Object(region));
    }
    Some(Value::Object(p))
}

fn notification(p: &Problem) -> Value {
    let mut region = Map::new();
    if p.line >= 1 {
        region.insert("startLine".into(), json!(p.line));
        if p.column >= 1 {
            region.insert("startColumn".into(), json!(p.column));
        }
    }
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": uri(&p.file) }));
    if !region.is_empty() {
        physical.insert("region".into(), Value::Object(region));
    }
    json!({
        "level": "error",
        "message": { "text": p.message },
        "locations": [{ "physicalLocation": Value::Object(physical) }],
    })
}

/// A file path as a URI reference: path separators become `/`, and every
/// byte outside RFC 3986's unreserved set (and `/`) is percent-encoded, so
/// spaces, quotes, `<>&`, `:` (a drive letter would read as a scheme) and
/// non-ASCII text are all safe. A relative path stays relative.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
