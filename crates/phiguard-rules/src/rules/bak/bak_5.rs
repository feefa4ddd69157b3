use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every RDS DB instance that is not part of a cluster, and every Aurora
    /// or Multi-AZ DB cluster, has deletion protection on. Aurora instances
    /// take it from their cluster and are not judged on their own.
    ///
    /// ### Why
    /// A database holding PHI should not disappear through one mistaken
    /// `DeleteDBInstance`, a console click or a Terraform plan that replaces
    /// it: deletion protection makes every deletion a deliberate two-step
    /// change. CloudFormation's `DeletionPolicy: Snapshot` keeps a copy when
    /// the stack deletes the database, but does not stop a deletion, so it
    /// does not count.
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (`DeletionProtection`).
    /// - Terraform: `deletion_protection` of `aws_db_instance` and
    ///   `aws_rds_cluster`, default `false`
    ///   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance>,
    ///   <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster>).
    /// - CloudFormation: `DeletionProtection` of `AWS::RDS::DBInstance` and
    ///   `AWS::RDS::DBCluster`. Left out, it is off: the RDS API's default
    ///   is "deletion protection isn't enabled"
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>,
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html>).
    pub static RULE = {
        id: "BAK-5",
        control: DisasterRecovery,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases],
        scope: Resource,
        title: "Databases have deletion protection",
        remediation: "Set DeletionProtection: true (deletion_protection = true) on every DB instance outside a cluster and on every DB cluster.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for db in &cx.inv.databases {
        if db.cluster.is_some() {
            continue;
        }
        let what = if db.is_cluster {
            "the DB cluster"
        } else {
            "the DB instance"
        };
        match &db.deletion_protection {
            Val::Known(true) => cx.pass(db.rid, format!("{what} has deletion protection")),
            Val::Known(false) => cx.fail(
                db.rid,
                format!("{what} has no deletion protection: one delete call removes it"),
            ),
            Val::Unknown(r) => cx.unknown(db.rid, r.clone()),
        }
    }
}
