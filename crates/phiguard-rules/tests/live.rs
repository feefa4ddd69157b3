//! Rules on live inventories, built by hand as the live collector builds
//! them: one unit per account and region (and `global` per account), resources
//! with live origins, the organization's accounts, and gaps where a
//! collection failed.

use phiguard_model::*;
use phiguard_rules::{Config, Finding, Outcome, RunOptions, Severity};

const MGMT: &str = "000000000000";
const PROD: &str = "111111111111";
const DEV: &str = "222222222222";
const NOW: i64 = 1_800_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

#[derive(Default)]
struct Live {
    inv: Inventory,
    cfg: Config,
}

impl Live {
    fn new() -> Live {
        Live::default()
    }

    fn unit(&mut self, account: &str, region: &str) -> u32 {
        let name = format!("{account}/{region}");
        if let Some(i) = self.inv.units.iter().position(|u| u.name == name) {
            return i as u32;
        }
        self.inv.units.push(Unit {
            name,
            source: SourceKind::Live,
            account: Val::Known(account.into()),
            region: Val::Known(region.into()),
            account_role: Val::Known(None),
        });
        (self.inv.units.len() - 1) as u32
    }

    fn add(&mut self, kind: &str, name: &str, account: &str, region: &str) -> Rid {
        let unit = self.unit(account, region);
        let origin = Origin::Live {
            arn: format!("arn:aws:{kind}:{region}:{account}:{name}"),
            account: account.into(),
            region: region.into(),
        };
        self.inv.add_meta(kind, name, origin, unit)
    }

    fn org(&mut self, feature_set: &str) -> Rid {
        let rid = self.add("AWS::Organizations::Organization", "o-test", MGMT, "global");
        self.inv.organizations.push(Organization {
            rid,
            id: Val::Known("o-test".into()),
            feature_set: Val::Known(feature_set.into()),
            management_account: Val::Known(MGMT.into()),
        });
        rid
    }

    /// An audited account under the root and the OUs named (ids `ou-<name>`).
    fn account(&mut self, id: &str, ous: &[&str], role: Option<&str>) -> &mut OrgAccount {
        let rid = self.add("AWS::Organizations::Account", id, MGMT, "global");
        let mut path = vec![OrgNode {
            id: "r-root".into(),
            name: "Root".into(),
        }];
        path.extend(ous.iter().map(|o| OrgNode {
            id: format!("ou-{o}"),
            name: o.to_string(),
        }));
        self.inv.org_accounts.push(OrgAccount {
            rid,
            id: id.into(),
            name: Val::Known(format!("account {id}")),
            status: Val::Known("ACTIVE".into()),
            path: Val::Known(path),
            role: Val::Known(role.map(str::to_string)),
            public_access_block: Val::Known(Some(all_on())),
            tags: Val::Known(Default::default()),
            audited: true,
        });
        self.inv.org_accounts.last_mut().unwrap()
    }

    /// The management account, the prod account under ou-workloads/ou-prod,
    /// and the dev account under ou-workloads/ou-dev.
    fn org_with_accounts() -> Live {
        let mut l = Live::new();
        l.org("ALL");
        l.account(MGMT, &[], Some("management"));
        l.account(PROD, &["workloads", "prod"], Some("prod"));
        l.account(DEV, &["workloads", "dev"], Some("dev"));
        l
    }

    fn scp(&mut self, name: &str, actions: &[&str], targets: &[&str]) {
        let rid = self.add("AWS::Organizations::Policy", name, MGMT, "global");
        self.inv.org_policies.push(OrgPolicy {
            rid,
            name: Val::Known(name.into()),
            policy_type: Val::Known("SERVICE_CONTROL_POLICY".into()),
            document: Val::Known(PolicyDoc {
                statements: vec![deny(actions)],
            }),
            targets: Val::Known(targets.iter().map(|t| t.to_string()).collect()),
        });
    }

    fn gap(&mut self, account: &str, region: &str, collection: Collection) {
        let unit = self.unit(account, region);
        self.inv.gaps.push(Gap {
            unit,
            collection,
            operation: "svc:Operation".into(),
            reason: "AccessDenied".into(),
        });
    }

    fn run(&self, rule: &str) -> Vec<Finding> {
        let opts = RunOptions {
            complete: false,
            today: "2027-01-01".into(),
            only: vec![rule.into()],
            now_epoch: Some(NOW),
        };
        let f = phiguard_rules::run(&self.inv, &self.cfg, &opts);
        assert!(f.iter().all(|x| x.rule == rule));
        f
    }

    /// `(subject name or "estate", outcome)` of each finding of the rule.
    fn verdicts(&self, rule: &str) -> Vec<(String, Outcome)> {
        verdicts(&self.run(rule))
    }
}

fn verdicts(f: &[Finding]) -> Vec<(String, Outcome)> {
    f.iter()
        .map(|x| {
            (
                x.subject
                    .as_ref()
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| "estate".into()),
                x.outcome,
            )
        })
        .collect()
}

fn v(items: &[(&str, Outcome)]) -> Vec<(String, Outcome)> {
    items.iter().map(|(n, o)| (n.to_string(), *o)).collect()
}

fn all_on() -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    }
}

fn deny(actions: &[&str]) -> Statement {
    Statement {
        sid: None,
        effect: Effect::Deny,
        principal: None,
        not_principal: None,
        actions: actions.iter().map(|a| a.to_string()).collect(),
        not_actions: vec![],
        resources: vec!["*".into()],
        not_resources: vec![],
        conditions: vec![],
    }
}

use Outcome::{Fail, Pass, Unknown};

fn find<'a>(f: &'a [Finding], name: &str) -> &'a Finding {
    f.iter()
        .find(|x| x.subject.as_ref().is_some_and(|s| s.name == name))
        .unwrap_or_else(|| panic!("no finding on {name}: {f:#?}"))
}

// ------------------------------------------------------------ SCPs, per account

const TRAIL_ACTIONS: &[&str] = &[
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
];

#[test]
fn an_scp_at_the_root_binds_every_member_account() {
    let mut l = Live::org_with_accounts();
    l.scp("protect-trail", TRAIL_ACTIONS, &["r-root"]);
    let f = l.run("SCP-2");
    assert_eq!(verdicts(&f), v(&[(MGMT, Fail), (PROD, Pass), (DEV, Pass)]));
    // The management account is not bound: information, not a pass.
    let m = find(&f, MGMT);
    assert_eq!(m.severity, Severity::Info);
    assert!(m.message.contains("not bound by SCPs"), "{}", m.message);
    assert_eq!(find(&f, PROD).severity, Severity::High);
}

#[test]
fn an_scp_on_an_ou_binds_only_the_accounts_below_it() {
    let mut l = Live::org_with_accounts();
    l.scp("protect-trail", TRAIL_ACTIONS, &["ou-prod"]);
    let f = l.run("SCP-2");
    assert_eq!(verdicts(&f), v(&[(MGMT, Fail), (PROD, Pass), (DEV, Fail)]));
    let dev = find(&f, DEV);
    assert!(
        dev.message.contains("not in effect for the account"),
        "{}",
        dev.message
    );
    // An OU higher on the path counts too.
    let mut l = Live::org_with_accounts();
    l.scp("protect-trail", TRAIL_ACTIONS, &["ou-workloads"]);
    assert_eq!(
        l.verdicts("SCP-2"),
        v(&[(MGMT, Fail), (PROD, Pass), (DEV, Pass)])
    );
}

#[test]
fn an_scp_on_the_account_binds_that_account() {
    let mut l = Live::org_with_accounts();
    l.scp("protect-trail", TRAIL_ACTIONS, &[DEV]);
    assert_eq!(
        l.verdicts("SCP-2"),
        v(&[(MGMT, Fail), (PROD, Fail), (DEV, Pass)])
    );
}

#[test]
fn an_scp_on_an_ou_off_the_path_binds_nothing() {
    let mut l = Live::org_with_accounts();
    l.scp("protect-trail", TRAIL_ACTIONS, &["ou-sandbox"]);
    let f = l.run("SCP-2");
    assert_eq!(verdicts(&f), v(&[(MGMT, Fail), (PROD, Fail), (DEV, Fail)]));
    assert_eq!(find(&f, PROD).severity, Severity::High);
}

#[test]
fn an_account_whose_place_is_unknown_is_unknown() {
    let mut l = Live::org_with_accounts();
    l.account("333333333333", &[], Some("staging")).path =
        Val::unknown("organizations:ListParents: AccessDenied");
    l.scp("protect-trail", TRAIL_ACTIONS, &["ou-prod"]);
    let f = l.run("SCP-2");
    assert_eq!(find(&f, "333333333333").outcome, Unknown);
    // At the root, its place does not matter.
    let mut l = Live::org_with_accounts();
    l.account("333333333333", &[], Some("staging")).path = Val::unknown("denied");
    l.scp("protect-trail", TRAIL_ACTIONS, &["r-root"]);
    assert_eq!(find(&l.run("SCP-2"), "333333333333").outcome, Pass);
}

#[test]
fn accounts_outside_the_audit_are_not_judged() {
    let mut l = Live::org_with_accounts();
    l.account("444444444444", &[], None).audited = false;
    l.scp("protect-trail", TRAIL_ACTIONS, &["r-root"]);
    assert_eq!(
        l.verdicts("SCP-2"),
        v(&[(MGMT, Fail), (PROD, Pass), (DEV, Pass)])
    );
}

#[test]
fn other_scp_rules_are_judged_per_account() {
    let mut l = Live::org_with_accounts();
    l.scp(
        "guardrails",
        &["kms:ScheduleKeyDeletion", "kms:DisableKey", "iam:Create*"],
        &["ou-workloads"],
    );
    for rule in ["SCP-4", "SCP-5"] {
        assert_eq!(
            l.verdicts(rule),
            v(&[(MGMT, Fail), (PROD, Pass), (DEV, Pass)]),
            "{rule}"
        );
    }
    // A region deny in effect for prod only.
    let rid = l.add("AWS::Organizations::Policy", "regions", MGMT, "global");
    let mut s = deny(&["*"]);
    s.conditions.push(Condition {
        operator: "StringNotEquals".into(),
        key: "aws:RequestedRegion".into(),
        values: vec!["us-east-1".into()],
    });
    l.inv.org_policies.push(OrgPolicy {
        rid,
        name: Val::Known("regions".into()),
        policy_type: Val::Known("SERVICE_CONTROL_POLICY".into()),
        document: Val::Known(PolicyDoc {
            statements: vec![s],
        }),
        targets: Val::Known(vec![PROD.into()]),
    });
    assert_eq!(
        l.verdicts("SCP-3"),
        v(&[(MGMT, Fail), (PROD, Pass), (DEV, Fail)])
    );
}

#[test]
fn scp_1_also_needs_the_accounts_block_public_access() {
    let mut l = Live::org_with_accounts();
    l.scp(
        "no-public-s3",
        &[
            "s3:PutBucketPublicAccessBlock",
            "s3:PutAccountPublicAccessBlock",
        ],
        &["r-root"],
    );
    l.inv.org_accounts[2].public_access_block = Val::Known(Some(PublicAccessBlock {
        restrict_public_buckets: false,
        ..all_on()
    }));
    let f = l.run("SCP-1");
    assert_eq!(verdicts(&f), v(&[(MGMT, Fail), (PROD, Pass), (DEV, Fail)]));
    assert!(find(&f, DEV).message.contains("RestrictPublicBuckets"));
    assert_eq!(find(&f, MGMT).severity, Severity::Info);
    // The management account's own Block Public Access is not exempt.
    l.inv.org_accounts[0].public_access_block = Val::Known(None);
    let f = l.run("SCP-1");
    let m = find(&f, MGMT);
    assert_eq!((m.outcome, m.severity), (Fail, Severity::High));
    // Unknown Block Public Access is unknown.
    l.inv.org_accounts[1].public_access_block = Val::unknown("s3control: AccessDenied");
    assert_eq!(find(&l.run("SCP-1"), PROD).outcome, Unknown);
}

#[test]
fn a_missing_scp_is_not_a_failure_when_the_policies_could_not_be_read() {
    let mut l = Live::org_with_accounts();
    l.gap(MGMT, "global", Collection::OrgPolicies);
    let f = l.run("SCP-2");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("estate", Unknown),
            (MGMT, Fail),
            (PROD, Unknown),
            (DEV, Unknown)
        ])
    );
    assert!(
        f[0].message
            .contains("could not read org policies in 000000000000/global"),
        "{}",
        f[0].message
    );
}

// ------------------------------------------------------------ gaps in the engine

fn guardduty(l: &mut Live, account: &str, region: &str, enabled: bool) {
    let rid = l.add("AWS::GuardDuty::Detector", "detector", account, region);
    l.inv.guardduty.push(GuardDuty {
        rid,
        enabled: Val::Known(enabled),
        org_auto_enable: Val::Known(true),
        admin_account: Val::Known(Some("555555555555".into())),
    });
}

#[test]
fn a_gap_turns_an_estate_failure_into_unknown_and_is_reported() {
    let mut l = Live::new();
    l.unit(PROD, "us-east-1");
    let f = l.run("MON-1");
    assert_eq!(verdicts(&f), v(&[("estate", Fail)]));

    l.gap(PROD, "us-east-1", Collection::GuardDuty);
    l.gap(PROD, "us-east-1", Collection::GuardDuty);
    let f = l.run("MON-1");
    // The absence may be the gap; and the gap itself, once.
    assert_eq!(verdicts(&f), v(&[("estate", Unknown), ("estate", Unknown)]));
    assert!(
        f.iter().any(|x| x.message
            == "could not read guard duty in 111111111111/us-east-1: svc:Operation: AccessDenied"),
        "{f:#?}"
    );
    assert!(
        f.iter()
            .any(|x| x.message.contains("no GuardDuty detector"))
    );
}

#[test]
fn a_gap_leaves_findings_on_resources_standing() {
    let mut l = Live::new();
    guardduty(&mut l, PROD, "us-east-1", false);
    guardduty(&mut l, PROD, "us-west-2", true);
    l.gap(DEV, "us-east-1", Collection::GuardDuty);
    let f = l.run("MON-1");
    let mut got: Vec<(Option<String>, Outcome)> = f
        .iter()
        .map(|x| (x.subject.as_ref().map(|s| s.origin.location()), x.outcome))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (None, Unknown),
            (
                Some("arn:aws:AWS::GuardDuty::Detector:us-east-1:111111111111:detector".into()),
                Fail
            ),
            (
                Some("arn:aws:AWS::GuardDuty::Detector:us-west-2:111111111111:detector".into()),
                Pass
            ),
        ]
    );
}

#[test]
fn a_gap_in_what_a_rule_does_not_read_changes_nothing() {
    let mut l = Live::new();
    l.unit(PROD, "us-east-1");
    l.gap(PROD, "us-east-1", Collection::Macie);
    assert_eq!(l.verdicts("MON-1"), v(&[("estate", Fail)]));
}

// ------------------------------------------------------------ BAA-1

fn agreement(l: &mut Live, account: &str, name: &str, state: &str, scope: &str) {
    let rid = l.add("AWS::Artifact::Agreement", name, account, "global");
    l.inv.agreements.push(Agreement {
        rid,
        name: Val::Known(name.into()),
        state: Val::Known(state.into()),
        scope: Val::Known(scope.into()),
    });
}

#[test]
fn baa_1_an_organization_agreement_covers_every_account() {
    let mut l = Live::org_with_accounts();
    agreement(
        &mut l,
        MGMT,
        "AWS Customer Agreement",
        "ACTIVE",
        "ORGANIZATION",
    );
    agreement(
        &mut l,
        MGMT,
        "AWS Organizations Business Associate Addendum",
        "ACTIVE",
        "ORGANIZATION",
    );
    assert_eq!(
        l.verdicts("BAA-1"),
        v(&[(MGMT, Pass), (PROD, Pass), (DEV, Pass)])
    );
}

#[test]
fn baa_1_an_account_agreement_covers_its_account_only() {
    let mut l = Live::org_with_accounts();
    agreement(
        &mut l,
        PROD,
        "AWS Business Associate Addendum",
        "ACTIVE",
        "ACCOUNT",
    );
    agreement(&mut l, DEV, "AWS BAA", "CUSTOMER_TERMINATED", "ACCOUNT");
    assert_eq!(
        l.verdicts("BAA-1"),
        v(&[(MGMT, Fail), (PROD, Pass), (DEV, Fail)])
    );
}

#[test]
fn baa_1_is_unknown_where_the_agreements_could_not_be_read() {
    let mut l = Live::org_with_accounts();
    agreement(
        &mut l,
        PROD,
        "AWS Business Associate Addendum",
        "ACTIVE",
        "ACCOUNT",
    );
    l.gap(DEV, "global", Collection::Agreements);
    assert_eq!(
        l.verdicts("BAA-1"),
        v(&[
            ("estate", Unknown),
            (MGMT, Fail),
            (PROD, Pass),
            (DEV, Unknown)
        ])
    );
    // The management account holds the organization's agreement: every
    // account without its own is unknown.
    let mut l = Live::org_with_accounts();
    l.gap(MGMT, "global", Collection::Agreements);
    assert_eq!(
        l.verdicts("BAA-1"),
        v(&[
            ("estate", Unknown),
            (MGMT, Unknown),
            (PROD, Unknown),
            (DEV, Unknown)
        ])
    );
}

#[test]
fn baa_1_without_the_organizations_accounts_judges_the_estate() {
    let mut l = Live::new();
    l.unit(PROD, "global");
    assert_eq!(l.verdicts("BAA-1"), v(&[("estate", Fail)]));
    agreement(
        &mut l,
        PROD,
        "Business Associate Addendum",
        "ACTIVE",
        "ACCOUNT",
    );
    assert_eq!(l.verdicts("BAA-1"), v(&[("estate", Pass)]));
}

// ------------------------------------------------------------ ORG-1 .. ORG-4

#[test]
fn org_1_needs_an_organization_with_all_features() {
    let mut l = Live::new();
    l.org("ALL");
    assert_eq!(l.verdicts("ORG-1"), v(&[("o-test", Pass)]));
    let mut l = Live::new();
    l.org("CONSOLIDATED_BILLING");
    assert_eq!(l.verdicts("ORG-1"), v(&[("o-test", Fail)]));
    let mut l = Live::new();
    l.unit(PROD, "global");
    assert_eq!(l.verdicts("ORG-1"), v(&[("estate", Fail)]));
    l.gap(PROD, "global", Collection::Organization);
    assert_eq!(
        l.verdicts("ORG-1"),
        v(&[("estate", Unknown), ("estate", Unknown)])
    );
}

fn five_roles() -> Live {
    let mut l = Live::org_with_accounts();
    l.account("333333333333", &["workloads", "staging"], Some("staging"));
    l.account("444444444444", &["security"], Some("security"));
    l.account("555555555555", &["security"], Some("logs"));
    l
}

#[test]
fn org_2_needs_an_account_for_each_role() {
    let l = five_roles();
    assert_eq!(l.verdicts("ORG-2"), v(&[("estate", Pass)]));

    let mut l = Live::org_with_accounts();
    let f = l.run("ORG-2");
    assert_eq!(verdicts(&f), v(&[("estate", Fail)]));
    assert!(
        f[0].message.contains("staging, security, logs"),
        "{}",
        f[0].message
    );
    // A role from phiguard.toml counts.
    l.cfg.accounts.staging = vec!["333333333333".into()];
    l.cfg.accounts.security = Some("444444444444".into());
    l.cfg.accounts.logs = Some("555555555555".into());
    assert_eq!(l.verdicts("ORG-2"), v(&[("estate", Pass)]));

    // A role that cannot be read may be the missing one.
    let mut l = Live::org_with_accounts();
    l.account("333333333333", &[], None).role = Val::unknown("ListTagsForResource: AccessDenied");
    assert_eq!(l.verdicts("ORG-2"), v(&[("estate", Unknown)]));

    // A suspended account is no dedicated account.
    let mut l = five_roles();
    l.inv.org_accounts[5].status = Val::Known("SUSPENDED".into());
    assert_eq!(l.verdicts("ORG-2"), v(&[("estate", Fail)]));

    let mut l = Live::new();
    l.gap(MGMT, "global", Collection::Accounts);
    assert_eq!(
        l.verdicts("ORG-2"),
        v(&[("estate", Unknown), ("estate", Unknown)])
    );
}

fn instance(l: &mut Live, account: &str, name: &str, state: &str) {
    let rid = l.add("AWS::EC2::Instance", name, account, "us-east-1");
    l.inv.workloads.push(Workload {
        rid,
        state: Val::Known(state.into()),
    });
}

fn bucket(l: &mut Live, account: &str, name: &str) {
    let rid = l.add("AWS::S3::Bucket", name, account, "us-east-1");
    l.inv.buckets.push(Bucket {
        rid,
        name: Val::Known(name.into()),
        encryption: Val::unknown("not read"),
        versioning: Val::unknown("not read"),
        mfa_delete: Val::unknown("not read"),
        object_lock: Val::unknown("not read"),
        lock_retention: Val::unknown("not read"),
        lifecycle: Val::unknown("not read"),
        policy: Val::unknown("not read"),
        public_access_block: Val::unknown("not read"),
    });
}

#[test]
fn org_3_the_management_account_runs_no_workloads() {
    let mut l = Live::org_with_accounts();
    instance(&mut l, PROD, "i-prod", "running");
    bucket(&mut l, PROD, "prod-data");
    instance(&mut l, MGMT, "i-old", "terminated");
    assert_eq!(l.verdicts("ORG-3"), v(&[(MGMT, Pass)]));

    instance(&mut l, MGMT, "i-mgmt", "running");
    bucket(&mut l, MGMT, "org-trail-logs");
    let f = l.run("ORG-3");
    assert_eq!(verdicts(&f), v(&[(MGMT, Fail)]));
    assert!(
        f[0].message
            .contains("AWS::EC2::Instance i-mgmt, AWS::S3::Bucket org-trail-logs"),
        "{}",
        f[0].message
    );
    assert!(!f[0].message.contains("i-old") && !f[0].message.contains("prod-data"));
}

#[test]
fn org_3_allows_configured_buckets_and_is_unknown_on_a_gap() {
    let mut l = Live::org_with_accounts();
    bucket(&mut l, MGMT, "cur-reports-0001");
    assert_eq!(l.verdicts("ORG-3"), v(&[(MGMT, Fail)]));
    l.cfg.accounts.management_allowed_buckets = vec!["cur-reports-*".into()];
    assert_eq!(l.verdicts("ORG-3"), v(&[(MGMT, Pass)]));
    // A gap elsewhere does not matter to the management account.
    l.gap(PROD, "eu-west-1", Collection::Workloads);
    assert_eq!(l.verdicts("ORG-3"), v(&[("estate", Unknown), (MGMT, Pass)]));
    l.gap(MGMT, "eu-west-1", Collection::Workloads);
    let f = l.run("ORG-3");
    assert_eq!(find(&f, MGMT).outcome, Unknown);
    // What was found stays found.
    instance(&mut l, MGMT, "i-mgmt", "stopped");
    assert_eq!(find(&l.run("ORG-3"), MGMT).outcome, Fail);
}

#[test]
fn org_4_security_and_logs_are_separate() {
    let l = five_roles();
    assert_eq!(l.verdicts("ORG-4"), v(&[("estate", Pass)]));

    // phiguard.toml names one account for both.
    let mut l = five_roles();
    l.cfg.accounts.security = Some("555555555555".into());
    let f = l.run("ORG-4");
    assert_eq!(verdicts(&f), v(&[("estate", Fail)]));
    assert!(
        f[0].message
            .contains("the security account 555555555555 is also the logs account"),
        "{}",
        f[0].message
    );

    // The logs account is the management account.
    let mut l = five_roles();
    l.cfg.accounts.logs = Some(MGMT.into());
    let f = l.run("ORG-4");
    assert_eq!(verdicts(&f), v(&[("estate", Fail)]));
    assert!(f[0].message.contains("is also the management account"));

    // The security account runs workloads.
    let mut l = five_roles();
    l.cfg.accounts.prod = vec!["444444444444".into()];
    assert_eq!(l.verdicts("ORG-4"), v(&[("estate", Fail)]));

    // No security account at all.
    let l = Live::org_with_accounts();
    assert_eq!(l.verdicts("ORG-4"), v(&[("estate", Fail)]));
    let mut l = Live::org_with_accounts();
    l.gap(MGMT, "global", Collection::Accounts);
    assert_eq!(
        l.verdicts("ORG-4"),
        v(&[("estate", Unknown), ("estate", Unknown)])
    );
}

// ------------------------------------------------------------ IAM-2, IAM-3

fn root(l: &mut Live, account: &str, mfa: Val<bool>, keys: Val<bool>) {
    let rid = l.add("AWS::IAM::RootUser", account, account, "global");
    l.inv.root_users.push(RootUser {
        rid,
        mfa,
        access_keys: keys,
    });
}

#[test]
fn iam_2_the_root_user_has_mfa_and_no_keys() {
    let mut l = Live::new();
    root(&mut l, MGMT, Val::Known(true), Val::Known(false));
    root(&mut l, PROD, Val::Known(false), Val::Known(false));
    root(&mut l, DEV, Val::Known(true), Val::Known(true));
    root(
        &mut l,
        "333333333333",
        Val::unknown("denied"),
        Val::Known(false),
    );
    assert_eq!(
        l.verdicts("IAM-2"),
        v(&[
            (MGMT, Pass),
            (PROD, Fail),
            (DEV, Fail),
            ("333333333333", Unknown)
        ])
    );
    let mut l = Live::new();
    l.gap(PROD, "global", Collection::RootUser);
    assert_eq!(l.verdicts("IAM-2"), v(&[("estate", Unknown)]));
}

fn user(l: &mut Live, name: &str, password: Val<bool>, mfa: Val<bool>) {
    let rid = l.add("AWS::IAM::User", name, PROD, "global");
    l.inv.iam_users.push(IamUser {
        rid,
        name: Val::Known(name.into()),
        console_password: password,
        mfa,
    });
}

#[test]
fn iam_3_console_users_have_mfa() {
    let mut l = Live::new();
    user(&mut l, "alice", Val::Known(true), Val::Known(true));
    user(&mut l, "bob", Val::Known(true), Val::Known(false));
    user(&mut l, "ci", Val::Known(false), Val::Known(false));
    user(
        &mut l,
        "eve",
        Val::unknown("no credential report"),
        Val::Known(false),
    );
    let f = l.run("IAM-3");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("alice", Pass),
            ("bob", Fail),
            ("ci", Pass),
            ("eve", Unknown)
        ])
    );
    assert_eq!(find(&f, "ci").message, "no console password");
    let mut l = Live::new();
    l.gap(PROD, "global", Collection::IamUsers);
    assert_eq!(l.verdicts("IAM-3"), v(&[("estate", Unknown)]));
}

// ------------------------------------------------------------ SEC-2

fn secret(l: &mut Live, name: &str, rotation: Option<u32>, last: Option<i64>) {
    let rid = l.add("AWS::SecretsManager::Secret", name, PROD, "us-east-1");
    l.inv.secrets.push(Secret {
        rid,
        name: Val::Known(name.into()),
        key: Val::Known(KeyRef::AwsManaged("aws/secretsmanager".into())),
        rotation_enabled: Val::Known(rotation.is_some()),
        rotation_days: Val::Known(rotation),
        last_rotated: Val::Known(last),
    });
}

#[test]
fn sec_2_rotating_secrets_have_rotated() {
    let mut l = Live::new();
    secret(&mut l, "fresh", Some(30), Some(NOW - 10 * DAY));
    secret(&mut l, "stale", Some(30), Some(NOW - 40 * DAY));
    secret(&mut l, "never", Some(30), None);
    secret(&mut l, "manual", None, None);
    secret(&mut l, "edge", Some(30), Some(NOW - 30 * DAY - HOUR));
    let f = l.run("SEC-2");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("edge", Pass),
            ("fresh", Pass),
            ("never", Fail),
            ("stale", Fail)
        ])
    );
    assert!(find(&f, "stale").message.contains("40 days ago"));
    l.inv.secrets[0].last_rotated = Val::unknown("denied");
    assert_eq!(find(&l.run("SEC-2"), "fresh").outcome, Unknown);
    let mut l = Live::new();
    l.gap(PROD, "us-east-1", Collection::Secrets);
    assert_eq!(l.verdicts("SEC-2"), v(&[("estate", Unknown)]));
}

// ------------------------------------------------------------ LOG-5

fn trail(l: &mut Live, name: &str, error: Val<Option<String>>) {
    let rid = l.add("AWS::CloudTrail::Trail", name, MGMT, "us-east-1");
    l.inv.trails.push(Trail {
        rid,
        name: Val::Known(name.into()),
        organization: Val::unknown("not read"),
        multi_region: Val::unknown("not read"),
        global_events: Val::unknown("not read"),
        logging: Val::unknown("not read"),
        management_events: Val::unknown("not read"),
        s3_data: Val::unknown("not read"),
        dynamodb_data: Val::unknown("not read"),
        log_validation: Val::unknown("not read"),
        key: Val::unknown("not read"),
        bucket: Val::unknown("not read"),
        log_group: Val::unknown("not read"),
        delivery_error: error,
    });
}

#[test]
fn log_5_trails_deliver_without_errors() {
    let mut l = Live::new();
    trail(&mut l, "org", Val::Known(None));
    trail(&mut l, "broken", Val::Known(Some("AccessDenied".into())));
    trail(
        &mut l,
        "unread",
        Val::unknown("GetTrailStatus: AccessDenied"),
    );
    let f = l.run("LOG-5");
    assert_eq!(
        verdicts(&f),
        v(&[("broken", Fail), ("org", Pass), ("unread", Unknown)])
    );
    assert!(find(&f, "broken").message.contains("AccessDenied"));
    let mut l = Live::new();
    l.gap(MGMT, "us-east-1", Collection::Trails);
    assert_eq!(l.verdicts("LOG-5"), v(&[("estate", Unknown)]));
}

// ------------------------------------------------------------ CVE-2

fn vuln(l: &mut Live, id: &str, severity: &str, status: &str, age: i64) {
    let rid = l.add("AWS::Inspector2::Finding", id, PROD, "us-east-1");
    l.inv.vuln_findings.push(VulnFinding {
        rid,
        title: Val::Known(format!("CVE for {id}")),
        severity: Val::Known(severity.into()),
        status: Val::Known(status.into()),
        first_observed: Val::Known(NOW - age),
        resource: Val::Known("i-0123".into()),
    });
}

#[test]
fn cve_2_no_vulnerability_is_past_its_sla() {
    let mut l = Live::new();
    vuln(&mut l, "crit-new", "CRITICAL", "ACTIVE", 10 * HOUR);
    vuln(&mut l, "high-new", "HIGH", "ACTIVE", 3 * DAY);
    vuln(&mut l, "medium-old", "MEDIUM", "ACTIVE", 300 * DAY);
    vuln(&mut l, "crit-closed", "CRITICAL", "CLOSED", 300 * DAY);
    let f = l.run("CVE-2");
    assert_eq!(verdicts(&f), v(&[("estate", Pass)]));
    assert!(
        f[0].message.contains("2 open within it"),
        "{}",
        f[0].message
    );

    vuln(&mut l, "crit-old", "CRITICAL", "ACTIVE", 72 * HOUR);
    vuln(&mut l, "high-old", "HIGH", "ACTIVE", 20 * DAY);
    let f = l.run("CVE-2");
    assert_eq!(verdicts(&f), v(&[("crit-old", Fail), ("high-old", Fail)]));
    assert!(
        find(&f, "crit-old").message.contains("72 hours")
            && find(&f, "crit-old").message.contains("48 hours"),
        "{}",
        find(&f, "crit-old").message
    );
    assert!(find(&f, "high-old").message.contains("20 days"));

    // The SLA is configurable.
    l.cfg.limits.critical_sla_hours = 96;
    l.cfg.limits.high_sla_days = 30;
    assert_eq!(l.verdicts("CVE-2"), v(&[("estate", Pass)]));
}

#[test]
fn cve_2_unknown_fields_and_gaps_are_unknown() {
    let mut l = Live::new();
    vuln(&mut l, "crit", "CRITICAL", "ACTIVE", HOUR);
    l.inv.vuln_findings[0].first_observed = Val::unknown("no firstObservedAt");
    assert_eq!(l.verdicts("CVE-2"), v(&[("crit", Unknown)]));

    let mut l = Live::new();
    vuln(&mut l, "crit", "CRITICAL", "ACTIVE", HOUR);
    l.gap(DEV, "us-east-1", Collection::VulnFindings);
    // No estate pass: the overdue finding may be in what was not read.
    assert_eq!(l.verdicts("CVE-2"), v(&[("estate", Unknown)]));
}

// ------------------------------------------------------------ RET-1, live roles

#[test]
fn ret_1_takes_the_logs_account_from_the_organization() {
    let mut l = Live::org_with_accounts();
    l.account("555555555555", &["security"], Some("logs"));
    bucket(&mut l, "555555555555", "org-trail-logs");
    trail(&mut l, "org", Val::Known(None));
    l.inv.trails[0].organization = Val::Known(true);
    l.inv.trails[0].bucket = Val::Known(Link::External("org-trail-logs".into()));
    assert_eq!(l.verdicts("RET-1"), v(&[("org-trail-logs", Pass)]));
    l.inv.org_accounts[3].role = Val::Known(Some("prod".into()));
    assert_eq!(l.verdicts("RET-1"), v(&[("org-trail-logs", Fail)]));
}

#[test]
fn mon_1_takes_the_security_account_from_the_organization() {
    let mut l = Live::org_with_accounts();
    l.account("555555555555", &["security"], Some("security"));
    guardduty(&mut l, PROD, "us-east-1", true);
    assert_eq!(l.verdicts("MON-1"), v(&[("detector", Pass)]));
    l.inv.guardduty[0].admin_account = Val::Known(Some(DEV.into()));
    let f = l.run("MON-1");
    assert_eq!(verdicts(&f), v(&[("detector", Fail)]));
    assert!(
        f[0].message
            .contains("not the security account 555555555555"),
        "{}",
        f[0].message
    );
}

/// Findings do not depend on the order in which accounts, policies and
/// agreements were read.
#[test]
fn live_findings_do_not_depend_on_read_order() {
    let mut l = five_roles();
    l.scp("protect-trail", TRAIL_ACTIONS, &["ou-workloads"]);
    l.scp("more", &["cloudtrail:*"], &["444444444444"]);
    agreement(
        &mut l,
        PROD,
        "AWS Business Associate Addendum",
        "ACTIVE",
        "ACCOUNT",
    );
    agreement(
        &mut l,
        MGMT,
        "AWS Customer Agreement",
        "ACTIVE",
        "ORGANIZATION",
    );
    l.gap(DEV, "global", Collection::Agreements);
    let rules = ["SCP-2", "BAA-1", "ORG-2", "ORG-4"];
    let before: Vec<_> = rules.iter().map(|r| l.verdicts(r)).collect();
    let messages: Vec<Vec<String>> = rules
        .iter()
        .map(|r| l.run(r).into_iter().map(|f| f.message).collect())
        .collect();
    l.inv.org_accounts.reverse();
    l.inv.org_policies.reverse();
    l.inv.agreements.reverse();
    l.inv.gaps.reverse();
    let after: Vec<_> = rules.iter().map(|r| l.verdicts(r)).collect();
    let messages_after: Vec<Vec<String>> = rules
        .iter()
        .map(|r| l.run(r).into_iter().map(|f| f.message).collect())
        .collect();
    assert_eq!(before, after);
    assert_eq!(messages, messages_after);
}

#[test]
fn a_policies_gap_leaves_scp_1s_block_public_access_failure_standing() {
    let mut l = Live::org_with_accounts();
    l.gap(MGMT, "global", Collection::OrgPolicies);
    l.inv.org_accounts[1].public_access_block = Val::Known(None);
    assert_eq!(
        l.verdicts("SCP-1"),
        v(&[
            ("estate", Unknown),
            (MGMT, Fail),
            (PROD, Fail),
            (DEV, Unknown)
        ])
    );
}

/// IR-1 judges the runbooks' attestation in phiguard.toml; the live audit
/// fails its absence.
#[test]
fn ir_1_judges_the_runbooks_attestation_in_an_audit() {
    let mut l = Live::new();
    l.org("ALL");
    assert_eq!(l.verdicts("IR-1"), v(&[("estate", Fail)]));
    // NOW is 2027-01-15: reviewed 2026-06-01 is within 365 days.
    l.cfg = Config::from_toml(
        "[baseline.runbooks]\nlocation = 'https://wiki.example.com/ir'\nreviewed = '2026-06-01'\n\
         scenarios = ['ec2-isolation', 'credential-rotation', 'database-failover', 'incident-declaration', 'restore-drill']\n",
    )
    .unwrap();
    assert_eq!(l.verdicts("IR-1"), v(&[("estate", Pass)]));
    l.cfg.baseline.runbooks.reviewed = Some("2025-06-01".into());
    let f = l.run("IR-1");
    assert_eq!(verdicts(&f), v(&[("estate", Fail)]));
    assert!(f[0].message.contains("more than 365"), "{}", f[0].message);
}

// ------------------------------------------------------------ caches and warehouses

/// A customer-managed key of `PROD` in us-east-1.
fn cmk(l: &mut Live, id: &str) -> KeyRef {
    let rid = l.add("AWS::KMS::Key", id, PROD, "us-east-1");
    l.inv.kms_keys.push(KmsKey {
        rid,
        key_id: Val::Known(id.into()),
        manager: Val::Known(KeyManager::Customer),
        symmetric: Val::Known(true),
        origin: Val::Known("AWS_KMS".into()),
        rotation_enabled: Val::Known(true),
        policy: Val::Known(PolicyDoc { statements: vec![] }),
        state: Val::Known(KeyState::Enabled),
        aliases: vec![],
    });
    KeyRef::Key(rid)
}

fn cache(
    l: &mut Live,
    name: &str,
    kind: CacheKind,
    engine: &str,
    at_rest: bool,
    key: KeyRef,
    transit: TransitMode,
) {
    let ty = match kind {
        CacheKind::ReplicationGroup => "AWS::ElastiCache::ReplicationGroup",
        CacheKind::Standalone => "AWS::ElastiCache::CacheCluster",
        CacheKind::Serverless => "AWS::ElastiCache::ServerlessCache",
    };
    let rid = l.add(ty, name, PROD, "us-east-1");
    l.inv.cache_clusters.push(CacheCluster {
        rid,
        kind,
        engine: Val::Known(engine.into()),
        at_rest_encrypted: Val::Known(at_rest),
        key: Val::Known(key),
        transit: Val::Known(transit),
    });
}

/// ENC-15 and TLS-9 on what DescribeReplicationGroups, DescribeCacheClusters
/// and DescribeServerlessCaches report.
#[test]
fn enc_15_and_tls_9_judge_every_live_cache() {
    use CacheKind::*;
    use TransitMode::*;
    let mut l = Live::new();
    let key = cmk(&mut l, "cache-key");
    cache(
        &mut l,
        "sessions",
        ReplicationGroup,
        "valkey",
        true,
        key.clone(),
        Required,
    );
    cache(
        &mut l,
        "plain",
        ReplicationGroup,
        "redis",
        false,
        KeyRef::AwsOwned,
        Off,
    );
    cache(
        &mut l,
        "service-key",
        ReplicationGroup,
        "redis",
        true,
        KeyRef::AwsOwned,
        Preferred,
    );
    cache(
        &mut l,
        "single",
        Standalone,
        "redis",
        false,
        KeyRef::AwsOwned,
        Off,
    );
    cache(
        &mut l,
        "memcached",
        Standalone,
        "memcached",
        false,
        KeyRef::AwsOwned,
        Required,
    );
    cache(&mut l, "events", Serverless, "valkey", true, key, Required);
    cache(
        &mut l,
        "default-serverless",
        Serverless,
        "redis",
        true,
        KeyRef::AwsOwned,
        Required,
    );
    cache(
        &mut l,
        "other-key",
        ReplicationGroup,
        "redis",
        true,
        KeyRef::External("arn:aws:kms:us-east-1:999999999999:key/elsewhere".into()),
        Required,
    );
    assert_eq!(
        l.verdicts("ENC-15"),
        // By name; node-based Memcached keeps nothing at rest: not judged.
        v(&[
            ("default-serverless", Fail),
            ("events", Pass),
            ("other-key", Unknown),
            ("plain", Fail),
            ("service-key", Fail),
            ("sessions", Pass),
            ("single", Fail),
        ])
    );
    let f = l.run("ENC-15");
    assert!(
        find(&f, "service-key")
            .message
            .contains("service-managed key"),
        "{f:#?}"
    );
    assert_eq!(
        l.verdicts("TLS-9"),
        v(&[
            ("default-serverless", Pass),
            ("events", Pass),
            ("memcached", Pass),
            ("other-key", Pass),
            ("plain", Fail),
            ("service-key", Fail),
            ("sessions", Pass),
            ("single", Fail),
        ])
    );
    assert!(
        find(&l.run("TLS-9"), "service-key")
            .message
            .contains("preferred"),
    );
    // What could not be read is reported, and the caches read still stand.
    l.gap(PROD, "us-west-2", Collection::Caches);
    let f = l.run("TLS-9");
    assert!(
        f.iter()
            .any(|x| x.subject.is_none() && x.outcome == Unknown)
    );
    assert_eq!(find(&f, "plain").outcome, Fail);
}

fn warehouse(
    l: &mut Live,
    name: &str,
    encrypted: bool,
    key: KeyRef,
    group: &str,
    require_ssl: Val<bool>,
    public: bool,
) {
    let rid = l.add("AWS::Redshift::Cluster", name, PROD, "us-east-1");
    l.inv.warehouses.push(Warehouse {
        rid,
        serverless: false,
        encrypted: Val::Known(encrypted),
        key: Val::Known(key),
        parameter_group: Val::Known(Some(group.into())),
        require_ssl,
        publicly_accessible: Val::Known(public),
    });
}

/// ENC-16 and TLS-10 on what DescribeClusters and DescribeClusterParameters report.
#[test]
fn enc_16_and_tls_10_judge_every_live_cluster() {
    let mut l = Live::new();
    let key = cmk(&mut l, "warehouse-key");
    warehouse(
        &mut l,
        "claims",
        true,
        key,
        "phi-ssl",
        Val::Known(true),
        false,
    );
    warehouse(
        &mut l,
        "default-key",
        true,
        KeyRef::AwsOwned,
        "default.redshift-1.0",
        Val::Known(false),
        true,
    );
    warehouse(
        &mut l,
        "legacy",
        false,
        KeyRef::AwsOwned,
        "phi-logging",
        Val::Known(false),
        false,
    );
    warehouse(
        &mut l,
        "rebooting",
        true,
        KeyRef::AwsManaged("aws/redshift".into()),
        "phi-ssl",
        Val::unknown(
            "parameter group phi-ssl sets require_ssl to true, but the change waits for a reboot of the cluster",
        ),
        false,
    );
    assert_eq!(
        l.verdicts("ENC-16"),
        v(&[
            ("claims", Pass),
            ("default-key", Fail),
            ("legacy", Fail),
            ("rebooting", Fail),
        ])
    );
    let f = l.run("ENC-16");
    assert!(
        find(&f, "default-key")
            .message
            .contains("not a customer-managed key"),
        "{f:#?}"
    );
    assert!(find(&f, "legacy").message.contains("not encrypted"));
    assert_eq!(
        l.verdicts("TLS-10"),
        v(&[
            ("claims", Pass),
            ("default-key", Fail),
            ("legacy", Fail),
            ("rebooting", Unknown),
        ])
    );
    let f = l.run("TLS-10");
    let m = &find(&f, "default-key").message;
    assert!(
        m.contains("default parameter group") && m.contains("publicly accessible"),
        "{m}"
    );
}
