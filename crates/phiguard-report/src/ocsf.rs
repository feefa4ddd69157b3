//! OCSF 1.8.0 Compliance Finding events (class 2003), one per finding, as a
//! JSON array.
//!
//! Mapping: the rule is `compliance.control`, the control's HIPAA citations
//! are `compliance.requirements`; pass → compliance status Pass, fail and
//! waived → Fail, unknown → Unknown (with the reason in `status_details`).
//! A waived finding has the finding status Suppressed and its waiver in
//! `comment`. Live resources carry the `cloud` profile (account, region).

use crate::{Report, fields, time};
use phiguard_rules::{Finding, Outcome, Severity, registry};
use serde_json::{Map, Value, json};

pub const OCSF_VERSION: &str = "1.8.0";

pub fn render(r: &Report) -> String {
    let now = time::now_ms();
    let mut out = String::from("[");
    for (i, f) in r.findings.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&serde_json::to_string(&event(r, f, now)).unwrap_or_default());
    }
    out.push_str(if r.findings.is_empty() {
        "]\n"
    } else {
        "\n]\n"
    });
    out
}

fn severity_id(s: Severity) -> (u8, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// One Compliance Finding event.
pub fn event(r: &Report, f: &Finding, now: i64) -> Value {
    let rule = registry::find(f.rule);
    let (sev_id, sev) = severity_id(f.severity);
    let (cstatus_id, cstatus) = match f.outcome {
        Outcome::Pass => (1, "Pass"),
        Outcome::Fail | Outcome::Waived => (3, "Fail"),
        Outcome::Unknown => (0, "Unknown"),
    };
    let (status_id, status) = match f.outcome {
        Outcome::Waived => (3, "Suppressed"),
        _ => (1, "New"),
    };
    let live = fields::account(f).is_some();
    let mut metadata = json!({
        "version": OCSF_VERSION,
        "product": { "name": r.tool, "vendor_name": r.tool, "version": r.version },
        "uid": format!("{}-{}", fields::uid(f), now),
    });
    if live {
        metadata["profiles"] = json!(["cloud"]);
    }
    let mut e = Map::new();
    e.insert("activity_id".into(), json!(1));
    e.insert("activity_name".into(), json!("Create"));
    e.insert("category_uid".into(), json!(2));
    e.insert("category_name".into(), json!("Findings"));
    e.insert("class_uid".into(), json!(2003));
    e.insert("class_name".into(), json!("Compliance Finding"));
    e.insert("type_uid".into(), json!(200301));
    e.insert("type_name".into(), json!("Compliance Finding: Create"));
    e.insert("severity_id".into(), json!(sev_id));
    e.insert("severity".into(), json!(sev));
    e.insert("status_id".into(), json!(status_id));
    e.insert("status".into(), json!(status));
    e.insert("time".into(), json!(now));
    e.insert("message".into(), json!(f.message));
    e.insert("metadata".into(), metadata);
    e.insert(
        "finding_info".into(),
        json!({
            "uid": format!("phiguard:{}:{}", f.rule, fields::uid(f)),
            "title": rule.map(|r| r.title).unwrap_or(f.rule),
            "desc": f.message,
            "types": f.control.citations().iter().map(|c| format!("HIPAA/{c}")).collect::<Vec<_>>(),
            "created_time": now,
        }),
    );
    e.insert(
        "compliance".into(),
        json!({
            "control": f.rule,
            "requirements": f.control.citations(),
            "standards": ["HIPAA Security Rule"],
            "status_id": cstatus_id,
            "status": cstatus,
            "status_details": [f.message],
            "desc": format!("{} · {}", f.control.number(), f.control.title()),
        }),
    );
    if let Some(s) = &f.subject {
        let mut res = json!({
            "uid": fields::resource_id(s),
            "name": s.name,
            "type": s.kind,
            "data": { "location": s.origin.location() },
        });
        if live {
            res["provider"] = json!("AWS");
            if let Some(region) = fields::region(f) {
                res["region"] = json!(region);
            }
        }
        e.insert("resources".into(), json!([res]));
    }
    if let (true, Some(account)) = (live, fields::account(f)) {
        let mut cloud = json!({
            "provider": "AWS",
            "account": { "uid": account, "type_id": 10, "type": "AWS Account" },
        });
        if let Some(region) = fields::region(f) {
            cloud["region"] = json!(region);
        }
        e.insert("cloud".into(), cloud);
    }
    if let Some(rule) = rule {
        e.insert("remediation".into(), json!({ "desc": rule.remediation }));
    }
    if let Some(w) = &f.waiver {
        e.insert("comment".into(), json!(w));
    }
    e.insert(
        "unmapped".into(),
        json!({
            "phiguard": {
                "outcome": f.outcome.name(),
                "command": r.command,
                "location": fields::location(f),
            }
        }),
    );
    Value::Object(e)
}
