//! Faults never become passes: throttling, access denied for one service, a
//! malformed body and a timeout, served by the mock AWS of `common`.

mod common;

use common::*;
use phiguard_model::Collection;
use phiguard_rules::{Config, Finding, Outcome, RunOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn run(opts: &phiguard_aws::AuditOptions) -> phiguard_aws::Audit {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(phiguard_aws::audit(opts))
        .expect("the audit runs")
}

fn judge(audit: &phiguard_aws::Audit) -> Vec<Finding> {
    phiguard_rules::run(
        &audit.inventory,
        &Config::default(),
        &RunOptions {
            complete: true,
            today: "2026-11-30".into(),
            ..Default::default()
        },
    )
}

fn of<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

const KEY: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn faults_become_unknown_and_the_audit_goes_on() {
    let throttled = Arc::new(AtomicUsize::new(0));
    let t = throttled.clone();
    let mock = Mock::new(move |r| {
        if let Some(b) = basics(r) {
            return Some(b);
        }
        let key_arn = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY}");
        match (r.service.as_str(), r.op.as_str()) {
            // A throttling burst: three refusals, then the answer.
            ("kms", "ListKeys") => {
                if t.fetch_add(1, Ordering::SeqCst) < 3 {
                    Some(error("kms", 400, "ThrottlingException", "Rate exceeded"))
                } else {
                    json(&format!(
                        r#"{{"Keys":[{{"KeyId":"{KEY}","KeyArn":"{key_arn}"}}],"Truncated":false}}"#
                    ))
                }
            }
            ("kms", "ListAliases") => json(r#"{"Aliases":[],"Truncated":false}"#),
            ("kms", "DescribeKey") => json(&format!(
                r#"{{"KeyMetadata":{{"KeyId":"{KEY}","Arn":"{key_arn}","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyUsage":"ENCRYPT_DECRYPT","KeyState":"Enabled","Enabled":true}}}}"#
            )),
            ("kms", "GetKeyRotationStatus") => json(r#"{"KeyRotationEnabled":false}"#),
            ("kms", "GetKeyPolicy") => json(&format!(
                r#"{{"Policy":"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::{ACCOUNT}:root\"}},\"Action\":\"kms:*\",\"Resource\":\"*\"}}]}}","PolicyName":"default"}}"#
            )),
            ("kms", "ListResourceTags") => json(r#"{"Tags":[],"Truncated":false}"#),
            // The root user has no MFA.
            ("iam", "GetAccountSummary") => xml(
                "<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountSummaryResponse>",
            ),
            // Access denied for one service.
            ("guardduty", _) => Some(error(
                "guardduty",
                403,
                "AccessDeniedException",
                "User is not authorized to perform: guardduty:ListDetectors",
            )),
            // A garbage body.
            ("macie2", _) => Some(Reply::Ok(
                200,
                vec![("content-type", "application/json".into())],
                "<<<this is not JSON".into(),
            )),
            // A call that never answers.
            ("cloudtrail", _) => Some(Reply::Hang),
            _ => None,
        }
    });
    let started = std::time::Instant::now();
    let mut opts = options(&mock);
    // Room for three backoffs; the hung call still ends at the timeout.
    opts.call_timeout = std::time::Duration::from_secs(30);
    let audit = run(&opts);
    assert!(
        started.elapsed().as_secs() < 60,
        "the audit did not wait on the hung call"
    );
    assert_eq!(
        mock.count("kms", "ListKeys"),
        4,
        "throttled calls are retried: {:#?}",
        audit
            .inventory
            .gaps
            .iter()
            .filter(|g| g.operation.starts_with("kms"))
            .collect::<Vec<_>>()
    );
    let f = judge(&audit);

    // What could be read is judged.
    let enc1 = of(&f, "ENC-1");
    assert!(
        enc1.iter().any(
            |x| x.outcome == Outcome::Fail && x.subject.as_ref().is_some_and(|s| s.name == KEY)
        ),
        "{enc1:#?}"
    );
    let iam2 = of(&f, "IAM-2");
    assert!(iam2.iter().any(|x| x.outcome == Outcome::Fail), "{iam2:#?}");

    // What could not be read is unknown, with the reason, and nothing passes.
    let gap = |c: Collection, needle: &str| {
        audit
            .inventory
            .gaps
            .iter()
            .any(|g| g.collection == c && g.reason.contains(needle))
    };
    assert!(
        gap(Collection::GuardDuty, "AccessDeniedException"),
        "{:#?}",
        audit.inventory.gaps
    );
    assert!(
        gap(Collection::Macie, "malformed"),
        "{:#?}",
        audit.inventory.gaps
    );
    assert!(
        gap(Collection::Trails, "timed out"),
        "{:#?}",
        audit.inventory.gaps
    );
    for (rule, needle) in [
        ("MON-1", "AccessDenied"),
        ("MON-3", "malformed"),
        ("LOG-1", "timed out"),
        ("LOG-5", "timed out"),
    ] {
        let v = of(&f, rule);
        assert!(!v.is_empty(), "{rule} reports");
        assert!(
            v.iter().all(|x| x.outcome != Outcome::Pass),
            "{rule} must not pass: {v:#?}"
        );
        assert!(
            v.iter()
                .any(|x| x.outcome == Outcome::Unknown && x.message.contains(needle)),
            "{rule} is unknown because of {needle}: {v:#?}"
        );
    }
    // Every rule that reads a collection with a gap is unknown, never an estate-wide pass.
    for x in &f {
        if x.subject.is_none() && x.outcome == Outcome::Pass {
            let rule = phiguard_rules::registry::find(x.rule).unwrap();
            for g in &audit.inventory.gaps {
                assert!(
                    !rule.reads.contains(&g.collection),
                    "{} passes estate-wide although {:?} could not be read",
                    x.rule,
                    g.collection
                );
            }
        }
    }
}

#[test]
fn no_credentials_is_a_clear_fatal_error() {
    let mock = Mock::new(|r| {
        Some(error(
            &r.service,
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        ))
    });
    let err = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(phiguard_aws::audit(&options(&mock)))
        .expect_err("nothing can be read");
    let msg = err.to_string();
    assert!(msg.contains("sts:GetCallerIdentity"), "{msg}");
    assert!(msg.contains("InvalidClientTokenId"), "{msg}");
    assert!(msg.contains("--profile"), "says how to fix it: {msg}");
}

#[test]
fn a_member_account_that_cannot_be_entered_is_unknown_not_absent() {
    // An organization of two accounts; the role cannot be assumed in the second.
    let mock = Mock::new(|r| {
        let org = |body: &str| json(body);
        match (r.service.as_str(), r.op.as_str()) {
            ("sts", "GetCallerIdentity") => basics(r),
            ("sts", "AssumeRole") => Some(error(
                "sts",
                403,
                "AccessDenied",
                "not authorized to perform sts:AssumeRole",
            )),
            ("organizations", "DescribeOrganization") => org(&format!(
                r#"{{"Organization":{{"Id":"o-abc","Arn":"arn:aws:organizations::{ACCOUNT}:organization/o-abc","FeatureSet":"ALL","MasterAccountId":"{ACCOUNT}"}}}}"#
            )),
            ("organizations", "ListRoots") => org(
                r#"{"Roots":[{"Id":"r-root","Name":"Root","Arn":"arn:aws:organizations::1:root/o-abc/r-root"}]}"#,
            ),
            ("organizations", "ListAccountsForParent") => {
                if r.body.contains("r-root") {
                    org(&format!(
                        r#"{{"Accounts":[{{"Id":"{ACCOUNT}","Name":"management","Status":"ACTIVE","Arn":"arn:aws:organizations::{ACCOUNT}:account/o-abc/{ACCOUNT}"}},{{"Id":"444455556666","Name":"prod","Status":"ACTIVE","Arn":"arn:aws:organizations::{ACCOUNT}:account/o-abc/444455556666"}}]}}"#
                    ))
                } else {
                    org(r#"{"Accounts":[]}"#)
                }
            }
            ("organizations", "ListOrganizationalUnitsForParent") => {
                org(r#"{"OrganizationalUnits":[]}"#)
            }
            ("organizations", "ListTagsForResource") => org(r#"{"Tags":[]}"#),
            ("organizations", "ListPolicies") => org(r#"{"Policies":[]}"#),
            ("organizations", "ListDelegatedAdministrators") => {
                org(r#"{"DelegatedAdministrators":[]}"#)
            }
            _ => None,
        }
    });
    let audit = run(&options(&mock));
    assert_eq!(
        audit.accounts,
        vec![ACCOUNT.to_string(), "444455556666".to_string()]
    );
    let blocked: Vec<_> = audit
        .inventory
        .gaps
        .iter()
        .filter(|g| g.operation == "sts:AssumeRole")
        .collect();
    assert!(!blocked.is_empty());
    assert!(blocked.iter().all(|g| g.reason.contains("AccessDenied")));
    let f = judge(&audit);
    // IAM-2 cannot be decided for the account that could not be entered.
    assert!(
        of(&f, "IAM-2")
            .iter()
            .any(|x| x.outcome == Outcome::Unknown && x.message.contains("444455556666")),
        "{:#?}",
        of(&f, "IAM-2")
    );
    // ORG-1 is judged from the organization that was read.
    assert!(of(&f, "ORG-1").iter().any(|x| x.outcome == Outcome::Pass));
}
