//! Waivers on live resources: the `phiguard:waive` tag, read by
//! `Inventory::add_tag_waivers` (as `phiguard audit` does), applied by the
//! engine; stale and expired ones say so.

use phiguard_model::*;
use phiguard_rules::{Config, Outcome, RunOptions, run, stale_waivers};
use std::collections::BTreeMap;

fn live_bucket(inv: &mut Inventory, name: &str, sse: BucketSse, waive: Option<&str>) {
    if inv.units.is_empty() {
        inv.units.push(Unit {
            name: "111122223333/us-east-1".into(),
            source: SourceKind::Live,
            account: Val::Known("111122223333".into()),
            region: Val::Known("us-east-1".into()),
            account_role: Val::Known(None),
        });
    }
    let rid = inv.add_meta(
        "AWS::S3::Bucket",
        name,
        Origin::Live {
            arn: format!("arn:aws:s3:::{name}"),
            account: "111122223333".into(),
            region: "us-east-1".into(),
        },
        0,
    );
    let mut tags = BTreeMap::from([("data-class".to_string(), "phi".to_string())]);
    if let Some(w) = waive {
        tags.insert("phiguard:waive".into(), w.into());
    }
    inv.meta_mut(rid).tags = Val::Known(tags);
    inv.buckets.push(Bucket {
        rid,
        name: Val::Known(name.into()),
        encryption: Val::Known(sse),
        versioning: Val::unknown("not read"),
        mfa_delete: Val::unknown("not read"),
        object_lock: Val::unknown("not read"),
        lock_retention: Val::unknown("not read"),
        lifecycle: Val::unknown("not read"),
        policy: Val::unknown("not read"),
        public_access_block: Val::unknown("not read"),
        public_acl: Val::unknown("not read"),
        object_ownership: Val::unknown("not read"),
    });
}

#[test]
fn live_tags_waive_expire_go_stale_and_report_bad_tags() {
    let mut inv = Inventory::default();
    live_bucket(
        &mut inv,
        "archive",
        BucketSse::None,
        Some("ENC-2 owner=data-team expires=2999-12-31 reason=read-only archive"),
    );
    live_bucket(
        &mut inv,
        "old",
        BucketSse::S3,
        Some("ENC-2 owner=data-team expires=2020-01-31 reason=ran out"),
    );
    live_bucket(
        &mut inv,
        "broken",
        BucketSse::None,
        Some("ENC-2 owner=data-team"),
    );
    let errors = inv.add_tag_waivers();
    assert_eq!(errors.len(), 1);
    assert_eq!(inv.meta(errors[0].0).name, "broken");
    assert!(errors[0].1.contains("tag phiguard:waive") && errors[0].1.contains("no expires="));

    let cfg = Config::default();
    let opts = RunOptions {
        today: "2026-06-01".into(),
        only: vec!["ENC-2".into()],
        ..Default::default()
    };
    let findings = run(&inv, &cfg, &opts);
    let of = |name: &str| {
        findings
            .iter()
            .find(|f| f.subject.as_ref().is_some_and(|s| s.name == name))
            .unwrap()
    };
    assert_eq!(of("archive").outcome, Outcome::Waived);
    assert_eq!(of("old").outcome, Outcome::Fail);
    assert!(
        of("old")
            .waiver
            .as_deref()
            .unwrap()
            .contains("expired on 2020-01-31")
    );
    assert_eq!(of("broken").outcome, Outcome::Fail);
    assert!(stale_waivers(&findings, &inv, &cfg).is_empty());

    // The archive is fixed (a customer-managed key): its waiver is now stale.
    let key = inv.add_meta(
        "AWS::KMS::Key",
        "phi-key",
        Origin::Live {
            arn: "arn:aws:kms:us-east-1:111122223333:key/1".into(),
            account: "111122223333".into(),
            region: "us-east-1".into(),
        },
        0,
    );
    inv.kms_keys.push(KmsKey {
        rid: key,
        key_id: Val::Known("1".into()),
        manager: Val::Known(KeyManager::Customer),
        symmetric: Val::Known(true),
        rotation_enabled: Val::Known(true),
        policy: Val::unknown("not read"),
        state: Val::Known(KeyState::Enabled),
        origin: Val::Known("AWS_KMS".into()),
        aliases: vec![],
    });
    inv.buckets[0].encryption = Val::Known(BucketSse::Kms(Val::Known(KeyRef::Key(key))));
    let findings = run(&inv, &cfg, &opts);
    assert_eq!(of2(&findings, "archive"), Outcome::Pass);
    let stale = stale_waivers(&findings, &inv, &cfg);
    assert!(
        stale.len() == 1 && stale[0].contains("arn:aws:s3:::archive"),
        "{stale:?}"
    );
}

fn of2(findings: &[phiguard_rules::Finding], name: &str) -> Outcome {
    findings
        .iter()
        .find(|f| f.subject.as_ref().is_some_and(|s| s.name == name))
        .unwrap()
        .outcome
}
