//! `audit --to-security-hub` against a real Security Hub API: the moto
//! server (`scripts/moto.sh start`). The findings are phiguard's ASFF, in
//! batches of 100; a finding the service refuses is retried, then reported.

mod common;
use common::moto_endpoint as endpoint;
use phiguard_aws::securityhub::{ATTEMPTS, connect, import};
use phiguard_aws::{AuditOptions, Regions};
use phiguard_model::Origin;
use phiguard_report::{Report, asff};
use phiguard_rules::{Control, Finding, Outcome, Severity, Subject, summarize};
use std::process::Command;
use std::time::Duration;

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn reset(endpoint: &str) {
    let python = std::env::var("PHIGUARD_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(python)
        .args([
            "-c",
            "import sys,urllib.request;urllib.request.urlopen(urllib.request.Request(sys.argv[1]+'/moto-api/reset',method='POST'))",
            endpoint,
        ])
        .status()
        .expect("python runs");
    assert!(ok.success(), "moto reset failed");
}

fn options(endpoint: &str) -> AuditOptions {
    AuditOptions {
        endpoint_url: Some(endpoint.to_string()),
        region: Some("us-east-1".into()),
        regions: Regions::List(vec!["us-east-1".into()]),
        credentials: Some(aws_credential_types::Credentials::new(
            "testing",
            "testing",
            None,
            None,
            "phiguard-tests",
        )),
        call_timeout: Duration::from_secs(30),
        max_attempts: 2,
        ..Default::default()
    }
}

fn report(n: usize) -> Report {
    let findings: Vec<Finding> = (0..n)
        .map(|i| Finding {
            rule: "ENC-2",
            control: Control::AtRestEncryption,
            severity: Severity::High,
            outcome: [Outcome::Fail, Outcome::Pass, Outcome::Unknown][i % 3],
            subject: Some(Subject {
                kind: "AWS::S3::Bucket".into(),
                name: if i == 0 {
                    HOSTILE.into()
                } else {
                    format!("bucket-{i}")
                },
                origin: Origin::Live {
                    arn: format!("arn:aws:s3:::bucket-{i}"),
                    account: "111122223333".into(),
                    region: "us-east-1".into(),
                },
                label: None,
                tags: Default::default(),
            }),
            rid: None,
            message: format!("bucket-{i}: the bucket has no default encryption configuration"),
            waiver: None,
            failing_since: None,
        })
        .collect();
    Report {
        tool: "phiguard",
        version: "0.1.0",
        command: "audit".into(),
        inputs: vec!["111122223333".into()],
        skipped: vec![],
        complete: true,
        summary: summarize(&findings),
        findings,
        problems: vec![],
        collection_errors: vec![],
        not_judged: vec![],
        stale_waivers: vec![],
    }
}

/// The SDK's futures are large in unoptimised builds: run on worker
/// threads with room for them.
#[test]
fn imports_in_batches_of_100_and_reports_what_fails() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(16 << 20)
        .build()
        .unwrap();
    rt.block_on(async { tokio::spawn(imports()).await.unwrap() });
}

async fn imports() {
    let Some(endpoint) = endpoint() else { return };
    reset(&endpoint);
    let opts = options(&endpoint);
    let target = connect(&opts, None).await.expect("connects");
    assert_eq!(target.account.len(), 12);
    let r = report(250);
    let findings = asff::findings(
        &r,
        &asff::Target {
            account: Some(target.account.clone()),
            region: Some(target.region.clone()),
        },
        0,
    );
    let done = import(&target.client, &findings, Duration::from_millis(10)).await;
    assert_eq!(done.failed, vec![]);
    assert_eq!(done.imported, 250);
    assert_eq!(done.calls, 3, "250 findings: 100 + 100 + 50");
    assert_eq!(done.retried, 0);

    // What Security Hub holds now.
    let mut stored = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = target
            .client
            .get_findings()
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("GetFindings");
        stored.extend(out.findings().iter().cloned());
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(stored.len(), 250);
    assert!(
        stored
            .iter()
            .all(|f| f.aws_account_id() == Some(target.account.as_str()))
    );
    let hostile = stored
        .iter()
        .find(|f| {
            f.resources()[0]
                .details()
                .and_then(|d| d.other())
                .and_then(|o| o.get("phiguard/name"))
                .map(String::as_str)
                == Some(HOSTILE)
        })
        .expect("the hostile name is stored as data");
    assert_eq!(
        hostile
            .compliance()
            .and_then(|c| c.status())
            .map(|s| s.as_str()),
        Some("FAILED")
    );

    // A finding the service refuses (no resource) is retried, then reported;
    // the others of its batch are imported.
    let mut bad = findings[..5].to_vec();
    bad[2]["Resources"] = serde_json::json!([]);
    let done = import(&target.client, &bad, Duration::from_millis(10)).await;
    assert_eq!(done.imported, 4);
    assert_eq!(done.failed.len(), 1);
    assert_eq!(done.failed[0].id, bad[2]["Id"].as_str().unwrap());
    assert_eq!(done.retried, (ATTEMPTS - 1) as usize);
    assert_eq!(done.calls, ATTEMPTS as usize);
}

#[test]
fn phiguards_asff_maps_onto_the_sdk_types_whole() {
    // Every member phiguard writes is mapped (an unmapped one is refused).
    let r = report(3);
    let mut r = r;
    r.findings[0].outcome = Outcome::Waived;
    r.findings[0].waiver = Some("waived by ops until 2999-01-01: archive".into());
    for f in asff::findings(&r, &asff::Target::default(), 0) {
        let sdk = phiguard_aws::securityhub::to_sdk(&f).expect("mapped");
        assert_eq!(sdk.id(), f["Id"].as_str());
        assert_eq!(sdk.resources().len(), 1);
    }
}
