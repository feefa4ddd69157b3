//! `AWS::EKS::Cluster`, `AWS::EKS::Addon`, `AWS::EKS::PodIdentityAssociation`
//! and `AWS::EKS::Nodegroup`. Add-ons, associations and node groups link to
//! their cluster (by `!Ref` or by the cluster's literal name) and to their role.

use super::iam::role_link;
use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::eks;
use phiguard_model::{KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::EKS::Cluster",
        "AWS::EKS::Addon",
        "AWS::EKS::PodIdentityAssociation",
        "AWS::EKS::Nodegroup",
    ],
    map,
    finish,
};

/// The key of an `EncryptionConfig` entry.
fn config_key(i: P) -> R<Val<KeyRef>> {
    let k = i.get("Provider").get("KeyArn");
    if k.is_absent() {
        return k.error("an encryption config needs Provider.KeyArn");
    }
    // An alias ARN whose account and region are left to deploy
    // time still names the alias.
    Ok(match (k.key_ref(""), k.text()) {
        (Val::Unknown(_), Some(t))
            if t.rsplit_once(":alias/")
                .is_some_and(|(_, a)| !a.contains("${")) =>
        {
            Val::Known(i.est.external_key(&t))
        }
        (key, _) => key,
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "AWS::EKS::Cluster" => {
            let name = p
                .get("Name")
                .str_or_unknown("the cluster name is generated at deploy time")?;
            let configs = p.get("EncryptionConfig");
            eks::cluster(m.inv, r.rid, name, configs, "Resources", config_key)?;
        }
        ty => {
            // Roles are joined in `finish`, once every role is mapped.
            eks::map(m.inv, r.rid, ty, p, &SPELLING, &|k| p.get(k).link())?;
        }
    }
    Ok(())
}

const SPELLING: eks::Spelling = eks::Spelling {
    addon: "AWS::EKS::Addon",
    association: "AWS::EKS::PodIdentityAssociation",
    cluster_name: "ClusterName",
    addon_name: "AddonName",
    role_arn: "RoleArn",
    node_role: "NodeRole",
};

fn finish(m: &mut Mapper) {
    eks::join_clusters(m.inv);
    for i in 0..m.inv.pod_identity_associations.len() {
        let rid = m.inv.pod_identity_associations[i].rid;
        let Some(r) = m.est.get(rid) else { continue };
        m.inv.pod_identity_associations[i].role = role_link(m, m.est.props(r).get("RoleArn"));
    }
    for i in 0..m.inv.node_groups.len() {
        let rid = m.inv.node_groups[i].rid;
        let Some(r) = m.est.get(rid) else { continue };
        m.inv.node_groups[i].node_role = role_link(m, m.est.props(r).get("NodeRole"));
    }
}
