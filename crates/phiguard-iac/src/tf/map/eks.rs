//! `aws_eks_cluster`, `aws_eks_addon`, `aws_eks_pod_identity_association`
//! and `aws_eks_node_group`. Add-ons, associations and node groups link to
//! their cluster and role by reference, else by the known name (or ARN) of
//! a cluster or role of the plan, else to what they name outside it.

use super::{block, link_to};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::eks;
use phiguard_model::{EksCluster, KeyRef, Link, Rid, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_eks_cluster",
        "aws_eks_addon",
        "aws_eks_pod_identity_association",
        "aws_eks_node_group",
    ],
    map,
    finish,
};

/// The key that encrypts Kubernetes secrets: the `encryption_config` whose
/// `resources` name `secrets`; `None` when there is none (envelope
/// encryption off).
fn secrets_key(p: P) -> R<Val<Option<KeyRef>>> {
    let items = match p.get("encryption_config").list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut unknown = None;
    for i in items {
        match i.get("resources").strings()? {
            Val::Known(res) if res.iter().any(|r| r == "secrets") => {
                let prov = match block(i, "provider")? {
                    Val::Known(Some(b)) => b,
                    Val::Known(None) => {
                        return i.error("an encryption_config needs provider.key_arn");
                    }
                    Val::Unknown(r) => return Ok(Val::Unknown(r)),
                };
                let k = prov.get("key_arn");
                if k.is_absent() {
                    return k.error("an encryption_config needs provider.key_arn");
                }
                return Ok(k.key_ref("").map(Some));
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

/// A link to a resource of type `ty` whose known `name` attribute is `name`
/// (or the last segment of an ARN after `marker`).
fn by_name(p: P, attr: &str, rid: Rid, ty: &str, marker: &str) -> Val<Link> {
    let link = link_to(p, attr, rid, &[ty]);
    if let Val::Known(Link::External(s)) = &link {
        let name = s
            .split_once(marker)
            .and_then(|(_, rest)| rest.rsplit('/').next())
            .unwrap_or(s);
        if let Some(r) = p
            .est
            .of_type(ty)
            .find(|r| p.est.props(r).get("name").text().as_deref() == Some(name))
        {
            return Val::Known(Link::Resource(r.rid));
        }
    }
    link
}

/// The cluster by reference; by name in `finish`.
fn cluster(p: P, rid: Rid) -> Val<Link> {
    link_to(p, "cluster_name", rid, &["aws_eks_cluster"])
}

fn role(p: P, attr: &str, rid: Rid) -> Val<Link> {
    by_name(p, attr, rid, "aws_iam_role", ":role/")
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "aws_eks_cluster" => {
            let name = match p.get("name").str_opt()? {
                Val::Known(Some(n)) => Val::Known(n),
                Val::Known(None) => return p.get("name").error("name is required"),
                Val::Unknown(r) => Val::Unknown(r),
            };
            let secrets_key = secrets_key(p)?;
            m.inv.eks_clusters.push(EksCluster {
                rid: r.rid,
                name,
                secrets_key,
            });
        }
        other => {
            let kind = match other {
                "aws_eks_addon" => "addon",
                "aws_eks_pod_identity_association" => "association",
                _ => "node group",
            };
            let link = |k: &'static str| {
                if k == SPELLING.cluster_name {
                    cluster(p, r.rid)
                } else {
                    role(p, k, r.rid)
                }
            };
            eks::map(m.inv, r.rid, kind, p, &SPELLING, &link)?;
        }
    }
    Ok(())
}

const SPELLING: eks::Spelling = eks::Spelling {
    cluster_name: "cluster_name",
    addon_name: "addon_name",
    role_arn: "role_arn",
    node_role: "node_role_arn",
};

fn finish(m: &mut Mapper) {
    eks::join_clusters(m.inv);
}
