//! The services moto does not serve (or serves wrongly), read from responses
//! shaped as the AWS API reference documents them: Artifact agreements, EKS
//! add-ons and pod identity associations, Security Hub standards, Backup
//! selections and restore testing, GuardDuty's organization configuration,
//! the default EBS key, and S3 MFA Delete.

mod common;

use common::*;
use phiguard_model::{KeyRef, Link, Selector, Val};
use phiguard_rules::{Config, Outcome, RunOptions};

const CIS: &str = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0";
const EBS_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/0f0f0f0f-1111-2222-3333-444455556666";
const POD_ROLE: &str = "arn:aws:iam::111122223333:role/app-pods";
const PLAN_ARN: &str = "arn:aws:backup:us-east-1:111122223333:restore-testing-plan:quarterly-abc";

fn route(r: &Req) -> Option<Reply> {
    if let Some(b) = basics(r) {
        return Some(b);
    }
    let path = r.path.split('?').next().unwrap_or("").trim_end_matches('/');
    let query = r.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    match (r.service.as_str(), r.method.as_str(), path) {
        ("artifact", "GET", "/v1/customer-agreement/list") => json(
            r#"{"customerAgreements":[{"name":"AWS Business Associate Addendum","arn":"arn:aws:artifact::111122223333:customer-agreement/ca-1","id":"ca-1","agreementArn":"arn:aws:artifact:::agreement/agreement-baa","awsAccountId":"111122223333","organizationArn":"arn:aws:organizations::111122223333:organization/o-abc","state":"ACTIVE","type":"DEFAULT","description":"BAA","acceptanceTerms":[],"terminateTerms":[]}]}"#,
        ),
        ("eks", "GET", "/clusters") => json(r#"{"clusters":["phi"]}"#),
        ("eks", "GET", "/clusters/phi") => json(
            r#"{"cluster":{"name":"phi","arn":"arn:aws:eks:us-east-1:111122223333:cluster/phi","encryptionConfig":[{"resources":["secrets"],"provider":{"keyArn":"arn:aws:kms:us-east-1:111122223333:key/eks"}}],"tags":{"phi":"true"}}}"#,
        ),
        ("eks", "GET", "/clusters/phi/addons") => {
            json(r#"{"addons":["vpc-cni","eks-pod-identity-agent"]}"#)
        }
        ("eks", "GET", "/clusters/phi/pod-identity-associations") => json(
            r#"{"associations":[{"clusterName":"phi","namespace":"app","serviceAccount":"api","associationArn":"arn:aws:eks:us-east-1:111122223333:podidentityassociation/phi/a-1","associationId":"a-1"}]}"#,
        ),
        ("eks", "GET", "/clusters/phi/pod-identity-associations/a-1") => json(&format!(
            r#"{{"association":{{"clusterName":"phi","namespace":"app","serviceAccount":"api","roleArn":"{POD_ROLE}","associationArn":"arn:aws:eks:us-east-1:111122223333:podidentityassociation/phi/a-1","associationId":"a-1"}}}}"#
        )),
        ("eks", "GET", "/clusters/phi/node-groups") => json(r#"{"nodegroups":[]}"#),
        ("securityhub", "GET", "/accounts") => json(
            r#"{"HubArn":"arn:aws:securityhub:us-east-1:111122223333:hub/default","AutoEnableControls":true}"#,
        ),
        ("securityhub", "POST", "/standards/get") => json(&format!(
            r#"{{"StandardsSubscriptions":[{{"StandardsSubscriptionArn":"arn:aws:securityhub:us-east-1:111122223333:subscription/cis/v/3.0.0","StandardsArn":"{CIS}","StandardsInput":{{}},"StandardsStatus":"READY"}}]}}"#
        )),
        ("backup", "GET", "/backup-vaults") => json(r#"{"BackupVaultList":[]}"#),
        ("backup", "GET", "/backup/plans") => json(
            r#"{"BackupPlansList":[{"BackupPlanId":"plan-1","BackupPlanName":"daily","BackupPlanArn":"arn:aws:backup:us-east-1:111122223333:backup-plan:plan-1"}]}"#,
        ),
        ("backup", "GET", "/backup/plans/plan-1") => json(
            r#"{"BackupPlanId":"plan-1","BackupPlan":{"BackupPlanName":"daily","Rules":[{"RuleName":"daily","TargetBackupVaultName":"main","CopyActions":[{"DestinationBackupVaultArn":"arn:aws:backup:us-west-2:111122223333:backup-vault:dr"}]}]}}"#,
        ),
        ("backup", "GET", "/backup/plans/plan-1/selections") => json(
            r#"{"BackupSelectionsList":[{"SelectionId":"sel-1","SelectionName":"phi","BackupPlanId":"plan-1","IamRoleArn":"arn:aws:iam::111122223333:role/backup"}]}"#,
        ),
        ("backup", "GET", "/backup/plans/plan-1/selections/sel-1") => json(
            r#"{"BackupPlanId":"plan-1","SelectionId":"sel-1","BackupSelection":{"SelectionName":"phi","IamRoleArn":"arn:aws:iam::111122223333:role/backup","Resources":["arn:aws:dynamodb:*:*:table/*"],"ListOfTags":[{"ConditionType":"STRINGEQUALS","ConditionKey":"phi","ConditionValue":"true"}]}}"#,
        ),
        ("backup", "GET", "/restore-testing/plans") => json(&format!(
            r#"{{"RestoreTestingPlans":[{{"CreationTime":1700000000,"RestoreTestingPlanArn":"{PLAN_ARN}","RestoreTestingPlanName":"quarterly","ScheduleExpression":"cron(0 5 ? * 1 *)"}}]}}"#
        )),
        ("backup", "GET", "/restore-testing/plans/quarterly") => json(&format!(
            r#"{{"RestoreTestingPlan":{{"CreationTime":1700000000,"RestoreTestingPlanArn":"{PLAN_ARN}","RestoreTestingPlanName":"quarterly","ScheduleExpression":"cron(0 5 ? * 1 *)","RecoveryPointSelection":{{"Algorithm":"LATEST_WITHIN_WINDOW","IncludeVaults":["*"],"RecoveryPointTypes":["SNAPSHOT"]}}}}}}"#
        )),
        ("backup", "GET", "/restore-jobs") => json(&format!(
            r#"{{"RestoreJobs":[{{"RestoreJobId":"job-1","Status":"COMPLETED","CompletionDate":1764000000,"CreatedBy":{{"RestoreTestingPlanArn":"{PLAN_ARN}"}}}}]}}"#
        )),
        ("guardduty", "GET", "/detector") => json(r#"{"detectorIds":["d1"]}"#),
        ("guardduty", "GET", "/detector/d1") => json(
            r#"{"status":"ENABLED","serviceRole":"arn:aws:iam::111122223333:role/gd","createdAt":"2024-01-01T00:00:00Z"}"#,
        ),
        ("guardduty", "GET", "/detector/d1/admin") => {
            json(r#"{"autoEnableOrganizationMembers":"ALL","memberAccountLimitReached":false}"#)
        }
        ("ec2", _, _) if r.op == "GetEbsEncryptionByDefault" => xml(
            "<GetEbsEncryptionByDefaultResponse><requestId>r</requestId><ebsEncryptionByDefault>true</ebsEncryptionByDefault></GetEbsEncryptionByDefaultResponse>",
        ),
        ("ec2", _, _) if r.op == "GetEbsDefaultKmsKeyId" => xml(&format!(
            "<GetEbsDefaultKmsKeyIdResponse><requestId>r</requestId><kmsKeyId>{EBS_KEY}</kmsKeyId></GetEbsDefaultKmsKeyIdResponse>"
        )),
        ("s3", "GET", "")
            if query.is_empty()
                || query.starts_with("x-id=ListBuckets")
                || query.starts_with("max-buckets") =>
        {
            xml(
                "<ListAllMyBucketsResult><Buckets><Bucket><Name>trail-logs</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets><Owner><ID>o</ID></Owner></ListAllMyBucketsResult>",
            )
        }
        ("s3", "GET", "/trail-logs") if query.starts_with("versioning") => xml(
            "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>",
        ),
        _ => None,
    }
}

#[test]
fn services_moto_lacks_are_read_as_documented() {
    let mock = Mock::new(route);
    let audit = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(phiguard_aws::audit(&options(&mock)))
        .expect("the audit runs");
    let inv = &audit.inventory;
    assert!(audit.calls > 20, "every call is recorded: {}", audit.calls);
    assert!(
        audit
            .operations
            .contains_key(&("Artifact".to_string(), "ListCustomerAgreements".to_string())),
        "{:?}",
        audit.operations.keys()
    );

    let a = &inv.agreements;
    assert_eq!(a.len(), 1, "{:#?}", inv.gaps);
    assert_eq!(a[0].state, Val::Known("ACTIVE".into()));
    assert_eq!(a[0].scope, Val::Known("ORGANIZATION".into()));

    let addons: Vec<_> = inv
        .eks_addons
        .iter()
        .filter_map(|x| x.name.known().cloned())
        .collect();
    assert_eq!(
        addons,
        ["vpc-cni", "eks-pod-identity-agent"],
        "{:#?}",
        inv.gaps
    );
    assert_eq!(inv.pod_identity_associations.len(), 1);
    assert_eq!(
        inv.pod_identity_associations[0].role,
        Val::Known(Link::External(POD_ROLE.into()))
    );

    assert_eq!(inv.security_hubs.len(), 1);
    assert_eq!(
        inv.security_hubs[0].standards,
        Val::Known(vec![CIS.to_string()])
    );

    assert_eq!(inv.backup_selections.len(), 1, "{:#?}", inv.gaps);
    let Val::Known(sel) = &inv.backup_selections[0].select else {
        panic!("{:#?}", inv.backup_selections)
    };
    assert!(sel.contains(&Selector::Tag {
        key: "phi".into(),
        value: "true".into()
    }));
    assert!(sel.contains(&Selector::Pattern("arn:aws:dynamodb:*:*:table/*".into())));
    let plans = &inv.backup_plans;
    assert_eq!(plans.len(), 1);
    let Val::Known(rules) = &plans[0].rules else {
        panic!()
    };
    assert_eq!(rules[0].copy_to.len(), 1);

    assert_eq!(inv.restore_testing_plans.len(), 1, "{:#?}", inv.gaps);
    assert_eq!(
        inv.restore_testing_plans[0].schedule,
        Val::Known("cron(0 5 ? * 1 *)".into())
    );
    assert_eq!(
        inv.restore_testing_plans[0].last_success,
        Val::Known(Some(1_764_000_000))
    );

    assert_eq!(inv.guardduty.len(), 1);
    assert_eq!(inv.guardduty[0].enabled, Val::Known(true));
    assert_eq!(inv.guardduty[0].org_auto_enable, Val::Known(true));

    assert_eq!(inv.ebs_defaults.len(), 1, "{:#?}", inv.gaps);
    assert_eq!(inv.ebs_defaults[0].enabled, Val::Known(true));
    assert_eq!(
        inv.ebs_defaults[0].key,
        Val::Known(KeyRef::External(EBS_KEY.into()))
    );

    assert_eq!(inv.buckets.len(), 1, "{:#?}", inv.gaps);
    assert_eq!(inv.buckets[0].versioning, Val::Known(true));
    assert_eq!(inv.buckets[0].mfa_delete, Val::Known(true));

    // And the rules judge them.
    let f = phiguard_rules::run(
        inv,
        &Config::default(),
        &RunOptions {
            complete: true,
            today: "2026-11-30".into(),
            ..Default::default()
        },
    );
    let outcome = |rule: &str| -> Vec<Outcome> {
        f.iter()
            .filter(|x| x.rule == rule)
            .map(|x| x.outcome)
            .collect()
    };
    assert!(
        outcome("BAA-1").contains(&Outcome::Pass),
        "{:#?}",
        f.iter().filter(|x| x.rule == "BAA-1").collect::<Vec<_>>()
    );
    assert_eq!(outcome("EKS-1"), [Outcome::Pass]);
    assert!(
        outcome("MON-2").contains(&Outcome::Pass),
        "{:#?}",
        f.iter().filter(|x| x.rule == "MON-2").collect::<Vec<_>>()
    );
}
