//! Snapshots and machine images, and whom they are shared with:
//! `aws_ebs_snapshot` (and its copies and imports) with
//! `aws_snapshot_create_volume_permission`; `aws_db_snapshot`,
//! `aws_db_snapshot_copy`, `aws_db_cluster_snapshot` and
//! `aws_rds_cluster_snapshot_copy` with their `shared_accounts` (`all`
//! makes one public); `aws_ami`, `aws_ami_copy` and `aws_ami_from_instance`
//! with `aws_ami_launch_permission` (`group = "all"` makes one public).
//!
//! `aws_snapshot_create_volume_permission` takes only an `account_id`: the
//! provider adds a `UserId`, never the group `all`, so it never makes an EBS
//! snapshot public. A launch permission for the group `all` on an image
//! the estate does not hold is judged on the permission itself.

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::R;
use phiguard_model::{Link, Snapshot, SnapshotKind, Val};

const EBS: &[&str] = &[
    "aws_ebs_snapshot",
    "aws_ebs_snapshot_copy",
    "aws_ebs_snapshot_import",
];
const DB: &[&str] = &["aws_db_snapshot", "aws_db_snapshot_copy"];
const CLUSTER: &[&str] = &["aws_db_cluster_snapshot", "aws_rds_cluster_snapshot_copy"];
const IMAGES: &[&str] = &["aws_ami", "aws_ami_copy", "aws_ami_from_instance"];

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_ebs_snapshot",
        "aws_ebs_snapshot_copy",
        "aws_ebs_snapshot_import",
        "aws_db_snapshot",
        "aws_db_snapshot_copy",
        "aws_db_cluster_snapshot",
        "aws_rds_cluster_snapshot_copy",
        "aws_ami",
        "aws_ami_copy",
        "aws_ami_from_instance",
    ],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let ty = r.ty.as_str();
    let kind = if EBS.contains(&ty) {
        SnapshotKind::Ebs
    } else if DB.contains(&ty) {
        SnapshotKind::DbInstance
    } else if CLUSTER.contains(&ty) {
        SnapshotKind::DbCluster
    } else {
        SnapshotKind::Image
    };
    let (public, shared_with) = match kind {
        SnapshotKind::DbInstance | SnapshotKind::DbCluster => {
            let p = m.props(r);
            let accounts = if omitted(p.get("shared_accounts"), r.rid, "shared_accounts") {
                Val::Known(vec![])
            } else {
                p.get("shared_accounts").strings()?
            };
            (
                accounts.as_ref().map(|a| a.iter().any(|x| x == "all")),
                accounts.map(|a| a.into_iter().filter(|x| x != "all").collect()),
            )
        }
        // Not shared until a permission says so (`finish`).
        SnapshotKind::Ebs | SnapshotKind::Image => (Val::Known(false), Val::Known(vec![])),
    };
    m.inv.snapshots.push(Snapshot {
        rid: r.rid,
        kind,
        public,
        shared_with,
    });
    Ok(())
}

/// The snapshot of the inventory that `attr` of permission `r` names: by
/// reference, or by the id a state records.
fn target(m: &Mapper, r: &EvalRes, attr: &str, kinds: &[&str]) -> Val<Option<usize>> {
    let p = m.est.props(r);
    match link_to(p, attr, r.rid, kinds) {
        Val::Known(Link::Resource(rid)) => Val::Known(phiguard_model::position_by_rid(
            &m.inv.snapshots,
            rid,
            |x| x.rid,
        )),
        // A state writes ids, not references: the resource with that id.
        Val::Known(Link::External(id)) => Val::Known(
            kinds
                .iter()
                .flat_map(|k| m.est.of_type(k))
                .find(|x| m.est.props(x).get("id").text().as_deref() == Some(id.as_str()))
                .and_then(|x| m.inv.snapshots.iter().position(|s| s.rid == x.rid)),
        ),
        Val::Unknown(why) => Val::Unknown(why),
    }
}

fn push_account(s: &mut Snapshot, account: Val<Option<String>>) {
    match (account, &mut s.shared_with) {
        (Val::Known(Some(a)), Val::Known(v)) if !v.contains(&a) => v.push(a),
        (Val::Unknown(why), shared) => *shared = Val::Unknown(why),
        _ => {}
    }
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    for r in est.of_type("aws_snapshot_create_volume_permission") {
        let p = est.props(r);
        if let Val::Known(Some(i)) = target(m, r, "snapshot_id", EBS) {
            match p.get("account_id").str_opt() {
                Ok(a) => push_account(&mut m.inv.snapshots[i], a),
                Err(e) => m.error(r, e),
            }
        }
    }
    for r in est.of_type("aws_ami_launch_permission") {
        let p = est.props(r);
        let group = match p.get("group").str_opt() {
            Ok(g) => g,
            Err(e) => {
                m.error(r, e);
                continue;
            }
        };
        let public = group.map(|g| g.as_deref() == Some("all"));
        match target(m, r, "image_id", IMAGES) {
            Val::Known(Some(i)) => {
                let s = &mut m.inv.snapshots[i];
                match (&public, &s.public) {
                    (_, Val::Known(true)) => {}
                    (Val::Known(false), _) => {}
                    (p, _) => s.public = p.clone(),
                }
                match p.get("account_id").str_opt() {
                    Ok(a) => push_account(s, a),
                    Err(e) => m.error(r, e),
                }
            }
            // An image outside the estate (or one named only after apply):
            // a permission that opens it to everyone is judged on itself.
            _ if public.known() == Some(&false) => {}
            _ => m.inv.snapshots.push(Snapshot {
                rid: r.rid,
                kind: SnapshotKind::Image,
                public,
                shared_with: Val::Known(vec![]),
            }),
        }
    }
}
