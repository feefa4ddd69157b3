//! `AWS::EKS::Cluster`, `AWS::EKS::Addon`, `AWS::EKS::PodIdentityAssociation`
//! and `AWS::EKS::Nodegroup`. Add-ons, associations and node groups link to
//! their cluster (by `!Ref` or by the cluster's literal name) and to their role.

use super::iam::role_link;
use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::eks;
use phiguard_model::{EksCluster, Val};

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

/// The key that encrypts Kubernetes secrets: the `EncryptionConfig` entry whose
/// `Resources` name `secrets`; `None` when there is none (envelope encryption off).
fn secrets_key(p: P) -> R<Val<Option<phiguard_model::KeyRef>>> {
    let items = match p.get("EncryptionConfig").list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut unknown = None;
    for i in items {
        match i.get("Resources").strings()? {
            Val::Known(res) if res.iter().any(|r| r == "secrets") => {
                let k = i.get("Provider").get("KeyArn");
                if k.is_absent() {
                    return k.error("an encryption config needs Provider.KeyArn");
                }
                // An alias ARN whose account and region are left to deploy
                // time still names the alias.
                let key = match (k.key_ref(""), k.text()) {
                    (Val::Unknown(_), Some(t))
                        if t.rsplit_once(":alias/")
                            .is_some_and(|(_, a)| !a.contains("${")) =>
                    {
                        Val::Known(p.est.external_key(&t))
                    }
                    (key, _) => key,
                };
                return Ok(key.map(Some));
            }
            Val::Known(_) => {}
            Val::Unknown(r) => unknown = Some(r),
        }
    }
    Ok(match unknown {
        Some(r) => Val::Unknown(r),
        None => Val::Known(None),
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "AWS::EKS::Cluster" => {
            let name = p
                .get("Name")
                .str_or_unknown("the cluster name is generated at deploy time")?;
            let secrets_key = secrets_key(p)?;
            m.inv.eks_clusters.push(EksCluster {
                rid: r.rid,
                name,
                secrets_key,
            });
        }
        other => {
            let kind = match other {
                "AWS::EKS::Addon" => "addon",
                "AWS::EKS::PodIdentityAssociation" => "association",
                _ => "node group",
            };
            // Roles are joined in `finish`, once every role is mapped.
            eks::map(m.inv, r.rid, kind, p, &SPELLING, &|k| p.get(k).link())?;
        }
    }
    Ok(())
}

const SPELLING: eks::Spelling = eks::Spelling {
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
