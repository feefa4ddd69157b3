//! EKS joins: add-ons, pod identity associations and node groups to the
//! cluster they name.

use crate::cfn::props::{P, R};
use phiguard_model::{
    EksAddon, EksCluster, Inventory, KeyRef, Link, NodeGroup, PodIdentityAssociation, Rid, Val,
};

/// An attribute EKS requires.
pub fn required(p: P) -> R<()> {
    if p.is_absent() {
        return p.error(format!("{} is required", p.name()));
    }
    Ok(())
}

/// Maps a cluster named `name` into `inv`, with the key that encrypts its
/// Kubernetes secrets: see [`secrets_key`].
pub fn cluster<'a>(
    inv: &mut Inventory,
    rid: Rid,
    name: Val<String>,
    configs: P<'a>,
    resources: &'a str,
    key: impl Fn(P<'a>) -> R<Val<KeyRef>>,
) -> R<()> {
    let secrets_key = secrets_key(configs, resources, key)?;
    inv.eks_clusters.push(EksCluster {
        rid,
        name,
        secrets_key,
    });
    Ok(())
}

/// The key that encrypts Kubernetes secrets: that of the encryption config
/// (`configs`) whose `resources` name `secrets`; `None` when there is none
/// (envelope encryption off). `key` reads a config's key.
fn secrets_key<'a>(
    configs: P<'a>,
    resources: &'a str,
    key: impl Fn(P<'a>) -> R<Val<KeyRef>>,
) -> R<Val<Option<KeyRef>>> {
    let items = match configs.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut unknown = None;
    for i in items {
        match i.get(resources).strings()? {
            Val::Known(res) if res.iter().any(|r| r == "secrets") => {
                return Ok(key(i)?.map(Some));
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

/// A cluster named by literal name (or ARN, `...:cluster/name`) becomes a
/// link to the estate's cluster of that known name.
pub fn cluster_link(inv: &Inventory, link: Val<Link>) -> Val<Link> {
    if let Val::Known(Link::External(s)) = &link {
        let name = s
            .split_once(":cluster/")
            .and_then(|(_, rest)| rest.rsplit('/').next())
            .unwrap_or(s);
        if let Some(c) = inv
            .eks_clusters
            .iter()
            .find(|c| c.name.known().is_some_and(|n| n == name))
        {
            return Val::Known(Link::Resource(c.rid));
        }
    }
    link
}

/// Joins every add-on, association and node group to its cluster.
pub fn join_clusters(inv: &mut Inventory) {
    for i in 0..inv.eks_addons.len() {
        inv.eks_addons[i].cluster = cluster_link(inv, inv.eks_addons[i].cluster.clone());
    }
    for i in 0..inv.pod_identity_associations.len() {
        inv.pod_identity_associations[i].cluster =
            cluster_link(inv, inv.pod_identity_associations[i].cluster.clone());
    }
    for i in 0..inv.node_groups.len() {
        inv.node_groups[i].cluster = cluster_link(inv, inv.node_groups[i].cluster.clone());
    }
}

/// How a source spells the attributes of add-ons, associations and node
/// groups.
pub struct Spelling {
    /// The resource types of add-ons and associations (others are node
    /// groups).
    pub addon: &'static str,
    pub association: &'static str,
    pub cluster_name: &'static str,
    pub addon_name: &'static str,
    pub role_arn: &'static str,
    pub node_role: &'static str,
}

/// The links a source reads: by reference, by what is written.
pub type LinkOf<'a> = dyn Fn(&'static str) -> Val<Link> + 'a;

/// Maps an add-on, a pod identity association or a node group (by its
/// type `ty`) into `inv`.
pub fn map(inv: &mut Inventory, rid: Rid, ty: &str, p: P, sp: &Spelling, link: &LinkOf) -> R<()> {
    required(p.get(sp.cluster_name))?;
    let cluster = link(sp.cluster_name);
    match ty {
        t if t == sp.addon => {
            let name = match p.get(sp.addon_name).str_opt()? {
                Val::Known(Some(n)) => Val::Known(n),
                Val::Known(None) => {
                    return p
                        .get(sp.addon_name)
                        .error(format!("{} is required", sp.addon_name));
                }
                Val::Unknown(r) => Val::Unknown(r),
            };
            inv.eks_addons.push(EksAddon { rid, cluster, name });
        }
        t if t == sp.association => {
            required(p.get(sp.role_arn))?;
            inv.pod_identity_associations.push(PodIdentityAssociation {
                rid,
                cluster,
                role: link(sp.role_arn),
            });
        }
        _ => {
            required(p.get(sp.node_role))?;
            inv.node_groups.push(NodeGroup {
                rid,
                cluster,
                node_role: link(sp.node_role),
            });
        }
    }
    Ok(())
}
