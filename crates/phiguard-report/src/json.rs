//! The JSON report: a stable schema, documented in `docs/json-report.md`.

use crate::Report;
use phiguard_rules::registry;
use serde_json::json;

/// The schema version of the JSON report; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

pub fn render(r: &Report) -> String {
    let findings = r.findings.iter().map(|f| {
        let rule = registry::find(f.rule);
        json!({
            "rule": f.rule,
            "title": rule.map(|r| r.title),
            "control": f.control.number(),
            "control_title": f.control.title(),
            "severity": f.severity.name(),
            "outcome": f.outcome.name(),
            "message": f.message,
            "resource": f.subject.as_ref().map(|s| json!({
                "kind": s.kind,
                "name": s.name,
                "origin": s.origin,
                "location": s.origin.location(),
                "label": s.label,
                "tags": s.tags,
            })),
            "waiver": f.waiver,
            "failing_since": f.failing_since,
        })
    });
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": r.tool, "version": r.version },
        "command": r.command,
        "complete": r.complete,
        "inputs": r.inputs,
        "skipped": r.skipped,
        "summary": r.summary,
        "problems": r.problems,
        "collection_errors": r.collection_errors,
        "not_judged": r.not_judged,
        "stale_waivers": r.stale_waivers,
        "findings": FINDINGS,
    });
    crate::with_streamed_array(&doc, FINDINGS, findings)
}

/// Where the findings go, written one by one.
const FINDINGS: &str = "\u{0}phiguard-findings\u{0}";
