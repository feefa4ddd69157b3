//! Judging which KMS key protects a resource.

use phiguard_model::{Inventory, KeyRef, Rid, Val};
use std::collections::HashMap;

/// Whether `key` is a customer-managed key, with a sentence describing it.
pub fn customer_managed(inv: &Inventory, key: &Val<KeyRef>) -> (Val<bool>, String) {
    match key {
        Val::Known(k) => (inv.customer_managed(k), inv.describe_key(k)),
        Val::Unknown(r) => (Val::Unknown(r.clone()), "an unknown key".to_string()),
    }
}

/// Reports the common verdict "encrypted with a customer-managed key" for `what`.
pub fn judge_cmk(cx: &mut crate::Cx, rid: phiguard_model::Rid, what: &str, key: &Val<KeyRef>) {
    let (v, desc) = customer_managed(cx.inv, key);
    match v {
        Val::Known(true) => cx.pass(
            rid,
            format!("{what} is encrypted with customer-managed {desc}"),
        ),
        Val::Known(false) => cx.fail(
            rid,
            format!("{what} is encrypted with {desc}, not a customer-managed key"),
        ),
        Val::Unknown(r) => cx.unknown(rid, r),
    }
}

/// The resources of the inventory that each KMS key of the inventory
/// protects: buckets, volumes, EBS defaults, databases, tables, log groups,
/// trails, clusters, secrets, backup vaults, search domains, EFS file
/// systems, ECR repositories, SageMaker notebook instances, caches,
/// warehouses, queues, topics and streams that name it, by key, in that
/// order. One pass over the inventory for all the keys.
pub fn key_users(inv: &Inventory) -> HashMap<Rid, Vec<Rid>> {
    use phiguard_model::BucketSse;
    fn key(k: &Val<KeyRef>) -> Option<Rid> {
        match k {
            Val::Known(KeyRef::Key(r)) => Some(*r),
            _ => None,
        }
    }
    fn opt(k: &Val<Option<KeyRef>>) -> Option<Rid> {
        match k {
            Val::Known(Some(KeyRef::Key(r))) => Some(*r),
            _ => None,
        }
    }
    // Each pair: the key a resource names (when it is encrypted), the resource.
    let pairs = std::iter::empty()
        .chain(inv.buckets.iter().map(|b| match &b.encryption {
            Val::Known(BucketSse::Kms(k)) => (key(k), b.rid),
            _ => (None, b.rid),
        }))
        .chain(
            inv.ebs_volumes
                .iter()
                .map(|v| (key(&v.key).filter(|_| !v.encrypted.is_false()), v.rid)),
        )
        .chain(
            inv.ebs_defaults
                .iter()
                .map(|d| (key(&d.key).filter(|_| !d.enabled.is_false()), d.rid)),
        )
        .chain(inv.databases.iter().map(|d| {
            (
                key(&d.key).filter(|_| !d.storage_encrypted.is_false()),
                d.rid,
            )
        }))
        .chain(inv.dynamo_tables.iter().map(|t| (key(&t.key), t.rid)))
        .chain(inv.log_groups.iter().map(|g| (opt(&g.key), g.rid)))
        .chain(inv.trails.iter().map(|t| (opt(&t.key), t.rid)))
        .chain(
            inv.eks_clusters
                .iter()
                .map(|c| (opt(&c.secrets_key), c.rid)),
        )
        .chain(inv.secrets.iter().map(|s| (key(&s.key), s.rid)))
        .chain(inv.backup_vaults.iter().map(|v| (key(&v.key), v.rid)))
        .chain(
            inv.search_domains
                .iter()
                .map(|d| (key(&d.key).filter(|_| !d.encrypted.is_false()), d.rid)),
        )
        .chain(
            inv.efs_file_systems
                .iter()
                .map(|f| (key(&f.key).filter(|_| !f.encrypted.is_false()), f.rid)),
        )
        .chain(
            inv.ecr_repositories
                .iter()
                .map(|r| (opt(&r.kms_key), r.rid)),
        )
        .chain(inv.notebook_instances.iter().map(|n| (opt(&n.key), n.rid)))
        .chain(inv.cache_clusters.iter().map(|c| {
            (
                key(&c.key).filter(|_| !c.at_rest_encrypted.is_false()),
                c.rid,
            )
        }))
        .chain(
            inv.warehouses
                .iter()
                .map(|w| (key(&w.key).filter(|_| !w.encrypted.is_false()), w.rid)),
        )
        .chain(inv.queues.iter().map(|q| (opt(&q.key), q.rid)))
        .chain(inv.topics.iter().map(|t| (opt(&t.key), t.rid)))
        .chain(inv.streams.iter().map(|s| (opt(&s.key), s.rid)));
    let mut out: HashMap<Rid, Vec<Rid>> = HashMap::new();
    for (k, user) in pairs {
        if let Some(k) = k {
            out.entry(k).or_default().push(user);
        }
    }
    out
}
