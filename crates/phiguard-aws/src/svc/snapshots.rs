//! Snapshots and machine images of the account in a region, and whether
//! each is shared with everyone: EBS snapshots (`createVolumePermission`),
//! AMIs (`Public`), manual RDS DB snapshots and DB cluster snapshots (the
//! `restore` attribute). Only the account's own are read; the attribute
//! calls run a few at a time.

use crate::errors::ce;
use crate::scope::Scope;
use crate::{all, client};
use futures::StreamExt;
use phiguard_model::{Collection, Snapshot, SnapshotKind, Val};

/// Attribute calls in flight per job.
const IN_FLIGHT: usize = 4;

/// `(public, the accounts shared with)` from a list of grantees, `all` meaning everyone.
fn shares<'a>(values: impl Iterator<Item = &'a str>) -> (bool, Vec<String>) {
    let mut public = false;
    let mut accounts = Vec::new();
    for v in values {
        if v == "all" {
            public = true;
        } else {
            accounts.push(v.to_string());
        }
    }
    (public, accounts)
}

/// Each item with the answer `read` gives for it, `IN_FLIGHT` calls at a time.
async fn each_read<T, R, F>(items: Vec<T>, read: impl Fn(&T) -> F) -> Vec<(T, R)>
where
    F: std::future::Future<Output = R>,
{
    futures::stream::iter(items.into_iter().map(|x| {
        let answer = read(&x);
        async move { (x, answer.await) }
    }))
    .buffer_unordered(IN_FLIGHT)
    .collect()
    .await
}

fn push(
    s: &Scope,
    kind: &str,
    name: &str,
    arn: &str,
    tags: std::collections::BTreeMap<String, String>,
    snap: impl FnOnce(phiguard_model::Rid) -> Snapshot,
) {
    let rid = s.add(kind, name, arn, Some(tags));
    let v = snap(rid);
    s.with(|inv| inv.snapshots.push(v));
}

/// EBS snapshots and AMIs.
pub async fn ec2(s: Scope) {
    let c = client!(aws_sdk_ec2, s);
    futures::join!(ebs(&s, &c), images(&s, &c));
}

async fn ebs(s: &Scope, c: &aws_sdk_ec2::Client) {
    let Some(list) = s.listed(
        Collection::Snapshots,
        "ec2:DescribeSnapshots",
        all!(c.describe_snapshots().owner_ids("self")),
    ) else {
        return;
    };
    // Only the account's own: OwnerIds=self (an emulator may answer more).
    let own: Vec<_> = list
        .into_iter()
        .filter(|x| x.owner_id().is_none_or(|o| o == s.account))
        .collect();
    let read = each_read(own, |snap| {
        c.describe_snapshot_attribute()
            .snapshot_id(snap.snapshot_id().unwrap_or_default())
            .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
            .send()
    })
    .await;
    for (snap, r) in read {
        let id = snap.snapshot_id().unwrap_or_default();
        let (public, shared_with) = match r.map_err(ce) {
            Ok(o) => {
                let perms = o.create_volume_permissions();
                let groups = perms.iter().filter_map(|p| p.group().map(|g| g.as_str()));
                let (public, _) = shares(groups);
                let users = perms.iter().filter_map(|p| p.user_id());
                (Val::Known(public), Val::Known(shares(users).1))
            }
            Err(e) => {
                let why = format!("ec2:DescribeSnapshotAttribute: {e}");
                (Val::unknown(why.clone()), Val::unknown(why))
            }
        };
        let arn = format!("arn:{}:ec2:{}::snapshot/{id}", s.partition, s.region);
        push(
            s,
            "AWS::EC2::Snapshot",
            id,
            &arn,
            super::ec2::tags(snap.tags()),
            |rid| Snapshot {
                rid,
                kind: SnapshotKind::Ebs,
                public,
                shared_with,
            },
        );
    }
}

async fn images(s: &Scope, c: &aws_sdk_ec2::Client) {
    let Some(list) = s.listed(
        Collection::Snapshots,
        "ec2:DescribeImages",
        all!(c.describe_images().owners("self")),
    ) else {
        return;
    };
    for img in list
        .iter()
        .filter(|x| x.owner_id().is_none_or(|o| o == s.account))
    {
        let id = img.image_id().unwrap_or_default();
        let arn = format!("arn:{}:ec2:{}::image/{id}", s.partition, s.region);
        let public = match img.public() {
            Some(p) => Val::Known(p),
            None => Val::unknown("DescribeImages does not say whether the image is public"),
        };
        push(
            s,
            "AWS::EC2::Image",
            id,
            &arn,
            super::ec2::tags(img.tags()),
            |rid| Snapshot {
                rid,
                kind: SnapshotKind::Image,
                public,
                shared_with: Val::unknown("launch permissions for named accounts are not read"),
            },
        );
    }
}

/// The `restore` attribute's values, or why they cannot be told.
fn restore<'a>(attrs: impl Iterator<Item = Attribute<'a>>) -> (Val<bool>, Val<Vec<String>>) {
    let values: Vec<&str> = attrs
        .filter(|(n, _)| *n == Some("restore"))
        .flat_map(|(_, v)| v.iter().map(String::as_str))
        .collect();
    let (public, accounts) = shares(values.into_iter());
    (Val::Known(public), Val::Known(accounts))
}

/// Manual RDS DB snapshots and DB cluster snapshots (automated and AWS
/// Backup snapshots cannot be shared).
pub async fn rds(s: Scope) {
    let c = client!(aws_sdk_rds, s);
    futures::join!(db_snapshots(&s, &c), cluster_snapshots(&s, &c));
}

async fn db_snapshots(s: &Scope, c: &aws_sdk_rds::Client) {
    let Some(list) = s.listed(
        Collection::Snapshots,
        "rds:DescribeDBSnapshots",
        all!(c.describe_db_snapshots().snapshot_type("manual")),
    ) else {
        return;
    };
    let manual: Vec<_> = list
        .into_iter()
        .filter(|x| x.snapshot_type().is_none_or(|t| t == "manual"))
        .collect();
    let read = each_read(manual, |snap| {
        c.describe_db_snapshot_attributes()
            .db_snapshot_identifier(snap.db_snapshot_identifier().unwrap_or_default())
            .send()
    })
    .await;
    for (snap, r) in read {
        let r = r.map_err(ce);
        let attrs = r.as_ref().map(|o| {
            o.db_snapshot_attributes_result()
                .map(|r| r.db_snapshot_attributes())
                .unwrap_or_default()
                .iter()
                .map(|a| (a.attribute_name(), a.attribute_values()))
                .collect()
        });
        let snapshot = RdsSnapshot {
            id: snap.db_snapshot_identifier().unwrap_or_default(),
            arn: snap.db_snapshot_arn(),
            tags: snap.tag_list(),
            cluster: false,
        };
        record_rds(s, snapshot, "rds:DescribeDBSnapshotAttributes", attrs);
    }
}

async fn cluster_snapshots(s: &Scope, c: &aws_sdk_rds::Client) {
    let Some(list) = s.listed(
        Collection::Snapshots,
        "rds:DescribeDBClusterSnapshots",
        all!(c.describe_db_cluster_snapshots().snapshot_type("manual")),
    ) else {
        return;
    };
    let manual: Vec<_> = list
        .into_iter()
        .filter(|x| x.snapshot_type().is_none_or(|t| t == "manual"))
        .collect();
    let read = each_read(manual, |snap| {
        c.describe_db_cluster_snapshot_attributes()
            .db_cluster_snapshot_identifier(
                snap.db_cluster_snapshot_identifier().unwrap_or_default(),
            )
            .send()
    })
    .await;
    for (snap, r) in read {
        let r = r.map_err(ce);
        let attrs = r.as_ref().map(|o| {
            o.db_cluster_snapshot_attributes_result()
                .map(|r| r.db_cluster_snapshot_attributes())
                .unwrap_or_default()
                .iter()
                .map(|a| (a.attribute_name(), a.attribute_values()))
                .collect()
        });
        let snapshot = RdsSnapshot {
            id: snap.db_cluster_snapshot_identifier().unwrap_or_default(),
            arn: snap.db_cluster_snapshot_arn(),
            tags: snap.tag_list(),
            cluster: true,
        };
        record_rds(
            s,
            snapshot,
            "rds:DescribeDBClusterSnapshotAttributes",
            attrs,
        );
    }
}

/// An attribute of a snapshot: its name and values.
type Attribute<'a> = (Option<&'a str>, &'a [String]);

/// What an RDS DB snapshot or DB cluster snapshot says of itself.
struct RdsSnapshot<'a> {
    id: &'a str,
    arn: Option<&'a str>,
    tags: &'a [aws_sdk_rds::types::Tag],
    cluster: bool,
}

/// Records an RDS snapshot with its attributes (name, values), or why
/// `op` could not read them.
fn record_rds(
    s: &Scope,
    snap: RdsSnapshot,
    op: &str,
    attrs: Result<Vec<Attribute>, &crate::errors::CallError>,
) {
    let (public, shared_with) = match attrs {
        Ok(a) => restore(a.into_iter()),
        Err(e) => {
            let why = format!("{op}: {e}");
            (Val::unknown(why.clone()), Val::unknown(why))
        }
    };
    let (kind, arn_kind, snapshot_kind) = if snap.cluster {
        (
            "AWS::RDS::DBClusterSnapshot",
            "cluster-snapshot",
            SnapshotKind::DbCluster,
        )
    } else {
        ("AWS::RDS::DBSnapshot", "snapshot", SnapshotKind::DbInstance)
    };
    let id = snap.id;
    let arn = snap
        .arn
        .map(str::to_string)
        .unwrap_or_else(|| s.arn("rds", &format!("{arn_kind}:{id}")));
    push(s, kind, id, &arn, super::data::rds_tags(snap.tags), |rid| {
        Snapshot {
            rid,
            kind: snapshot_kind,
            public,
            shared_with,
        }
    });
}
