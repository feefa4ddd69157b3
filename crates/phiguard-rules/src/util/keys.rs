//! Judging which KMS key protects a resource.

use phiguard_model::{Inventory, KeyRef, Val};

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

/// The resources of the inventory that a KMS key of the inventory protects:
/// buckets, volumes, EBS defaults, databases, tables, log groups, trails,
/// clusters, secrets, backup vaults, search domains, EFS file systems, ECR
/// repositories, SageMaker notebook instances, caches and warehouses that
/// name it.
pub fn key_users(inv: &Inventory, key: phiguard_model::Rid) -> Vec<phiguard_model::Rid> {
    use phiguard_model::BucketSse;
    let is = |k: &Val<KeyRef>| matches!(k, Val::Known(KeyRef::Key(r)) if *r == key);
    let is_opt =
        |k: &Val<Option<KeyRef>>| matches!(k, Val::Known(Some(KeyRef::Key(r))) if *r == key);
    let mut out = Vec::new();
    for b in &inv.buckets {
        if matches!(&b.encryption, Val::Known(BucketSse::Kms(k)) if is(k)) {
            out.push(b.rid);
        }
    }
    for v in &inv.ebs_volumes {
        if !v.encrypted.is_false() && is(&v.key) {
            out.push(v.rid);
        }
    }
    for d in &inv.ebs_defaults {
        if !d.enabled.is_false() && is(&d.key) {
            out.push(d.rid);
        }
    }
    for d in &inv.databases {
        if !d.storage_encrypted.is_false() && is(&d.key) {
            out.push(d.rid);
        }
    }
    out.extend(
        inv.dynamo_tables
            .iter()
            .filter(|t| is(&t.key))
            .map(|t| t.rid),
    );
    out.extend(
        inv.log_groups
            .iter()
            .filter(|g| is_opt(&g.key))
            .map(|g| g.rid),
    );
    out.extend(inv.trails.iter().filter(|t| is_opt(&t.key)).map(|t| t.rid));
    out.extend(
        inv.eks_clusters
            .iter()
            .filter(|c| is_opt(&c.secrets_key))
            .map(|c| c.rid),
    );
    out.extend(inv.secrets.iter().filter(|s| is(&s.key)).map(|s| s.rid));
    out.extend(
        inv.backup_vaults
            .iter()
            .filter(|v| is(&v.key))
            .map(|v| v.rid),
    );
    for d in &inv.search_domains {
        if !d.encrypted.is_false() && is(&d.key) {
            out.push(d.rid);
        }
    }
    for f in &inv.efs_file_systems {
        if !f.encrypted.is_false() && is(&f.key) {
            out.push(f.rid);
        }
    }
    out.extend(
        inv.ecr_repositories
            .iter()
            .filter(|r| is_opt(&r.kms_key))
            .map(|r| r.rid),
    );
    out.extend(
        inv.notebook_instances
            .iter()
            .filter(|n| is_opt(&n.key))
            .map(|n| n.rid),
    );
    for c in &inv.cache_clusters {
        if !c.at_rest_encrypted.is_false() && is(&c.key) {
            out.push(c.rid);
        }
    }
    for w in &inv.warehouses {
        if !w.encrypted.is_false() && is(&w.key) {
            out.push(w.rid);
        }
    }
    out
}
