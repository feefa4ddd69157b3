use crate::{Cx, declare_rule};
use phiguard_model::Val;

/// The shortest automated-backup retention that passes, in days.
pub const MIN_DAYS: u32 = 7;

declare_rule! {
    /// ### What it checks
    /// Every RDS DB instance that is not part of a cluster, and every Aurora
    /// or Multi-AZ DB cluster, keeps its automated backups at least 7 days
    /// (`BackupRetentionPeriod` >= 7; 0 turns automated backups off). Aurora
    /// instances take the period from their cluster, and a read replica
    /// relies on its source's backups: neither is judged on its own.
    ///
    /// ### Why
    /// Automated backups are what point-in-time recovery restores from. A
    /// one-day window means corruption or a bad migration noticed after a
    /// weekend cannot be undone from them: HIPAA asks for retrievable exact
    /// copies of ePHI (data backup plan) and a disaster recovery plan.
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (`BackupRetentionPeriod`).
    /// - Terraform: `backup_retention_period` of `aws_db_instance` and
    ///   `aws_rds_cluster`. `aws_rds_cluster` documents a default of 1
    ///   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster>);
    ///   `aws_db_instance` documents 0
    ///   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance>)
    ///   but sends nothing when it is left out, so RDS applies its own
    ///   default of 1 day. Either is below 7.
    /// - CloudFormation: `BackupRetentionPeriod` of `AWS::RDS::DBInstance`
    ///   and `AWS::RDS::DBCluster`, default 1. RDS API reference,
    ///   `CreateDBInstance` ("Default: 1") and `CreateDBCluster` ("Default: 1"):
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>,
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html>;
    ///   RDS User Guide, "Backup retention period" (one day through the API,
    ///   seven through the console):
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html>.
    ///
    /// A database restored from a snapshot or to a point in time keeps its
    /// source's period unless the code sets one: unknown.
    pub static RULE = {
        id: "BAK-7",
        control: DisasterRecovery,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases],
        scope: Resource,
        title: "Automated database backups are kept at least 7 days",
        remediation: "Set BackupRetentionPeriod (backup_retention_period) to 7 or more, up to 35 days, on every DB instance outside a cluster and on every DB cluster.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for db in &cx.inv.databases {
        if db.cluster.is_some() || db.read_replica.is_true() {
            continue;
        }
        let what = if db.is_cluster {
            "the DB cluster"
        } else {
            "the DB instance"
        };
        match &db.backup_retention_days {
            Val::Known(0) => cx.fail(
                db.rid,
                format!("{what} has automated backups turned off (retention 0)"),
            ),
            Val::Known(d) if *d < MIN_DAYS => cx.fail(
                db.rid,
                format!(
                    "{what} keeps automated backups {d} day{}, less than {MIN_DAYS}",
                    if *d == 1 { "" } else { "s" }
                ),
            ),
            Val::Known(d) => cx.pass(db.rid, format!("{what} keeps automated backups {d} days")),
            Val::Unknown(r) => cx.unknown(db.rid, r.clone()),
        }
    }
}
