use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every RDS DB instance and every Aurora (or Multi-AZ) DB cluster has
    /// storage encryption on, under a customer-managed KMS key. An instance
    /// that belongs to a cluster takes its encryption from the cluster, so
    /// only the cluster is judged.
    ///
    /// ### Why
    /// Database storage, its automated backups, snapshots and read replicas
    /// hold PHI. Encryption can only be turned on when the database is
    /// created; a customer-managed key makes every decrypt depend on a key
    /// policy the organization controls, and can be shared for cross-account
    /// snapshot copies (the AWS-managed `aws/rds` key cannot).
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (`StorageEncrypted`, `KmsKeyId`).
    /// - Terraform: `aws_db_instance` / `aws_rds_cluster` `storage_encrypted`, `kms_key_id`.
    /// - CloudFormation: `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` `StorageEncrypted`
    ///   (default `false`; Aurora Serverless v1 is always encrypted), `KmsKeyId`
    ///   (default: the AWS-managed `aws/rds` key).
    ///
    /// A database restored from a snapshot, or a replica, inherits its
    /// source's encryption: unknown unless the code says so.
    pub static RULE = {
        id: "ENC-4",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases, KmsKeys],
        scope: Resource,
        title: "RDS instances and Aurora clusters are encrypted with a customer-managed key",
        remediation: "Create the database with StorageEncrypted: true and KmsKeyId naming a customer-managed key (an existing database must be restored from an encrypted snapshot copy).",
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
        match &db.storage_encrypted {
            Val::Unknown(r) => cx.unknown(db.rid, r.clone()),
            Val::Known(false) => cx.fail(db.rid, format!("{what} has storage encryption off")),
            Val::Known(true) => judge_cmk(cx, db.rid, what, &db.key),
        }
    }
}
