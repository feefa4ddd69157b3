use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// No RDS DB instance (Aurora instances included: each has its own
    /// setting) and no Multi-AZ DB cluster is publicly accessible. Aurora
    /// clusters have no such setting and are judged through their instances.
    ///
    /// ### Why
    /// A publicly accessible database gets a DNS name that resolves to a
    /// public IP address from outside its VPC: one security group rule (or
    /// the default VPC's) away from the internet. "A staging database
    /// accidentally exposed" is how most PHI breaches on AWS start.
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (`PubliclyAccessible`).
    /// - Terraform: `aws_db_instance` / `aws_rds_cluster_instance`
    ///   `publicly_accessible` (default `false`, sent by the provider:
    ///   <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance>,
    ///   <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance>);
    ///   `aws_rds_cluster.publicly_accessible` for Multi-AZ DB clusters.
    /// - CloudFormation: `AWS::RDS::DBInstance.PubliclyAccessible`,
    ///   `AWS::RDS::DBCluster.PubliclyAccessible` (Multi-AZ DB clusters).
    ///
    /// When CloudFormation (or `aws_rds_cluster`) leaves it out, RDS decides
    /// by the network: the database is public when the VPC of its DB subnet
    /// group, or the default VPC when none is named, has an internet gateway
    /// attached (RDS API reference, `CreateDBInstance` and `CreateDBCluster`,
    /// `PubliclyAccessible`:
    /// <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>,
    /// <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html>).
    /// The code does not show that, so the outcome is unknown: set it to
    /// `false` explicitly.
    pub static RULE = {
        id: "NET-7",
        control: NetworkIsolation,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases],
        scope: Resource,
        title: "RDS databases are not publicly accessible",
        remediation: "Set PubliclyAccessible: false (publicly_accessible = false) on every DB instance and Multi-AZ DB cluster, and place it in private subnets; reach it through the VPC, a VPN or a bastion instead.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for db in &cx.inv.databases {
        let what = if db.is_cluster {
            "the Multi-AZ DB cluster"
        } else {
            "the DB instance"
        };
        match &db.publicly_accessible {
            // An Aurora cluster: its instances carry the setting.
            Val::Known(None) => {}
            Val::Known(Some(true)) => cx.fail(
                db.rid,
                format!(
                    "{what} is publicly accessible: its endpoint resolves to a public IP address from outside the VPC"
                ),
            ),
            Val::Known(Some(false)) => cx.pass(db.rid, format!("{what} is not publicly accessible")),
            Val::Unknown(r) => cx.unknown(db.rid, r.clone()),
        }
    }
}
