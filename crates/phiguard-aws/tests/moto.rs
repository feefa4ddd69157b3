//! The live collector against a real AWS API: a moto server on 127.0.0.1
//! (`scripts/moto.sh start`, which the test command runs). The estate is a
//! multi-account organization built by `tests/estate/build_org.py`, with
//! planted violations and compliant twins; its manifest says the outcome each
//! rule must reach for each resource, and this test holds the audit to it.

mod common;
use common::moto_endpoint as endpoint;
use phiguard_aws::{AuditOptions, Regions, operations};
use phiguard_rules::{Config, Finding, Outcome, RunOptions};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn python() -> String {
    std::env::var("PHIGUARD_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn estate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/estate")
}

/// Resets moto and builds the estate; returns its manifest.
fn build(endpoint: &str, script: &str, extra: &[&str]) -> Value {
    let reset = Command::new(python())
        .args([
            "-c",
            "import sys,urllib.request;urllib.request.urlopen(urllib.request.Request(sys.argv[1]+'/moto-api/reset',method='POST'))",
            endpoint,
        ])
        .status()
        .expect("python runs");
    assert!(reset.success(), "moto reset failed");
    let out = Command::new(python())
        .arg(estate_dir().join(script))
        .args(["--endpoint", endpoint])
        .args(extra)
        .output()
        .expect("the estate builder runs");
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the estate manifest is JSON")
}

pub fn options(endpoint: &str, regions: Vec<String>) -> AuditOptions {
    AuditOptions {
        endpoint_url: Some(endpoint.to_string()),
        region: Some("us-east-1".into()),
        regions: Regions::List(regions),
        credentials: Some(aws_credential_types::Credentials::new(
            "testing",
            "testing",
            None,
            None,
            "phiguard-tests",
        )),
        call_timeout: std::time::Duration::from_secs(30),
        max_attempts: 3,
        ..Default::default()
    }
}

fn config(manifest: &Value) -> Config {
    let mut cfg = Config::default();
    cfg.regions.approved = regions(manifest);
    cfg.accounts.management = manifest["management"].as_str().map(str::to_string);
    for a in manifest["accounts"].as_array().into_iter().flatten() {
        let id = a["id"].as_str().unwrap_or_default().to_string();
        match a["role"].as_str() {
            Some("security") => cfg.accounts.security = Some(id),
            Some("logs") => cfg.accounts.logs = Some(id),
            Some("prod") => cfg.accounts.prod.push(id),
            Some("staging") => cfg.accounts.staging.push(id),
            Some("dev") => cfg.accounts.dev.push(id),
            _ => {}
        }
    }
    cfg
}

fn regions(manifest: &Value) -> Vec<String> {
    manifest["regions"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| vec!["us-east-1".into(), "us-west-2".into()])
}

/// Where a finding sits: `(account, region, name)`. Organization-wide
/// findings (on the organization, or on the estate) sit on the management
/// account, named by its id, as the manifest names them.
fn place(f: &Finding, management: &str) -> Option<(String, String, String)> {
    let Some(s) = f.subject.as_ref() else {
        return Some((management.into(), "global".into(), management.into()));
    };
    if s.kind == "AWS::Organizations::Organization" {
        return Some((management.into(), "global".into(), management.into()));
    }
    match &s.origin {
        phiguard_model::Origin::Live {
            account, region, ..
        } => Some((account.clone(), region.clone(), s.name.clone())),
        _ => None,
    }
}

fn outcome_name(o: Outcome) -> &'static str {
    o.name()
}

#[test]
fn the_organization_is_judged_as_planted() {
    let Some(ep) = endpoint() else { return };
    let manifest = build(&ep, "build_org.py", &[]);
    let cfg = config(&manifest);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let audit = rt
        .block_on(phiguard_aws::audit(&options(&ep, regions(&manifest))))
        .expect("the audit runs");
    let findings = phiguard_rules::run(
        &audit.inventory,
        &cfg,
        &RunOptions {
            complete: true,
            today: "2026-11-30".into(),
            ..Default::default()
        },
    );

    // Every account of the organization was audited.
    let mut want: Vec<String> = manifest["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    want.push(manifest["management"].as_str().unwrap().to_string());
    want.sort();
    want.dedup();
    assert_eq!(audit.accounts, want, "accounts audited");

    let management = manifest["management"].as_str().unwrap().to_string();
    let mut wrong = Vec::new();
    let expect = manifest["expect"].as_array().expect("expect[]");
    assert!(
        expect.len() >= 40,
        "the estate plants at least 40 judgements"
    );
    for e in expect {
        let rule = e["rule"].as_str().unwrap();
        let account = e["account"].as_str().unwrap();
        let region = e["region"].as_str().unwrap();
        let name = e["name"].as_str().unwrap();
        let want = e["outcome"].as_str().unwrap();
        let got: Vec<&Finding> = findings
            .iter()
            .filter(|f| {
                f.rule == rule
                    && place(f, &management)
                        .is_some_and(|(a, r, n)| a == account && r == region && n == name)
            })
            .collect();
        // A collection error is reported on the estate, naming the account and region.
        let got = if got.is_empty() && want == "unknown" {
            let unit = format!("{account}/{region}");
            findings
                .iter()
                .filter(|f| {
                    f.rule == rule
                        && f.subject.is_none()
                        && f.outcome == Outcome::Unknown
                        && f.message.contains(&unit)
                })
                .collect()
        } else {
            got
        };
        let outcomes: Vec<&str> = got.iter().map(|f| outcome_name(f.outcome)).collect();
        let ok = !got.is_empty()
            && got.iter().all(|f| outcome_name(f.outcome) == want)
            && e.get("severity")
                .and_then(Value::as_str)
                .is_none_or(|s| got.iter().all(|f| f.severity.name() == s));
        if !ok {
            wrong.push(format!(
                "{rule} {account}/{region} {name}: want {want}, got {outcomes:?} ({}) — {}",
                got.iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
                e["why"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} judgements differ:\n{}",
        wrong.len(),
        expect.len(),
        wrong.join("\n")
    );

    // Least privilege: every call made is in the shipped policy, and a read.
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../policy/phiguard-audit-policy.json"),
        )
        .expect("the shipped policy"),
    )
    .unwrap();
    let allowed: Vec<&str> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for (service, op) in audit.operations.keys() {
        let action = operations::iam_action(service, op).unwrap_or_else(|| {
            panic!("{service} {op} was called but is not in the operation table")
        });
        assert!(
            allowed.contains(&action),
            "{action} is called but not in the shipped policy"
        );
        assert!(operations::is_read(action), "{action} is not a read");
    }
    assert!(
        audit.operations.len() >= 60,
        "the audit exercised {} operations",
        audit.operations.len()
    );

    // Shards: two halves that do not overlap and cover the organization.
    let mut seen: Vec<String> = Vec::new();
    for i in 1..=2 {
        let mut o = options(&ep, vec!["us-east-1".into()]);
        o.shard = Some((i, 2));
        let part = rt.block_on(phiguard_aws::audit(&o)).expect("a shard runs");
        for a in &part.accounts {
            assert!(!seen.contains(a), "{a} is in two shards");
            assert_eq!(phiguard_aws::shard::shard_of(a, 2), i);
        }
        seen.extend(part.accounts);
    }
    seen.sort();
    assert_eq!(seen, want, "the shards cover every account");
}
