//! AWS Security Finding Format: one `AwsSecurityFinding` per finding, as a
//! JSON array (the `Findings` of Security Hub's `BatchImportFindings`).
//!
//! Mapping: pass → `Compliance.Status` PASSED, fail → FAILED, unknown →
//! NOT_AVAILABLE (the reason in `StatusReasons`), waived → FAILED with
//! `Workflow.Status` SUPPRESSED and the waiver as a note. The control's HIPAA
//! citations are `Compliance.RelatedRequirements`.
//!
//! Security Hub accepts a finding through the default product ARN only from
//! the account named in `AwsAccountId`. [`Target`] says which account and
//! region that is: `phiguard audit --to-security-hub` sets it to the caller's
//! account and region. In a file (`--format asff`), a live finding names its
//! own account and region; a finding on code names `AWS_ACCOUNT_ID` and
//! `AWS_REGION` (or `AWS_DEFAULT_REGION`) from the environment, else
//! `000000000000` and `us-east-1`.

use crate::{Report, fields, time};
use phiguard_model::Origin;
use phiguard_rules::{Finding, Outcome, Severity, registry};
use serde_json::{Map, Value, json};

pub const SCHEMA_VERSION: &str = "2018-10-08";

/// Which account and region the findings are written for.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Every finding in this account (an import); `None`: each its own.
    pub account: Option<String>,
    /// Every finding's product ARN in this region.
    pub region: Option<String>,
}

impl Target {
    fn default_account() -> String {
        std::env::var("AWS_ACCOUNT_ID")
            .ok()
            .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or_else(|| "000000000000".into())
    }
    fn default_region() -> String {
        ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "us-east-1".into())
    }
}

pub fn render(r: &Report) -> String {
    let items = findings(r, &Target::default(), time::now_ms());
    let mut out = String::from("[");
    for (i, f) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&serde_json::to_string(f).unwrap_or_default());
    }
    out.push_str(if items.is_empty() { "]\n" } else { "\n]\n" });
    out
}

/// Every finding of the report in ASFF.
pub fn findings(r: &Report, target: &Target, now_ms: i64) -> Vec<Value> {
    let default_account = Target::default_account();
    let default_region = Target::default_region();
    r.findings
        .iter()
        .map(|f| {
            let account = target
                .account
                .clone()
                .or_else(|| fields::account(f).map(str::to_string))
                .unwrap_or_else(|| default_account.clone());
            let region = target
                .region
                .clone()
                .or_else(|| {
                    fields::region(f)
                        .filter(|r| *r != "global")
                        .map(str::to_string)
                })
                .unwrap_or_else(|| default_region.clone());
            finding(r, f, &account, &region, &time::rfc3339(now_ms))
        })
        .collect()
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "INFORMATIONAL",
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    }
}

/// `AWS::S3::Bucket` → `AwsS3Bucket`, Security Hub's resource type names.
pub fn resource_type(kind: &str) -> String {
    let t: String = kind
        .split("::")
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + &cs.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<String>()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if t.is_empty() { "Other".into() } else { t }
}

/// Text for a `NonEmptyString` member, at most `max` characters.
fn text(s: &str, max: usize, fallback: &str) -> String {
    let s = if s.trim().is_empty() { fallback } else { s };
    if s.chars().count() <= max {
        return s.to_string();
    }
    s.chars().take(max - 1).collect::<String>() + "…"
}

fn finding(r: &Report, f: &Finding, account: &str, region: &str, now: &str) -> Value {
    let rule = registry::find(f.rule);
    let status = match f.outcome {
        Outcome::Pass => "PASSED",
        Outcome::Fail | Outcome::Waived => "FAILED",
        Outcome::Unknown => "NOT_AVAILABLE",
    };
    let resource = match &f.subject {
        Some(s) => {
            let mut res = Map::new();
            res.insert("Type".into(), json!(resource_type(&s.kind)));
            res.insert(
                "Id".into(),
                json!(text(&fields::resource_id(s), 512, "unnamed")),
            );
            if let Origin::Live { arn, region, .. } = &s.origin {
                if let Some(p) = arn
                    .split(':')
                    .nth(1)
                    .filter(|p| matches!(*p, "aws" | "aws-cn" | "aws-us-gov"))
                {
                    res.insert("Partition".into(), json!(p));
                }
                if !region.is_empty() && region != "global" {
                    res.insert("Region".into(), json!(region));
                }
            }
            let mut details = Map::new();
            details.insert(
                "phiguard/name".into(),
                json!(text(&s.name, 1024, "unnamed")),
            );
            details.insert(
                "phiguard/location".into(),
                json!(text(&s.origin.location(), 1024, "unknown")),
            );
            res.insert("Details".into(), json!({ "Other": details }));
            Value::Object(res)
        }
        None => json!({
            "Type": "Other",
            "Id": format!("phiguard:estate:{account}"),
            "Details": { "Other": { "phiguard/scope": "the estate as a whole" } },
        }),
    };
    let mut o = Map::new();
    o.insert("SchemaVersion".into(), json!(SCHEMA_VERSION));
    o.insert(
        "Id".into(),
        json!(format!("phiguard/{account}/{}/{}", f.rule, fields::uid(f))),
    );
    o.insert(
        "ProductArn".into(),
        json!(format!(
            "arn:aws:securityhub:{region}:{account}:product/{account}/default"
        )),
    );
    o.insert("ProductName".into(), json!(r.tool));
    o.insert("CompanyName".into(), json!(r.tool));
    o.insert("Region".into(), json!(region));
    o.insert("GeneratorId".into(), json!(format!("phiguard/{}", f.rule)));
    o.insert("AwsAccountId".into(), json!(account));
    o.insert(
        "Types".into(),
        json!([
            "Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls"
        ]),
    );
    o.insert("CreatedAt".into(), json!(now));
    o.insert("UpdatedAt".into(), json!(now));
    o.insert(
        "Severity".into(),
        json!({ "Label": label(f.severity), "Original": f.severity.name() }),
    );
    o.insert(
        "Title".into(),
        json!(text(
            &format!("{} {}", f.rule, rule.map(|r| r.title).unwrap_or("")),
            256,
            f.rule
        )),
    );
    o.insert(
        "Description".into(),
        json!(text(&f.message, 1024, "no message")),
    );
    if let Some(rule) = rule {
        o.insert(
            "Remediation".into(),
            json!({ "Recommendation": { "Text": text(rule.remediation, 512, "see the rule") } }),
        );
    }
    let mut product = Map::new();
    product.insert("phiguard/RuleId".into(), json!(f.rule));
    product.insert(
        "phiguard/Control".into(),
        json!(format!("{} {}", f.control.number(), f.control.title())),
    );
    product.insert("phiguard/Outcome".into(), json!(f.outcome.name()));
    product.insert(
        "phiguard/Command".into(),
        json!(text(&r.command, 256, "unknown")),
    );
    if let Some(a) = fields::account(f) {
        product.insert("phiguard/ResourceAccount".into(), json!(a));
    }
    o.insert("ProductFields".into(), Value::Object(product));
    o.insert("Resources".into(), json!([resource]));
    let mut compliance = json!({
        "Status": status,
        "RelatedRequirements": f.control.citations().iter().map(|c| format!("HIPAA Security Rule {c}")).collect::<Vec<_>>(),
    });
    if f.outcome == Outcome::Unknown {
        compliance["StatusReasons"] = json!([{
            "ReasonCode": "PHIGUARD_UNDECIDED",
            "Description": text(&f.message, 2048, "could not decide"),
        }]);
    }
    o.insert("Compliance".into(), compliance);
    let workflow = if f.outcome == Outcome::Waived {
        "SUPPRESSED"
    } else if f.outcome == Outcome::Pass {
        "RESOLVED"
    } else {
        "NEW"
    };
    o.insert("Workflow".into(), json!({ "Status": workflow }));
    o.insert("RecordState".into(), json!("ACTIVE"));
    if let Some(w) = &f.waiver {
        o.insert(
            "Note".into(),
            json!({ "Text": text(w, 512, "waived"), "UpdatedBy": "phiguard", "UpdatedAt": now }),
        );
    }
    Value::Object(o)
}
