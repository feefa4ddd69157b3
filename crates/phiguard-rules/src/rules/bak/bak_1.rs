use crate::util::backup::{plan_exists, selects};
use crate::{Cx, declare_rule};
use phiguard_model::{Val, all3};

/// The kinds AWS Backup must protect.
const KINDS: &[&str] = &[
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::EC2::Volume",
    "AWS::DynamoDB::Table",
];

declare_rule! {
    /// ### What it checks
    /// Every RDS DB instance or cluster, EBS volume and DynamoDB table in PHI
    /// scope is picked by an AWS Backup selection whose backup plan exists:
    /// by the resource itself, by an ARN pattern (`arn:aws:dynamodb:*:*:table/*`,
    /// `*`), or by a tag condition matching the resource's tags, and not
    /// excluded by `NotResources`. Instances of an Aurora cluster are backed
    /// up with the cluster and are not judged on their own.
    ///
    /// ### Why
    /// HIPAA requires retrievable exact copies of ePHI (data backup plan,
    /// disaster recovery plan). A resource no plan selects has no backup
    /// beyond what its service keeps by itself.
    ///
    /// ### Sources
    /// - Live: `backup:ListBackupPlans`, `ListBackupSelections`, `GetBackupSelection`.
    /// - Terraform: `aws_backup_selection` (`plan_id`, `resources`, `selection_tag`, `condition`, `not_resources`).
    /// - CloudFormation: `AWS::Backup::BackupSelection` (`BackupPlanId`, `Resources`,
    ///   `ListOfTags`, `Conditions`, `NotResources`).
    ///
    /// Selection conditions other than a single `StringEquals` tag on
    /// `Resources: ["*"]` are not evaluated: the outcome is unknown.
    pub static RULE = {
        id: "BAK-1",
        control: DisasterRecovery,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Backup, Databases, EbsVolumes, DynamoTables],
        scope: Resource,
        title: "RDS, EBS and DynamoDB resources in PHI scope are selected by a backup plan",
        remediation: "Add the resource to a backup selection of a backup plan (by ARN, or by a tag such as phi=true in ListOfTags).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for m in inv
        .metas
        .iter()
        .filter(|m| KINDS.contains(&m.kind.as_str()))
    {
        if inv
            .databases
            .iter()
            .any(|d| d.rid == m.rid && d.cluster.is_some())
        {
            continue;
        }
        if !cx.phi_scoped(m.rid) {
            continue;
        }
        let mut unknown = None;
        let mut hit = None;
        for s in &inv.backup_selections {
            match all3([selects(inv, s, m.rid), plan_exists(inv, s)]) {
                Val::Known(true) => {
                    hit = Some(s);
                    break;
                }
                Val::Known(false) => {}
                Val::Unknown(r) => {
                    unknown.get_or_insert(r);
                }
            }
        }
        match (hit, unknown) {
            (Some(s), _) => {
                let plan = match &s.plan {
                    Val::Known(l) => l
                        .rid()
                        .map(|p| inv.meta(p).name.clone())
                        .unwrap_or_default(),
                    Val::Unknown(_) => String::new(),
                };
                cx.pass(
                    m.rid,
                    format!(
                        "selected by backup selection {} of plan {plan}",
                        inv.meta(s.rid).name
                    ),
                )
            }
            (None, Some(r)) => cx.unknown(m.rid, r),
            (None, None) => cx.fail(
                m.rid,
                "no backup selection of an existing backup plan in the estate selects it",
            ),
        }
    }
}
