use crate::{Cx, declare_rule};
use phiguard_model::{SnapshotKind, Val};

declare_rule! {
    /// ### What it checks
    /// No EBS snapshot, RDS DB snapshot, Aurora DB cluster snapshot or
    /// Amazon Machine Image of the estate is shared with everyone:
    ///
    /// - EBS: `createVolumePermission` holds the group `all`;
    /// - RDS and Aurora: the manual snapshot's `restore` attribute holds `all`
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSnapshotAttribute.html>);
    /// - AMIs: a launch permission for the group `all` (`Public: true`).
    ///
    /// Sharing with named accounts is not public and passes (the message
    /// names them). Live, only the account's own snapshots and images are
    /// read (`OwnerIds=self`, `Owners=self`); automated RDS snapshots cannot
    /// be shared and are skipped.
    ///
    /// ### Defaults assumed
    /// A snapshot or image is private until shared: EBS snapshots and AMIs
    /// have no create-volume or launch permissions when created
    /// (<https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html>,
    /// <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html>;
    /// a public share is refused for encrypted snapshots and images),
    /// and a manual RDS snapshot's `restore` attribute is empty.
    ///
    /// In Terraform: `shared_accounts` containing `all` on `aws_db_snapshot`,
    /// `aws_db_snapshot_copy`, `aws_db_cluster_snapshot` and
    /// `aws_rds_cluster_snapshot_copy` ("Use `all` to make the snapshot
    /// public",
    /// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_snapshot>);
    /// `aws_ami_launch_permission` with `group = "all"`, on an image of the
    /// estate or one it names
    /// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ami_launch_permission>).
    /// `aws_ebs_snapshot` is never public by itself, and
    /// `aws_snapshot_create_volume_permission` takes only an `account_id`
    /// (the provider adds a `UserId`, never the group `all`), so an EBS
    /// snapshot of Terraform code is never public. CloudFormation has no
    /// resource that shares a snapshot or an image, so the rule cannot be
    /// decided from a template.
    ///
    /// ### Why
    /// A public snapshot is a full copy of a disk or a database that any AWS
    /// account can restore, with every record of PHI in it, and its owner
    /// sees no access. Public RDS and EBS snapshots are a recurring cause of
    /// health-data breaches.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeSnapshots` (`OwnerIds=self`) with
    ///   `ec2:DescribeSnapshotAttribute` (`createVolumePermission`),
    ///   `ec2:DescribeImages` (`Owners=self`, `Public`),
    ///   `rds:DescribeDBSnapshots` and `rds:DescribeDBClusterSnapshots` with
    ///   `rds:DescribeDBSnapshotAttributes` and
    ///   `rds:DescribeDBClusterSnapshotAttributes` (`restore`).
    /// - Terraform: `aws_db_snapshot`, `aws_db_snapshot_copy`,
    ///   `aws_db_cluster_snapshot`, `aws_rds_cluster_snapshot_copy`
    ///   (`shared_accounts`), `aws_ami`, `aws_ami_copy`,
    ///   `aws_ami_from_instance` with `aws_ami_launch_permission`,
    ///   `aws_ebs_snapshot`, `aws_ebs_snapshot_copy`.
    pub static RULE = {
        id: "NET-6",
        control: NetworkIsolation,
        severity: Critical,
        sources: [Live, Terraform],
        reads: [Snapshots],
        scope: Resource,
        title: "Snapshots and machine images are not public",
        remediation: "Make the snapshot or image private: remove the group all (aws ec2 modify-snapshot-attribute / modify-image-attribute --operation-type remove, aws rds modify-db-snapshot-attribute --values-to-remove all), drop \"all\" from shared_accounts or the aws_ami_launch_permission with group all, and share with named accounts only.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for s in &inv.snapshots {
        let what = s.kind.describe();
        let shared = match &s.shared_with {
            Val::Known(a) if !a.is_empty() => format!(", shared with {}", a.join(", ")),
            _ => String::new(),
        };
        match &s.public {
            Val::Known(true) => {
                let can = match s.kind {
                    SnapshotKind::Image => "launch instances from it and read its volumes",
                    SnapshotKind::Ebs => "create a volume from it",
                    SnapshotKind::DbInstance | SnapshotKind::DbCluster => "copy or restore it",
                };
                cx.fail(
                    s.rid,
                    format!("the {what} is public: any AWS account can {can}{shared}"),
                )
            }
            Val::Known(false) => cx.pass(s.rid, format!("the {what} is not public{shared}")),
            Val::Unknown(r) => cx.unknown(
                s.rid,
                format!("whether the {what} is public cannot be told: {r}"),
            ),
        }
    }
}
