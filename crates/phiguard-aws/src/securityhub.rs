//! `phiguard audit --to-security-hub`: imports the report's ASFF findings
//! into Security Hub with `BatchImportFindings`, in batches of at most 100
//! findings (the API's limit) and about 200 KB (under its 240 KB request
//! limit). Findings the service refuses (`FailedFindings`) and batches whose
//! call fails are retried, twice, after a pause; what still fails is
//! reported, never dropped silently.
//!
//! This is the one call of phiguard that writes: it needs
//! `securityhub:BatchImportFindings` in the account it imports into, which
//! the read-only audit policy does not grant.
//!
//! The findings come from `phiguard_report::asff` as JSON (validated there
//! against the ASFF schema); [`to_sdk`] maps each member phiguard writes onto
//! the SDK's types, and refuses any member it does not know, so that the two
//! cannot drift apart silently.

use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, Compliance, ComplianceStatus, Note, Partition, Recommendation, RecordState,
    Remediation, Resource, ResourceDetails, Severity, SeverityLabel, StatusReason, Workflow,
    WorkflowStatus,
};
use serde_json::Value;
use std::time::Duration;

/// Findings per `BatchImportFindings` call (the API's maximum).
pub const BATCH: usize = 100;
/// Serialized bytes per call, below the API's 240 KB request limit.
pub const BATCH_BYTES: usize = 200_000;
/// Attempts for a finding that fails (the first one included).
pub const ATTEMPTS: u32 = 3;

/// One finding that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub id: String,
    pub code: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub imported: usize,
    pub failed: Vec<Failed>,
    /// `BatchImportFindings` calls made.
    pub calls: usize,
    /// Findings sent again after a failure.
    pub retried: usize,
}

/// Imports `findings` (ASFF JSON) with `client`.
pub async fn import(client: &Client, findings: &[Value], pause: Duration) -> Imported {
    let mut out = Imported::default();
    let mut pending: Vec<(String, AwsSecurityFinding, usize)> = Vec::new();
    for f in findings {
        let id = f["Id"].as_str().unwrap_or("").to_string();
        match to_sdk(f) {
            Ok(sdk) => pending.push((id, sdk, f.to_string().len())),
            Err(message) => out.failed.push(Failed {
                id,
                code: "NotSent".into(),
                message,
            }),
        }
    }
    for attempt in 1..=ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        if attempt > 1 {
            out.retried += pending.len();
            tokio::time::sleep(pause * (attempt - 1)).await;
        }
        let last = attempt == ATTEMPTS;
        let mut again = Vec::new();
        for batch in batches(std::mem::take(&mut pending)) {
            out.calls += 1;
            let sent: Vec<AwsSecurityFinding> = batch.iter().map(|(_, f, _)| f.clone()).collect();
            match client
                .batch_import_findings()
                .set_findings(Some(sent))
                .send()
                .await
            {
                Ok(resp) => {
                    let refused: Vec<&aws_sdk_securityhub::types::ImportFindingsError> =
                        resp.failed_findings().iter().collect();
                    out.imported += batch.len().saturating_sub(refused.len());
                    for e in refused {
                        let id = e.id().unwrap_or("").to_string();
                        let failure = Failed {
                            id: id.clone(),
                            code: e.error_code().unwrap_or("").to_string(),
                            message: e.error_message().unwrap_or("").to_string(),
                        };
                        match batch.iter().find(|(i, _, _)| *i == id) {
                            Some(item) if !last => again.push(item.clone()),
                            _ => out.failed.push(failure),
                        }
                    }
                }
                Err(e) => {
                    let message =
                        aws_smithy_types::error::display::DisplayErrorContext(&e).to_string();
                    if last {
                        out.failed
                            .extend(batch.into_iter().map(|(id, _, _)| Failed {
                                id,
                                code: "CallFailed".into(),
                                message: message.clone(),
                            }));
                    } else {
                        again.extend(batch);
                    }
                }
            }
        }
        pending = again;
    }
    out
}

/// Splits into batches of at most [`BATCH`] findings and [`BATCH_BYTES`].
fn batches<T>(items: Vec<(String, T, usize)>) -> Vec<Vec<(String, T, usize)>> {
    let mut out: Vec<Vec<(String, T, usize)>> = Vec::new();
    let mut bytes = 0;
    for item in items {
        let full = out
            .last()
            .is_none_or(|b| b.len() >= BATCH || bytes + item.2 > BATCH_BYTES);
        if full {
            out.push(Vec::new());
            bytes = 0;
        }
        bytes += item.2;
        out.last_mut().expect("a batch").push(item);
    }
    out
}

fn s<'a>(v: &'a Value, k: &str) -> Result<&'a str, String> {
    v.get(k)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the ASFF finding has no string {k}"))
}

fn opt<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn map(v: &Value) -> impl Iterator<Item = (&String, &str)> {
    v.as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.as_str()?)))
}

fn known(v: &Value, what: &str, keys: &[&str]) -> Result<(), String> {
    match v.as_object() {
        Some(o) => match o.keys().find(|k| !keys.contains(&k.as_str())) {
            Some(k) => Err(format!("{what} member {k} is not mapped to Security Hub")),
            None => Ok(()),
        },
        None => Err(format!("{what} is not an object")),
    }
}

/// One ASFF finding (as `phiguard_report::asff` writes it) as the SDK's type.
pub fn to_sdk(f: &Value) -> Result<AwsSecurityFinding, String> {
    known(
        f,
        "the finding",
        &[
            "SchemaVersion",
            "Id",
            "ProductArn",
            "ProductName",
            "CompanyName",
            "Region",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Remediation",
            "ProductFields",
            "Resources",
            "Compliance",
            "Workflow",
            "RecordState",
            "Note",
        ],
    )?;
    let mut b = AwsSecurityFinding::builder()
        .schema_version(s(f, "SchemaVersion")?)
        .id(s(f, "Id")?)
        .product_arn(s(f, "ProductArn")?)
        .generator_id(s(f, "GeneratorId")?)
        .aws_account_id(s(f, "AwsAccountId")?)
        .created_at(s(f, "CreatedAt")?)
        .updated_at(s(f, "UpdatedAt")?)
        .title(s(f, "Title")?)
        .description(s(f, "Description")?);
    if let Some(x) = opt(f, "ProductName") {
        b = b.product_name(x);
    }
    if let Some(x) = opt(f, "CompanyName") {
        b = b.company_name(x);
    }
    if let Some(x) = opt(f, "Region") {
        b = b.region(x);
    }
    for t in f["Types"].as_array().into_iter().flatten() {
        if let Some(t) = t.as_str() {
            b = b.types(t);
        }
    }
    if let Some(sev) = f.get("Severity") {
        known(sev, "Severity", &["Label", "Original"])?;
        let mut sb = Severity::builder();
        if let Some(l) = opt(sev, "Label") {
            sb = sb.label(SeverityLabel::from(l));
        }
        if let Some(o) = opt(sev, "Original") {
            sb = sb.original(o);
        }
        b = b.severity(sb.build());
    }
    if let Some(r) = f.get("Remediation") {
        known(r, "Remediation", &["Recommendation"])?;
        let rec = &r["Recommendation"];
        known(rec, "Remediation.Recommendation", &["Text", "Url"])?;
        let mut rb = Recommendation::builder();
        if let Some(t) = opt(rec, "Text") {
            rb = rb.text(t);
        }
        if let Some(u) = opt(rec, "Url") {
            rb = rb.url(u);
        }
        b = b.remediation(Remediation::builder().recommendation(rb.build()).build());
    }
    if let Some(p) = f.get("ProductFields") {
        for (k, v) in map(p) {
            b = b.product_fields(k, v);
        }
    }
    for r in f["Resources"].as_array().into_iter().flatten() {
        known(
            r,
            "Resource",
            &["Type", "Id", "Partition", "Region", "Details"],
        )?;
        let mut rb = Resource::builder().r#type(s(r, "Type")?).id(s(r, "Id")?);
        if let Some(p) = opt(r, "Partition") {
            rb = rb.partition(Partition::from(p));
        }
        if let Some(g) = opt(r, "Region") {
            rb = rb.region(g);
        }
        if let Some(d) = r.get("Details") {
            known(d, "Resource.Details", &["Other"])?;
            let mut db = ResourceDetails::builder();
            for (k, v) in map(&d["Other"]) {
                db = db.other(k, v);
            }
            rb = rb.details(db.build());
        }
        b = b.resources(rb.build());
    }
    if let Some(c) = f.get("Compliance") {
        known(
            c,
            "Compliance",
            &["Status", "RelatedRequirements", "StatusReasons"],
        )?;
        let mut cb = Compliance::builder();
        if let Some(st) = opt(c, "Status") {
            cb = cb.status(ComplianceStatus::from(st));
        }
        for r in c["RelatedRequirements"].as_array().into_iter().flatten() {
            if let Some(r) = r.as_str() {
                cb = cb.related_requirements(r);
            }
        }
        for r in c["StatusReasons"].as_array().into_iter().flatten() {
            let mut rb = StatusReason::builder().reason_code(s(r, "ReasonCode")?);
            if let Some(d) = opt(r, "Description") {
                rb = rb.description(d);
            }
            cb = cb.status_reasons(rb.build());
        }
        b = b.compliance(cb.build());
    }
    if let Some(w) = f.get("Workflow") {
        known(w, "Workflow", &["Status"])?;
        b = b.workflow(
            Workflow::builder()
                .status(WorkflowStatus::from(s(w, "Status")?))
                .build(),
        );
    }
    if let Some(r) = opt(f, "RecordState") {
        b = b.record_state(RecordState::from(r));
    }
    if let Some(n) = f.get("Note") {
        known(n, "Note", &["Text", "UpdatedBy", "UpdatedAt"])?;
        b = b.note(
            Note::builder()
                .text(s(n, "Text")?)
                .updated_by(s(n, "UpdatedBy")?)
                .updated_at(s(n, "UpdatedAt")?)
                .build(),
        );
    }
    Ok(b.build())
}

/// Where findings are imported: a Security Hub client, and the account and
/// region it writes to.
pub struct Target {
    pub client: Client,
    pub account: String,
    pub region: String,
}

/// Connects with the audit's credentials (or, with `role_arn`, a role
/// assumed from them, e.g. in the security account) and asks STS which
/// account that is: with the default product ARN, Security Hub accepts
/// only findings whose `AwsAccountId` is the caller's.
pub async fn connect(opts: &crate::AuditOptions, role_arn: Option<&str>) -> Result<Target, String> {
    let base = crate::base_config(opts).await;
    let conf = match role_arn {
        None => base,
        Some(arn) => {
            let out = aws_sdk_sts::Client::new(&base)
                .assume_role()
                .role_arn(arn)
                .role_session_name("phiguard-securityhub-import")
                .send()
                .await
                .map_err(|e| {
                    format!(
                        "could not assume {arn}: {}",
                        aws_smithy_types::error::display::DisplayErrorContext(&e)
                    )
                })?;
            let c = out
                .credentials()
                .ok_or_else(|| format!("sts:AssumeRole for {arn} returned no credentials"))?;
            let creds = aws_credential_types::Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_string()),
                std::time::SystemTime::try_from(*c.expiration()).ok(),
                "phiguard-securityhub-import",
            );
            base.into_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(creds),
                )
                .build()
        }
    };
    let who = aws_sdk_sts::Client::new(&conf)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| {
            format!(
                "sts:GetCallerIdentity failed: {}",
                aws_smithy_types::error::display::DisplayErrorContext(&e)
            )
        })?;
    let account = who
        .account()
        .filter(|a| !a.is_empty())
        .ok_or("sts:GetCallerIdentity returned no account")?
        .to_string();
    let region = conf
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".into());
    Ok(Target {
        client: Client::new(&conf),
        account,
        region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_at_most_100_findings_and_200_kb() {
        let items: Vec<(String, (), usize)> = (0..250).map(|i| (i.to_string(), (), 10)).collect();
        let b = batches(items);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 50]);
        let items: Vec<(String, (), usize)> = (0..5).map(|i| (i.to_string(), (), 90_000)).collect();
        let b = batches(items);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    }

    #[test]
    fn an_unmapped_member_is_refused() {
        let f = serde_json::json!({"SchemaVersion": "2018-10-08", "Bogus": 1});
        assert!(to_sdk(&f).unwrap_err().contains("Bogus"));
    }
}
