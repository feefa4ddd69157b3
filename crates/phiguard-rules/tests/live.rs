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
        public_acl: Val::unknown("not read"),
        object_ownership: Val::unknown("not read"),
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
        policy: Val::Known(None),
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

// ------------------------------------------------------------ ENC-7, ENC-8, ENC-9, TLS-7

/// A customer-managed key of the prod account, as the collector reads it.
fn cmk(l: &mut Live) -> Rid {
    let rid = l.add("AWS::KMS::Key", "key-1", PROD, "us-east-1");
    l.inv.kms_keys.push(KmsKey {
        rid,
        key_id: Val::Known("key-1".into()),
        manager: Val::Known(KeyManager::Customer),
        symmetric: Val::Known(true),
        origin: Val::Known("AWS_KMS".into()),
        rotation_enabled: Val::Known(true),
        policy: Val::Known(PolicyDoc::default()),
        state: Val::Known(KeyState::Enabled),
        aliases: vec!["alias/phi".into()],
    });
    rid
}

/// Tags as the collector sets them: `phi=true`, untagged, or unreadable.
fn tag(l: &mut Live, rid: Rid, phi: Option<bool>) {
    l.inv.meta_mut(rid).tags = match phi {
        Some(true) => Val::Known([("phi".to_string(), "true".to_string())].into()),
        Some(false) => Val::Known(Default::default()),
        None => Val::unknown("sqs:ListQueueTags: AccessDenied (HTTP 403)"),
    };
}

fn queue(
    l: &mut Live,
    name: &str,
    phi: Option<bool>,
    key: Option<KeyRef>,
    policy: Option<PolicyDoc>,
) {
    let rid = l.add("AWS::SQS::Queue", name, PROD, "us-east-1");
    tag(l, rid, phi);
    l.inv.queues.push(Queue {
        rid,
        name: Val::Known(name.into()),
        key: Val::Known(key),
        policy: Val::Known(policy),
    });
}

fn topic(l: &mut Live, name: &str, key: Option<KeyRef>, policy: Option<PolicyDoc>) {
    let rid = l.add("AWS::SNS::Topic", name, PROD, "us-east-1");
    tag(l, rid, Some(true));
    l.inv.topics.push(Topic {
        rid,
        name: Val::Known(name.into()),
        key: Val::Known(key),
        policy: Val::Known(policy),
    });
}

/// `Deny` of `actions` to everyone where aws:SecureTransport is false.
fn deny_plain_http(actions: &[&str]) -> PolicyDoc {
    PolicyDoc {
        statements: vec![Statement {
            sid: Some("DenyInsecureTransport".into()),
            effect: Effect::Deny,
            principal: Some(Principals {
                wildcard: true,
                ..Default::default()
            }),
            not_principal: None,
            actions: actions.iter().map(|a| a.to_string()).collect(),
            not_actions: vec![],
            resources: vec!["*".into()],
            not_resources: vec![],
            conditions: vec![Condition {
                operator: "Bool".into(),
                key: "aws:SecureTransport".into(),
                values: vec!["false".into()],
            }],
        }],
    }
}

#[test]
fn enc_7_phi_queues_use_a_customer_managed_key() {
    let mut l = Live::new();
    let k = cmk(&mut l);
    queue(&mut l, "intake", Some(true), Some(KeyRef::Key(k)), None);
    queue(&mut l, "sse-sqs", Some(true), Some(KeyRef::AwsOwned), None);
    queue(
        &mut l,
        "aws-sqs",
        Some(true),
        Some(KeyRef::AwsManaged("aws/sqs".into())),
        None,
    );
    queue(&mut l, "plain", Some(true), None, None);
    queue(&mut l, "build-events", Some(false), None, None);
    queue(&mut l, "tags-denied", None, Some(KeyRef::Key(k)), None);
    let f = l.run("ENC-7");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("aws-sqs", Fail),
            ("intake", Pass),
            ("plain", Fail),
            ("sse-sqs", Fail),
            ("tags-denied", Unknown),
        ])
    );
    assert!(find(&f, "sse-sqs").message.contains("SSE-SQS"));
    assert!(find(&f, "aws-sqs").message.contains("aws/sqs"));
    assert!(find(&f, "tags-denied").message.contains("PHI scope"));
}

#[test]
fn enc_8_and_enc_9_topics_and_streams_use_a_customer_managed_key() {
    let mut l = Live::new();
    let k = cmk(&mut l);
    topic(&mut l, "alerts", Some(KeyRef::Key(k)), None);
    topic(
        &mut l,
        "aws-sns",
        Some(KeyRef::AwsManaged("aws/sns".into())),
        None,
    );
    topic(&mut l, "plain", None, None);
    // A key outside the estate, by id: whether it is customer-managed cannot be told.
    topic(
        &mut l,
        "foreign",
        Some(KeyRef::External("1234abcd-12ab".into())),
        None,
    );
    assert_eq!(
        l.verdicts("ENC-8"),
        v(&[
            ("alerts", Pass),
            ("aws-sns", Fail),
            ("foreign", Unknown),
            ("plain", Fail)
        ])
    );
    for (name, key) in [
        ("events", Some(KeyRef::Key(k))),
        (
            "aws-kinesis",
            Some(KeyRef::AwsManaged("aws/kinesis".into())),
        ),
        ("plain", None),
    ] {
        let rid = l.add("AWS::Kinesis::Stream", name, PROD, "us-east-1");
        tag(&mut l, rid, Some(true));
        l.inv.streams.push(Stream {
            rid,
            name: Val::Known(name.into()),
            key: Val::Known(key),
        });
    }
    let f = l.run("ENC-9");
    assert_eq!(
        verdicts(&f),
        v(&[("aws-kinesis", Fail), ("events", Pass), ("plain", Fail)])
    );
    assert!(find(&f, "plain").message.contains("not encrypted"));
}

#[test]
fn tls_7_queues_and_topics_deny_plain_http() {
    let mut l = Live::new();
    let k = cmk(&mut l);
    let sqs_all = deny_plain_http(&["sqs:*"]);
    queue(
        &mut l,
        "denied",
        Some(true),
        Some(KeyRef::Key(k)),
        Some(sqs_all.clone()),
    );
    queue(&mut l, "no-policy", Some(true), Some(KeyRef::Key(k)), None);
    // Denies plain HTTP for sending only: messages can still be read without TLS.
    let send_only = deny_plain_http(&["sqs:SendMessage"]);
    queue(
        &mut l,
        "send-only",
        Some(true),
        Some(KeyRef::Key(k)),
        Some(send_only),
    );
    queue(&mut l, "not-phi", Some(false), None, None);
    // The default topic policy (as GetTopicAttributes returns it) has no Deny.
    topic(
        &mut l,
        "default-policy",
        Some(KeyRef::Key(k)),
        Some(PolicyDoc::default()),
    );
    topic(
        &mut l,
        "publish-denied",
        Some(KeyRef::Key(k)),
        Some(deny_plain_http(&["SNS:Publish"])),
    );
    // An SQS Deny on a topic covers nothing of SNS.
    topic(&mut l, "wrong-service", Some(KeyRef::Key(k)), Some(sqs_all));
    let f = l.run("TLS-7");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("default-policy", Fail),
            ("denied", Pass),
            ("no-policy", Fail),
            ("publish-denied", Pass),
            ("send-only", Fail),
            ("wrong-service", Fail),
        ])
    );
    assert!(find(&f, "no-policy").message.contains("no queue policy"));
}

#[test]
fn queue_rules_are_unknown_where_attributes_could_not_be_read() {
    let mut l = Live::new();
    let rid = l.add("AWS::SQS::Queue", "denied-attrs", PROD, "us-east-1");
    tag(&mut l, rid, Some(true));
    let why = "sqs:GetQueueAttributes: AccessDenied (HTTP 403)";
    l.inv.queues.push(Queue {
        rid,
        name: Val::Known("denied-attrs".into()),
        key: Val::unknown(why),
        policy: Val::unknown(why),
    });
    for rule in ["ENC-7", "TLS-7"] {
        let f = l.run(rule);
        assert_eq!(verdicts(&f), v(&[("denied-attrs", Unknown)]), "{rule}");
        assert!(f[0].message.contains("AccessDenied"), "{rule}");
    }
}

// ------------------------------------------------------------ OpenSearch domains

/// A KMS key of `account`, customer- or AWS-managed, as the KMS collector reads it.
fn kms_key(l: &mut Live, account: &str, id: &str, manager: KeyManager) -> Rid {
    let rid = l.add("AWS::KMS::Key", id, account, "us-east-1");
    l.inv.kms_keys.push(KmsKey {
        rid,
        key_id: Val::Known(id.into()),
        manager: Val::Known(manager),
        symmetric: Val::Known(true),
        origin: Val::Known("AWS_KMS".into()),
        rotation_enabled: Val::Known(true),
        policy: Val::Known(PolicyDoc::default()),
        state: Val::Known(KeyState::Enabled),
        aliases: vec![],
    });
    rid
}

/// A domain as `es:DescribeDomains` shows a compliant one: encrypted under
/// `key`, HTTPS with a TLS 1.2 policy, node-to-node encryption, in a VPC, no policy.
fn search_domain<'a>(l: &'a mut Live, name: &str, key: KeyRef) -> &'a mut SearchDomain {
    let rid = l.add("AWS::OpenSearchService::Domain", name, PROD, "us-east-1");
    l.inv.search_domains.push(SearchDomain {
        rid,
        name: Val::Known(name.into()),
        encrypted: Val::Known(true),
        key: Val::Known(key),
        enforce_https: Val::Known(true),
        tls_policy: Val::Known(Some("Policy-Min-TLS-1-2-PFS-2023-10".into())),
        node_to_node: Val::Known(true),
        in_vpc: Val::Known(true),
        access_policy: Val::Known(None),
    });
    l.inv.search_domains.last_mut().unwrap()
}

/// `{"Effect": "Allow", "Principal": "*", "Action": "es:*"}`, with conditions.
fn open_to_all(conditions: Vec<Condition>) -> PolicyDoc {
    PolicyDoc {
        statements: vec![Statement {
            sid: Some("Open".into()),
            effect: Effect::Allow,
            principal: Some(Principals {
                wildcard: true,
                ..Default::default()
            }),
            not_principal: None,
            actions: vec!["es:*".into()],
            not_actions: vec![],
            resources: vec!["arn:aws:es:us-east-1:111111111111:domain/d/*".into()],
            not_resources: vec![],
            conditions,
        }],
    }
}

#[test]
fn enc_14_opensearch_domains_need_a_customer_managed_key() {
    let mut l = Live::new();
    let cmk = kms_key(&mut l, PROD, "cmk-1", KeyManager::Customer);
    let es_key = kms_key(&mut l, PROD, "aws-es-1", KeyManager::Aws);
    search_domain(&mut l, "cmk", KeyRef::Key(cmk));
    search_domain(&mut l, "aws-es-by-arn", KeyRef::Key(es_key));
    search_domain(
        &mut l,
        "aws-es-default",
        KeyRef::AwsManaged("aws/es".into()),
    );
    search_domain(&mut l, "plain", KeyRef::AwsManaged("aws/es".into())).encrypted =
        Val::Known(false);
    search_domain(
        &mut l,
        "elsewhere",
        KeyRef::External("arn:aws:kms:us-east-1:333333333333:key/x".into()),
    );
    assert_eq!(
        l.verdicts("ENC-14"),
        v(&[
            ("aws-es-by-arn", Fail),
            ("aws-es-default", Fail),
            ("cmk", Pass),
            ("elsewhere", Unknown),
            ("plain", Fail),
        ])
    );
    let f = l.run("ENC-14");
    assert!(find(&f, "plain").message.contains("not encrypted at rest"));
    assert!(find(&f, "aws-es-default").message.contains("aws/es"));
}

#[test]
fn tls_8_opensearch_domains_enforce_https_tls_1_2_and_node_to_node_encryption() {
    let mut l = Live::new();
    let k = KeyRef::AwsManaged("aws/es".into());
    search_domain(&mut l, "good", k.clone());
    search_domain(&mut l, "tls12", k.clone()).tls_policy =
        Val::Known(Some("Policy-Min-TLS-1-2-2019-07".into()));
    search_domain(&mut l, "http", k.clone()).enforce_https = Val::Known(false);
    search_domain(&mut l, "tls10", k.clone()).tls_policy =
        Val::Known(Some("Policy-Min-TLS-1-0-2019-07".into()));
    search_domain(&mut l, "no-policy", k.clone()).tls_policy = Val::Known(None);
    search_domain(&mut l, "no-n2n", k.clone()).node_to_node = Val::Known(false);
    search_domain(&mut l, "odd-policy", k.clone()).tls_policy =
        Val::Known(Some("Custom-Policy".into()));
    let d = search_domain(&mut l, "odd-and-http", k);
    d.tls_policy = Val::Known(Some("Custom-Policy".into()));
    d.enforce_https = Val::Known(false);
    assert_eq!(
        l.verdicts("TLS-8"),
        v(&[
            ("good", Pass),
            ("http", Fail),
            ("no-n2n", Fail),
            ("no-policy", Fail),
            // A known failure stands whatever else cannot be told.
            ("odd-and-http", Fail),
            ("odd-policy", Unknown),
            ("tls10", Fail),
            ("tls12", Pass),
        ])
    );
    let f = l.run("TLS-8");
    assert!(find(&f, "tls10").message.contains("TLS 1.0"));
    assert!(find(&f, "no-n2n").message.contains("node-to-node"));
}

#[test]
fn net_11_public_opensearch_domains_have_no_open_policy() {
    let mut l = Live::new();
    let k = KeyRef::AwsManaged("aws/es".into());
    search_domain(&mut l, "vpc-open", k.clone()).access_policy =
        Val::Known(Some(open_to_all(vec![])));
    let d = search_domain(&mut l, "public-open", k.clone());
    d.in_vpc = Val::Known(false);
    d.access_policy = Val::Known(Some(open_to_all(vec![])));
    let d = search_domain(&mut l, "public-ip-limited", k.clone());
    d.in_vpc = Val::Known(false);
    d.access_policy = Val::Known(Some(open_to_all(vec![Condition {
        operator: "IpAddress".into(),
        key: "aws:SourceIp".into(),
        values: vec!["203.0.113.0/24".into()],
    }])));
    let d = search_domain(&mut l, "public-any-ip", k.clone());
    d.in_vpc = Val::Known(false);
    d.access_policy = Val::Known(Some(open_to_all(vec![Condition {
        operator: "IpAddress".into(),
        key: "aws:SourceIp".into(),
        values: vec!["0.0.0.0/0".into()],
    }])));
    search_domain(&mut l, "public-no-policy", k.clone()).in_vpc = Val::Known(false);
    let d = search_domain(&mut l, "public-unreadable", k);
    d.in_vpc = Val::Known(false);
    d.access_policy = Val::unknown("the access policy could not be read: not JSON");
    assert_eq!(
        l.verdicts("NET-11"),
        v(&[
            ("public-any-ip", Fail),
            ("public-ip-limited", Pass),
            ("public-no-policy", Pass),
            ("public-open", Fail),
            ("public-unreadable", Unknown),
            ("vpc-open", Pass),
        ])
    );
    let f = l.run("NET-11");
    assert!(find(&f, "vpc-open").message.contains("in a VPC"));
    assert_eq!(find(&f, "public-open").severity, Severity::Critical);
}

#[test]
fn a_search_domains_gap_is_reported_under_the_opensearch_rules() {
    let mut l = Live::new();
    l.gap(PROD, "us-east-1", Collection::SearchDomains);
    for rule in ["ENC-14", "TLS-8", "NET-11"] {
        let f = l.run(rule);
        assert!(
            f.iter()
                .any(|x| x.outcome == Unknown && x.message.contains("search domains")),
            "{rule}: {f:#?}"
        );
    }
}

// ------------------------------------------------------------ data stores at rest

fn stores_key(l: &mut Live, id: &str, manager: KeyManager, aliases: &[&str]) -> Rid {
    let rid = l.add("AWS::KMS::Key", id, PROD, "us-east-1");
    l.inv.kms_keys.push(KmsKey {
        rid,
        key_id: Val::Known(id.into()),
        manager: Val::Known(manager),
        symmetric: Val::Known(true),
        origin: Val::Known("AWS_KMS".into()),
        rotation_enabled: Val::Known(true),
        policy: Val::Known(PolicyDoc { statements: vec![] }),
        state: Val::Known(KeyState::Enabled),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    });
    rid
}

/// A customer-managed key and the AWS-managed key of `service`, as the
/// collector reads them (the resources name them by ARN, which the audit
/// resolves to these keys).
fn stores_keys(l: &mut Live, service: &str) -> (KeyRef, KeyRef) {
    let cmk = stores_key(l, "cmk-1", KeyManager::Customer, &["alias/phi"]);
    let aws = stores_key(
        l,
        "aws-1",
        KeyManager::Aws,
        &[&format!("alias/aws/{service}")],
    );
    (KeyRef::Key(cmk), KeyRef::Key(aws))
}

const OUTSIDE: &str = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn enc_10_efs_file_systems_need_encryption_under_a_customer_key() {
    let mut l = Live::new();
    let (cmk, aws) = stores_keys(&mut l, "elasticfilesystem");
    for (name, encrypted, key) in [
        ("fs-cmk", true, cmk),
        (
            "fs-plain",
            false,
            KeyRef::AwsManaged("aws/elasticfilesystem".into()),
        ),
        ("fs-aws", true, aws),
        ("fs-outside", true, KeyRef::External(OUTSIDE.into())),
    ] {
        let rid = l.add("AWS::EFS::FileSystem", name, PROD, "us-east-1");
        l.inv.efs_file_systems.push(EfsFileSystem {
            rid,
            encrypted: Val::Known(encrypted),
            key: Val::Known(key),
        });
    }
    l.gap(DEV, "us-east-1", Collection::EfsFileSystems);
    let f = l.run("ENC-10");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("estate", Unknown),
            ("fs-aws", Fail),
            ("fs-cmk", Pass),
            ("fs-outside", Unknown),
            ("fs-plain", Fail),
        ])
    );
    assert!(find(&f, "fs-plain").message.contains("not encrypted"));
    assert!(
        find(&f, "fs-aws")
            .message
            .contains("not a customer-managed key")
    );
}

#[test]
fn enc_11_ecr_repositories_need_kms_under_a_customer_key() {
    let mut l = Live::new();
    let (cmk, aws) = stores_keys(&mut l, "ecr");
    for (name, key) in [
        ("prod/api", Some(cmk)),
        ("prod/batch", None),
        ("prod/tools", Some(aws)),
    ] {
        let rid = l.add("AWS::ECR::Repository", name, PROD, "us-east-1");
        l.inv.ecr_repositories.push(EcrRepository {
            rid,
            scan_on_push: Val::Known(true),
            kms_key: Val::Known(key),
        });
    }
    let f = l.run("ENC-11");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("prod/api", Pass),
            ("prod/batch", Fail),
            ("prod/tools", Fail)
        ])
    );
    assert!(find(&f, "prod/batch").message.contains("AES256"));
}

#[test]
fn enc_12_judges_the_log_groups_in_phi_scope() {
    let mut l = Live::new();
    let (cmk, _) = stores_keys(&mut l, "logs");
    let phi = || Val::Known([("phi".to_string(), "true".to_string())].into());
    for (name, tags, key) in [
        ("/app/api", phi(), Some(cmk)),
        ("/app/intake", phi(), None),
        ("/app/static", Val::Known(Default::default()), None),
        (
            "/app/unread",
            Val::unknown("logs:ListTagsForResource: AccessDeniedException"),
            None,
        ),
    ] {
        let rid = l.add("AWS::Logs::LogGroup", name, PROD, "us-east-1");
        l.inv.meta_mut(rid).tags = tags;
        l.inv.log_groups.push(LogGroup {
            rid,
            name: Val::Known(name.into()),
            key: Val::Known(key),
            retention_days: Val::Known(None),
        });
    }
    let f = l.run("ENC-12");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("/app/api", Pass),
            ("/app/intake", Fail),
            ("/app/unread", Unknown),
        ])
    );
    assert!(
        find(&f, "/app/unread")
            .message
            .contains("ListTagsForResource")
    );
    // With every resource in PHI scope, the untagged group is judged too.
    l.cfg = Config::from_toml("[scope]\nphi_scope = 'all'\n").unwrap();
    assert_eq!(
        l.verdicts("ENC-12"),
        v(&[
            ("/app/api", Pass),
            ("/app/intake", Fail),
            ("/app/static", Fail),
            ("/app/unread", Fail),
        ])
    );
}

#[test]
fn enc_13_notebook_instances_need_a_customer_key() {
    let mut l = Live::new();
    let (cmk, _) = stores_keys(&mut l, "sagemaker");
    for (name, key) in [
        ("research", Val::Known(Some(cmk))),
        ("scratch", Val::Known(None)),
        (
            "unread",
            Val::unknown("sagemaker:DescribeNotebookInstance: ThrottlingException"),
        ),
    ] {
        let rid = l.add("AWS::SageMaker::NotebookInstance", name, PROD, "us-east-1");
        l.inv.notebook_instances.push(NotebookInstance { rid, key });
    }
    let f = l.run("ENC-13");
    assert_eq!(
        verdicts(&f),
        v(&[("research", Pass), ("scratch", Fail), ("unread", Unknown)])
    );
    assert!(find(&f, "scratch").message.contains("system-managed key"));
}

// ------------------------------------------------------------ RDS

/// A live DB instance in `account`, private, single-AZ, unprotected, with
/// one-day backups, on the engine's default parameter group.
fn rds_instance(l: &mut Live, name: &str, account: &str, engine: &str, version: &str) -> usize {
    let rid = l.add("AWS::RDS::DBInstance", name, account, "us-east-1");
    l.inv.databases.push(Database {
        rid,
        is_cluster: false,
        engine: Val::Known(engine.into()),
        cluster: None,
        storage_encrypted: Val::Known(true),
        key: Val::Known(KeyRef::AwsManaged("aws/rds".into())),
        master_password: Val::Known(Credential::Managed),
        engine_version: Val::Known(Some(version.into())),
        publicly_accessible: Val::Known(Some(false)),
        deletion_protection: Val::Known(false),
        multi_az: Val::Known(false),
        availability_zone: Val::Known(Some("us-east-1a".into())),
        backup_retention_days: Val::Known(1),
        parameter_group: Val::Known(None),
        read_replica: Val::Known(false),
        port: Val::Known(Some(5432)),
    });
    l.inv.databases.len() - 1
}

fn parameter_group(
    l: &mut Live,
    name: &str,
    account: &str,
    family: &str,
    params: &[(&str, &str)],
) -> Rid {
    let rid = l.add("AWS::RDS::DBParameterGroup", name, account, "us-east-1");
    l.inv.db_parameter_groups.push(DbParameterGroup {
        rid,
        name: Val::Known(name.into()),
        cluster: false,
        family: Val::Known(family.into()),
        parameters: Val::Known(
            params
                .iter()
                .map(|(k, v)| (k.to_string(), Val::Known(v.to_string())))
                .collect(),
        ),
    });
    rid
}

#[test]
fn net_7_public_databases_fail_and_unreported_ones_are_unknown() {
    let mut l = Live::org_with_accounts();
    rds_instance(&mut l, "private", PROD, "postgres", "16.4");
    let i = rds_instance(&mut l, "public", PROD, "postgres", "16.4");
    l.inv.databases[i].publicly_accessible = Val::Known(Some(true));
    let i = rds_instance(&mut l, "unreported", PROD, "postgres", "16.4");
    l.inv.databases[i].publicly_accessible =
        Val::unknown("rds:DescribeDBInstances did not report PubliclyAccessible");
    // An Aurora cluster has no such setting.
    let i = rds_instance(&mut l, "aurora", PROD, "aurora-postgresql", "16.4");
    l.inv.databases[i].is_cluster = true;
    l.inv.databases[i].publicly_accessible = Val::Known(None);
    assert_eq!(
        l.verdicts("NET-7"),
        v(&[("private", Pass), ("public", Fail), ("unreported", Unknown)])
    );
}

#[test]
fn tls_6_reads_the_parameter_group_in_effect_or_the_engine_default() {
    let mut l = Live::org_with_accounts();
    // PostgreSQL 16 on default.postgres16: rds.force_ssl defaults to 1.
    let i = rds_instance(&mut l, "pg16", PROD, "postgres", "16.4");
    l.inv.databases[i].parameter_group =
        Val::Known(Some(Link::External("default.postgres16".into())));
    // PostgreSQL 14 on its default group: 0.
    let i = rds_instance(&mut l, "pg14", PROD, "postgres", "14.12");
    l.inv.databases[i].parameter_group =
        Val::Known(Some(Link::External("default.postgres14".into())));
    // PostgreSQL 14 with a group that sets it.
    let g = parameter_group(
        &mut l,
        "pg14-ssl",
        PROD,
        "postgres14",
        &[("rds.force_ssl", "1")],
    );
    let i = rds_instance(&mut l, "pg14-forced", PROD, "postgres", "14.12");
    l.inv.databases[i].parameter_group = Val::Known(Some(Link::Resource(g)));
    // MySQL with a group that sets other parameters only: OFF by default.
    let g = parameter_group(
        &mut l,
        "mysql-logs",
        PROD,
        "mysql8.0",
        &[("general_log", "1")],
    );
    let i = rds_instance(&mut l, "mysql", PROD, "mysql", "8.0.39");
    l.inv.databases[i].parameter_group = Val::Known(Some(Link::Resource(g)));
    // A group the audit could not read.
    let i = rds_instance(&mut l, "unread", DEV, "postgres", "14.12");
    l.inv.databases[i].parameter_group = Val::Known(Some(Link::External("shared-pg".into())));
    l.gap(DEV, "us-east-1", Collection::DbParameterGroups);
    // Oracle takes TLS from an option group.
    rds_instance(
        &mut l,
        "oracle",
        PROD,
        "oracle-ee",
        "19.0.0.0.ru-2024-10.rur-2024-10.r1",
    );
    let f = l.run("TLS-6");
    assert_eq!(
        verdicts(&f),
        v(&[
            // The gap itself, reported under the rule that reads the collection.
            ("estate", Unknown),
            ("mysql", Fail),
            ("oracle", Unknown),
            ("pg14", Fail),
            ("pg14-forced", Pass),
            ("pg16", Pass),
            ("unread", Unknown),
        ])
    );
    assert!(
        find(&f, "unread").message.contains("AccessDenied"),
        "{}",
        find(&f, "unread").message
    );
    assert!(find(&f, "oracle").message.contains("option group"));
}

#[test]
fn bak_6_fails_only_single_az_production_databases() {
    let mut l = Live::org_with_accounts();
    rds_instance(&mut l, "prod-single", PROD, "postgres", "16.4");
    let i = rds_instance(&mut l, "prod-multi", PROD, "postgres", "16.4");
    l.inv.databases[i].multi_az = Val::Known(true);
    rds_instance(&mut l, "dev-single", DEV, "postgres", "16.4");
    // An account the organization gives no role: its tag decides.
    let other = "444444444444";
    rds_instance(&mut l, "untagged", other, "postgres", "16.4");
    rds_instance(&mut l, "tagged", other, "postgres", "16.4");
    let rid = l.inv.metas.iter().find(|m| m.name == "tagged").unwrap().rid;
    l.inv.meta_mut(rid).tags =
        Val::Known([("Environment".to_string(), "Production".to_string())].into());
    // A read replica is not judged.
    let i = rds_instance(&mut l, "replica", PROD, "postgres", "16.4");
    l.inv.databases[i].read_replica = Val::Known(true);
    let f = l.run("BAK-6");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("dev-single", Pass),
            ("prod-multi", Pass),
            ("prod-single", Fail),
            ("tagged", Fail),
            ("untagged", Unknown),
        ])
    );
    // [accounts] prod in phiguard.toml makes an account production too.
    l.cfg.accounts.prod = vec![other.into()];
    assert_eq!(find(&l.run("BAK-6"), "untagged").outcome, Fail);
}

#[test]
fn bak_5_and_bak_7_judge_standalone_instances_and_clusters() {
    let mut l = Live::org_with_accounts();
    let i = rds_instance(&mut l, "kept", PROD, "postgres", "16.4");
    l.inv.databases[i].deletion_protection = Val::Known(true);
    l.inv.databases[i].backup_retention_days = Val::Known(7);
    let i = rds_instance(&mut l, "off", PROD, "postgres", "16.4");
    l.inv.databases[i].backup_retention_days = Val::Known(0);
    // An Aurora instance takes both from its cluster.
    let i = rds_instance(&mut l, "member", PROD, "aurora-postgresql", "16.4");
    l.inv.databases[i].cluster = Some(Link::External(
        "arn:aws:rds:us-east-1:111111111111:cluster:c".into(),
    ));
    assert_eq!(l.verdicts("BAK-5"), v(&[("kept", Pass), ("off", Fail)]));
    assert_eq!(l.verdicts("BAK-7"), v(&[("kept", Pass), ("off", Fail)]));
}

// ------------------------------------------------------------ public exposure (NET-4, NET-5, NET-6)

fn everyone_get() -> PolicyDoc {
    PolicyDoc {
        statements: vec![Statement {
            sid: Some("PublicRead".into()),
            effect: Effect::Allow,
            principal: Some(Principals {
                wildcard: true,
                ..Default::default()
            }),
            not_principal: None,
            actions: vec!["s3:GetObject".into()],
            not_actions: vec![],
            resources: vec!["arn:aws:s3:::b/*".into()],
            not_resources: vec![],
            conditions: vec![],
        }],
    }
}

/// A live bucket as the collector reads it: no Block Public Access
/// configuration, no policy, a private ACL, no ownership controls.
fn live_bucket(l: &mut Live, account: &str, name: &str) -> usize {
    let rid = l.add("AWS::S3::Bucket", name, account, "us-east-1");
    l.inv.buckets.push(Bucket {
        rid,
        name: Val::Known(name.into()),
        encryption: Val::Known(BucketSse::S3),
        versioning: Val::Known(false),
        mfa_delete: Val::Known(false),
        object_lock: Val::Known(false),
        lock_retention: Val::Known(None),
        lifecycle: Val::Known(vec![]),
        policy: Val::Known(None),
        public_access_block: Val::Known(None),
        public_acl: Val::Known(vec![]),
        object_ownership: Val::Known(ObjectOwnership::ObjectWriter),
    });
    l.inv.buckets.len() - 1
}

fn partial(restrict: bool, ignore: bool) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: ignore,
        block_public_policy: true,
        restrict_public_buckets: restrict,
    }
}

#[test]
fn net_4_judges_each_bucket_with_the_accounts_block_public_access() {
    let mut l = Live::org_with_accounts();
    // PROD: account-level all on; DEV: RestrictPublicBuckets and IgnorePublicAcls off.
    l.inv.org_accounts[2].public_access_block = Val::Known(Some(partial(false, false)));
    // A public policy in prod: the account's RestrictPublicBuckets neutralises it.
    let i = live_bucket(&mut l, PROD, "prod-site");
    l.inv.buckets[i].policy = Val::Known(Some(everyone_get()));
    // The same in dev: public.
    let i = live_bucket(&mut l, DEV, "dev-site");
    l.inv.buckets[i].policy = Val::Known(Some(everyone_get()));
    // A public-read ACL in dev, ACLs enabled: public.
    let i = live_bucket(&mut l, DEV, "dev-acl");
    l.inv.buckets[i].public_acl = Val::Known(vec![AclGrant {
        group: "AllUsers".into(),
        permission: "READ".into(),
    }]);
    // The same with ACLs disabled: the ACL grants nothing, but the bucket's own BPA is off.
    let i = live_bucket(&mut l, DEV, "dev-acl-disabled");
    l.inv.buckets[i].public_acl = Val::Known(vec![AclGrant {
        group: "AuthenticatedUsers".into(),
        permission: "READ".into(),
    }]);
    l.inv.buckets[i].object_ownership = Val::Known(ObjectOwnership::BucketOwnerEnforced);
    // A public policy with the bucket's own BPA all on: neutralised.
    let i = live_bucket(&mut l, DEV, "dev-own-bpa");
    l.inv.buckets[i].policy = Val::Known(Some(everyone_get()));
    l.inv.buckets[i].public_access_block = Val::Known(Some(all_on()));
    // Nothing public, no BPA anywhere it counts: one change away.
    live_bucket(&mut l, DEV, "dev-private");
    // Nothing public, the account covers it.
    live_bucket(&mut l, PROD, "prod-private");
    // The account's BPA could not be read: a private bucket without its own is unknown.
    l.inv.org_accounts[0].public_access_block = Val::unknown("s3control: AccessDenied");
    live_bucket(&mut l, MGMT, "mgmt-private");
    let i = live_bucket(&mut l, MGMT, "mgmt-site");
    l.inv.buckets[i].policy = Val::Known(Some(everyone_get()));

    let f = l.run("NET-4");
    let got = |n: &str| find(&f, n);
    assert_eq!(
        got("prod-site").outcome,
        Pass,
        "{}",
        got("prod-site").message
    );
    assert!(
        got("prod-site")
            .message
            .contains("RestrictPublicBuckets on")
    );
    assert_eq!(got("dev-site").outcome, Fail);
    assert_eq!(got("dev-site").severity, Severity::Critical);
    assert!(
        got("dev-site").message.contains("PublicRead"),
        "{}",
        got("dev-site").message
    );
    assert_eq!(got("dev-acl").outcome, Fail);
    assert!(got("dev-acl").message.contains("AllUsers"));
    let d = got("dev-acl-disabled");
    assert_eq!(
        (d.outcome, d.severity),
        (Fail, Severity::Medium),
        "{}",
        d.message
    );
    assert!(d.message.contains("ACLs are disabled"), "{}", d.message);
    assert_eq!(got("dev-own-bpa").outcome, Pass);
    let d = got("dev-private");
    assert_eq!(
        (d.outcome, d.severity),
        (Fail, Severity::Medium),
        "{}",
        d.message
    );
    assert_eq!(got("prod-private").outcome, Pass);
    assert_eq!(got("mgmt-private").outcome, Unknown);
    assert_eq!(got("mgmt-site").outcome, Unknown);
}

#[test]
fn net_5_judges_each_audited_account() {
    let mut l = Live::org_with_accounts();
    l.inv.org_accounts[1].public_access_block = Val::Known(Some(partial(false, true)));
    l.inv.org_accounts[2].public_access_block = Val::Known(None);
    l.inv.org_accounts[0].public_access_block = Val::unknown("s3control: AccessDenied");
    assert_eq!(
        l.verdicts("NET-5"),
        v(&[(MGMT, Unknown), (PROD, Fail), (DEV, Fail)])
    );
    let f = l.run("NET-5");
    assert!(find(&f, PROD).message.contains("RestrictPublicBuckets"));
    // An account outside this run is not judged.
    l.inv.org_accounts[2].audited = false;
    l.inv.org_accounts[1].public_access_block = Val::Known(Some(all_on()));
    assert_eq!(l.verdicts("NET-5"), v(&[(MGMT, Unknown), (PROD, Pass)]));
}

fn snapshot(l: &mut Live, name: &str, kind: SnapshotKind, public: Val<bool>) {
    let rid = l.add("AWS::EC2::Snapshot", name, PROD, "us-east-1");
    l.inv.snapshots.push(Snapshot {
        rid,
        kind,
        public,
        shared_with: Val::Known(vec![DEV.into()]),
    });
}

#[test]
fn net_6_fails_public_snapshots_and_images() {
    let mut l = Live::org_with_accounts();
    snapshot(&mut l, "snap-public", SnapshotKind::Ebs, Val::Known(true));
    snapshot(&mut l, "snap-shared", SnapshotKind::Ebs, Val::Known(false));
    snapshot(
        &mut l,
        "db-public",
        SnapshotKind::DbInstance,
        Val::Known(true),
    );
    snapshot(
        &mut l,
        "cluster-public",
        SnapshotKind::DbCluster,
        Val::Known(true),
    );
    snapshot(&mut l, "ami-public", SnapshotKind::Image, Val::Known(true));
    snapshot(
        &mut l,
        "ami-unread",
        SnapshotKind::Image,
        Val::unknown("ec2: AccessDenied"),
    );
    assert_eq!(
        l.verdicts("NET-6"),
        v(&[
            ("ami-public", Fail),
            ("ami-unread", Unknown),
            ("cluster-public", Fail),
            ("db-public", Fail),
            ("snap-public", Fail),
            ("snap-shared", Pass),
        ])
    );
    let f = l.run("NET-6");
    assert!(find(&f, "snap-shared").message.contains(DEV));
    // A snapshots gap: unknown, naming the account and region.
    l.gap(DEV, "us-east-1", Collection::Snapshots);
    let f = l.run("NET-6");
    assert!(
        f.iter().any(|x| x.subject.is_none()
            && x.outcome == Unknown
            && x.message.contains(&format!("{DEV}/us-east-1"))),
        "{f:#?}"
    );
}

// ------------------------------------------------------------ NET-8, NET-9, NET-10

fn sg_rule(protocol: &str, cidr: &str, ports: Option<(u16, u16)>) -> SgRule {
    SgRule {
        protocol: protocol.into(),
        cidr: Some(cidr.into()),
        peer: None,
        ports: Val::Known(ports.map(|(from, to)| PortRange { from, to })),
    }
}

fn group(l: &mut Live, name: &str, ingress: Val<Vec<SgRule>>) {
    let rid = l.add("AWS::EC2::SecurityGroup", name, PROD, "us-east-1");
    l.inv.security_groups.push(SecurityGroup {
        rid,
        vpc: Val::Known(Link::External("vpc-1".into())),
        ingress,
        egress: Val::Known(vec![]),
    });
}

#[test]
fn net_8_internet_ingress_to_database_and_admin_ports() {
    let mut l = Live::new();
    // A database on a port of its own, as DescribeDBInstances reports it.
    let db = l.add("AWS::RDS::DBInstance", "reporting", PROD, "us-east-1");
    l.inv.databases.push(Database {
        rid: db,
        is_cluster: false,
        engine: Val::Known("mysql".into()),
        cluster: None,
        storage_encrypted: Val::Known(true),
        key: Val::Known(KeyRef::AwsManaged("aws/rds".into())),
        master_password: Val::Known(Credential::Managed),
        port: Val::Known(Some(13306)),
        engine_version: Val::Known(None),
        publicly_accessible: Val::Known(Some(false)),
        deletion_protection: Val::Known(true),
        multi_az: Val::Known(true),
        availability_zone: Val::Known(None),
        backup_retention_days: Val::Known(7),
        parameter_group: Val::Known(None),
        read_replica: Val::Known(false),
    });
    group(
        &mut l,
        "sg-open-pg",
        Val::Known(vec![sg_rule("tcp", "0.0.0.0/0", Some((5432, 5432)))]),
    );
    group(
        &mut l,
        "sg-vpc-pg",
        Val::Known(vec![sg_rule("tcp", "10.10.0.0/16", Some((5432, 5432)))]),
    );
    group(
        &mut l,
        "sg-ssh-v6",
        Val::Known(vec![sg_rule("tcp", "::/0", Some((22, 22)))]),
    );
    group(
        &mut l,
        "sg-all",
        Val::Known(vec![sg_rule("-1", "0.0.0.0/0", Some((0, 65535)))]),
    );
    group(
        &mut l,
        "sg-reporting",
        Val::Known(vec![sg_rule("tcp", "0.0.0.0/0", Some((13000, 14000)))]),
    );
    group(
        &mut l,
        "sg-https",
        Val::Known(vec![sg_rule("tcp", "0.0.0.0/0", Some((443, 443)))]),
    );
    group(
        &mut l,
        "sg-udp",
        Val::Known(vec![sg_rule("udp", "0.0.0.0/0", Some((0, 65535)))]),
    );
    group(
        &mut l,
        "sg-unread",
        Val::unknown("ec2:DescribeSecurityGroups: AccessDenied"),
    );
    let f = l.run("NET-8");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("sg-all", Fail),
            ("sg-https", Pass),
            ("sg-open-pg", Fail),
            ("sg-reporting", Fail),
            ("sg-ssh-v6", Fail),
            ("sg-udp", Pass),
            ("sg-unread", Unknown),
            ("sg-vpc-pg", Pass),
        ])
    );
    assert!(
        find(&f, "sg-reporting")
            .message
            .contains("database reporting (13306)")
    );
    assert!(
        find(&f, "sg-open-pg")
            .message
            .contains("PostgreSQL (5432) from 0.0.0.0/0")
    );
}

#[test]
fn net_8_an_unknown_database_port_leaves_wide_ranges_unknown() {
    let mut l = Live::new();
    let db = l.add("AWS::RDS::DBInstance", "creating", PROD, "us-east-1");
    l.inv.databases.push(Database {
        rid: db,
        is_cluster: false,
        engine: Val::Known("postgres".into()),
        cluster: None,
        storage_encrypted: Val::Known(true),
        key: Val::Known(KeyRef::AwsManaged("aws/rds".into())),
        master_password: Val::Known(Credential::Managed),
        port: Val::unknown("RDS reports no port for the database yet"),
        engine_version: Val::Known(None),
        publicly_accessible: Val::Known(Some(false)),
        deletion_protection: Val::Known(true),
        multi_az: Val::Known(true),
        availability_zone: Val::Known(None),
        backup_retention_days: Val::Known(7),
        parameter_group: Val::Known(None),
        read_replica: Val::Known(false),
    });
    group(
        &mut l,
        "sg-high",
        Val::Known(vec![sg_rule("tcp", "0.0.0.0/0", Some((8000, 8999)))]),
    );
    // Below 1150 no RDS database can listen.
    group(
        &mut l,
        "sg-https",
        Val::Known(vec![sg_rule("tcp", "0.0.0.0/0", Some((443, 443)))]),
    );
    assert_eq!(
        l.verdicts("NET-8"),
        v(&[("sg-high", Unknown), ("sg-https", Pass)])
    );
}

fn function_url(l: &mut Live, name: &str, auth: &str) {
    let f = l.add("AWS::Lambda::Function", name, PROD, "us-east-1");
    let rid = l.add("AWS::Lambda::Url", name, PROD, "us-east-1");
    l.inv.function_urls.push(FunctionUrl {
        rid,
        function: Val::Known(Link::Resource(f)),
        auth_type: Val::Known(auth.into()),
    });
}

#[test]
fn net_9_function_urls_need_iam_auth() {
    let mut l = Live::new();
    function_url(&mut l, "webhook", "NONE");
    function_url(&mut l, "records", "AWS_IAM");
    let f = l.run("NET-9");
    assert_eq!(verdicts(&f), v(&[("records", Pass), ("webhook", Fail)]));
    let m = &find(&f, "webhook").message;
    assert!(m.contains("of function webhook"), "{m}");
    // Where the URLs could not be read, the region is unknown, not clean.
    l.gap(DEV, "us-east-1", Collection::FunctionUrls);
    let f = l.run("NET-9");
    assert!(f.iter().any(|x| x.subject.is_none()
        && x.outcome == Unknown
        && x.message.contains("222222222222/us-east-1")));
}

fn statement(principal: Principals, conditions: &[(&str, &str, &str)]) -> Statement {
    Statement {
        sid: Some("s".into()),
        effect: Effect::Allow,
        principal: Some(principal),
        not_principal: None,
        actions: vec!["lambda:InvokeFunction".into()],
        not_actions: vec![],
        resources: vec![],
        not_resources: vec![],
        conditions: conditions
            .iter()
            .map(|(o, k, v)| Condition {
                operator: o.to_string(),
                key: k.to_string(),
                values: vec![v.to_string()],
            })
            .collect(),
    }
}

fn star() -> Principals {
    Principals {
        wildcard: true,
        ..Default::default()
    }
}

#[test]
fn net_10_resource_policies_open_to_everyone() {
    let mut l = Live::new();
    for (name, policy) in [
        ("open", Val::Known(Some(vec![statement(star(), &[])]))),
        (
            "from-bucket",
            Val::Known(Some(vec![statement(
                Principals {
                    service: vec!["s3.amazonaws.com".into()],
                    ..Default::default()
                },
                &[("ArnLike", "AWS:SourceArn", "arn:aws:s3:::uploads")],
            )])),
        ),
        (
            "org",
            Val::Known(Some(vec![statement(
                star(),
                &[("StringEquals", "aws:PrincipalOrgID", "o-abc")],
            )])),
        ),
        ("none", Val::Known(None)),
        (
            "denied",
            Val::unknown("lambda:GetPolicy: AccessDeniedException"),
        ),
    ] {
        let rid = l.add("AWS::Lambda::Function", name, PROD, "us-east-1");
        l.inv.lambda_functions.push(LambdaFunction {
            rid,
            name: Val::Known(name.into()),
            policy: policy.map(|s| s.map(|statements| PolicyDoc { statements })),
        });
    }
    // The AWS-managed key's policy is AWS's: not judged.
    for (name, manager) in [
        ("aws-managed", KeyManager::Aws),
        ("cmk", KeyManager::Customer),
    ] {
        let rid = l.add("AWS::KMS::Key", name, PROD, "us-east-1");
        l.inv.kms_keys.push(KmsKey {
            rid,
            key_id: Val::Known(name.into()),
            manager: Val::Known(manager),
            symmetric: Val::Known(true),
            origin: Val::Known("AWS_KMS".into()),
            rotation_enabled: Val::Known(true),
            policy: Val::Known(PolicyDoc {
                statements: vec![statement(star(), &[])],
            }),
            state: Val::Known(KeyState::Enabled),
            aliases: vec![],
        });
    }
    secret(&mut l, "prod/db/app", Some(30), Some(NOW));
    let rid = l.inv.secrets[0].rid;
    l.inv.secrets[0].policy = Val::Known(Some(PolicyDoc {
        statements: vec![statement(
            Principals {
                aws: vec!["*".into()],
                ..Default::default()
            },
            &[("IpAddress", "aws:SourceIp", "0.0.0.0/0")],
        )],
    }));
    let f = l.run("NET-10");
    assert_eq!(
        verdicts(&f),
        v(&[
            ("cmk", Fail),
            ("denied", Unknown),
            ("from-bucket", Pass),
            ("none", Pass),
            ("open", Fail),
            ("org", Pass),
            ("prod/db/app", Fail),
        ])
    );
    assert_eq!(find(&f, "prod/db/app").rid, Some(rid));
}

// ------------------------------------------------------------ caches and warehouses

/// A customer-managed key of `PROD` in us-east-1.
fn cachewh_key(l: &mut Live, id: &str) -> KeyRef {
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
    let key = cachewh_key(&mut l, "cache-key");
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
    let key = cachewh_key(&mut l, "warehouse-key");
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
