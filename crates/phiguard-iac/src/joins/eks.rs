//! EKS joins: add-ons, pod identity associations and node groups to the
//! cluster they name.

use crate::cfn::props::{P, R};
use phiguard_model::{Inventory, Link, Val};

/// An attribute EKS requires.
pub fn required(p: P) -> R<()> {
    if p.is_absent() {
        return p.error(format!("{} is required", p.name()));
    }
    Ok(())
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
