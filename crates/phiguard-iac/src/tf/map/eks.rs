//! `aws_eks_cluster`, `aws_eks_addon`, `aws_eks_pod_identity_association`
//! and `aws_eks_node_group`. Add-ons, associations and node groups link to
//! their cluster and role by reference, else by the known name (or ARN) of
//! a cluster or role of the plan, else to what they name outside it.

use super::{block, link_to};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::eks;
use phiguard_model::{KeyRef, Link, Rid, Val};

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

/// The key of an `encryption_config` block.
fn config_key(i: P) -> R<Val<KeyRef>> {
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
    Ok(k.key_ref(""))
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
            let configs = p.get("encryption_config");
            eks::cluster(m.inv, r.rid, name, configs, "resources", config_key)?;
        }
        ty => {
            let link = |k: &'static str| {
                if k == SPELLING.cluster_name {
                    cluster(p, r.rid)
                } else {
                    role(p, k, r.rid)
                }
            };
            eks::map(m.inv, r.rid, ty, p, &SPELLING, &link)?;
        }
    }
    Ok(())
}

const SPELLING: eks::Spelling = eks::Spelling {
    addon: "aws_eks_addon",
    association: "aws_eks_pod_identity_association",
    cluster_name: "cluster_name",
    addon_name: "addon_name",
    role_arn: "role_arn",
    node_role: "node_role_arn",
};

fn finish(m: &mut Mapper) {
    eks::join_clusters(m.inv);
}
