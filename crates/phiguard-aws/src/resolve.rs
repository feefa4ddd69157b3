//! After collection: references by ARN, id or alias become links to the
//! resources of the inventory, across accounts (a trail in the management
//! account delivers to a bucket in the logs account).

use phiguard_model::{Inventory, KeyRef, Link, Origin, Rid, Val};
use std::collections::HashMap;

struct Index {
    by: HashMap<String, Rid>,
}

impl Index {
    fn build(inv: &Inventory) -> Index {
        let mut by = HashMap::new();
        for m in &inv.metas {
            if let Origin::Live { arn, .. } = &m.origin {
                if !arn.is_empty() {
                    by.insert(arn.clone(), m.rid);
                }
            }
            match m.kind.as_str() {
                "AWS::KMS::Key"
                | "AWS::EC2::VPC"
                | "AWS::EC2::TransitGateway"
                | "AWS::S3::Bucket" => {
                    by.entry(m.name.clone()).or_insert(m.rid);
                }
                _ => {}
            }
        }
        for k in &inv.kms_keys {
            if let Origin::Live { arn, .. } = &inv.meta(k.rid).origin {
                // arn:aws:kms:region:account:key/id → arn:aws:kms:region:account:alias/name
                if let Some((prefix, _)) = arn.split_once(":key/") {
                    for a in &k.aliases {
                        by.insert(format!("{prefix}:{a}"), k.rid);
                    }
                }
            }
        }
        Index { by }
    }

    fn link(&self, l: &mut Link) {
        if let Link::External(s) = l {
            let key = s.trim_end_matches(":*");
            if let Some(r) = self.by.get(key) {
                *l = Link::Resource(*r);
            }
        }
    }

    fn link_val(&self, v: &mut Val<Link>) {
        if let Val::Known(l) = v {
            self.link(l);
        }
    }

    fn key(&self, k: &mut KeyRef, account: &str, region: &str, partition: &str) {
        let KeyRef::External(s) = k else { return };
        if let Some(alias) = s
            .strip_prefix("alias/")
            .or_else(|| s.split_once(":alias/").map(|(_, a)| a))
        {
            if alias.starts_with("aws/") {
                *k = KeyRef::AwsManaged(alias.to_string());
                return;
            }
            let arn = format!("arn:{partition}:kms:{region}:{account}:alias/{alias}");
            if let Some(r) = self.by.get(&arn).or_else(|| self.by.get(s.as_str())) {
                *k = KeyRef::Key(*r);
            }
            return;
        }
        if let Some(r) = self.by.get(s.as_str()) {
            *k = KeyRef::Key(*r);
        }
    }
}

fn place(inv: &Inventory, rid: Rid) -> (String, String, String) {
    match &inv.meta(rid).origin {
        Origin::Live {
            arn,
            account,
            region,
        } => (
            account.clone(),
            region.clone(),
            arn.split(':').nth(1).unwrap_or("aws").to_string(),
        ),
        _ => Default::default(),
    }
}

pub fn links(inv: &mut Inventory) {
    let ix = Index::build(inv);
    let places: Vec<(String, String, String)> = (0..inv.metas.len())
        .map(|i| place(inv, Rid(i as u32)))
        .collect();
    let at = |rid: Rid| &places[rid.0 as usize];
    macro_rules! key {
        ($rid:expr, $k:expr) => {{
            let (a, r, p) = at($rid);
            ix.key($k, a, r, p);
        }};
    }
    for b in inv.buckets.iter_mut() {
        if let Val::Known(phiguard_model::BucketSse::Kms(Val::Known(k))) = &mut b.encryption {
            key!(b.rid, k);
        }
    }
    for v in inv.ebs_volumes.iter_mut() {
        if let Val::Known(k) = &mut v.key {
            key!(v.rid, k);
        }
    }
    for d in inv.ebs_defaults.iter_mut() {
        if let Val::Known(k) = &mut d.key {
            key!(d.rid, k);
        }
    }
    for d in inv.databases.iter_mut() {
        if let Val::Known(k) = &mut d.key {
            key!(d.rid, k);
        }
        if let Some(c) = &mut d.cluster {
            ix.link(c);
        }
    }
    for t in inv.dynamo_tables.iter_mut() {
        if let Val::Known(k) = &mut t.key {
            key!(t.rid, k);
        }
    }
    for g in inv.log_groups.iter_mut() {
        if let Val::Known(Some(k)) = &mut g.key {
            key!(g.rid, k);
        }
    }
    for s in inv.secrets.iter_mut() {
        if let Val::Known(k) = &mut s.key {
            key!(s.rid, k);
        }
    }
    for d in inv.search_domains.iter_mut() {
        if let Val::Known(k) = &mut d.key {
            key!(d.rid, k);
        }
    }
    for t in inv.trails.iter_mut() {
        if let Val::Known(Some(k)) = &mut t.key {
            key!(t.rid, k);
        }
        ix.link_val(&mut t.bucket);
        if let Val::Known(Some(l)) = &mut t.log_group {
            ix.link(l);
        }
    }
    for f in inv.flow_logs.iter_mut() {
        ix.link_val(&mut f.target);
        if let Val::Known(Link::External(s)) = &f.destination {
            // An S3 destination may name a folder: arn:aws:s3:::bucket/prefix.
            if let Some(rest) = s.strip_prefix("arn:") {
                if rest.contains(":s3:::") {
                    let bucket = s
                        .split_once(":::")
                        .map(|x| x.1)
                        .unwrap_or("")
                        .split('/')
                        .next()
                        .unwrap_or("");
                    if let Some(r) = ix.by.get(bucket) {
                        f.destination = Val::Known(Link::Resource(*r));
                    }
                }
            }
        }
        ix.link_val(&mut f.destination);
    }
    for e in inv.vpc_endpoints.iter_mut() {
        ix.link_val(&mut e.vpc);
    }
    for g in inv.security_groups.iter_mut() {
        ix.link_val(&mut g.vpc);
    }
    for c in inv.eks_clusters.iter_mut() {
        if let Val::Known(Some(k)) = &mut c.secrets_key {
            key!(c.rid, k);
        }
    }
    for p in inv.pod_identity_associations.iter_mut() {
        ix.link_val(&mut p.role);
    }
    for g in inv.node_groups.iter_mut() {
        ix.link_val(&mut g.node_role);
    }
    for f in inv.efs_file_systems.iter_mut() {
        if let Val::Known(k) = &mut f.key {
            key!(f.rid, k);
        }
    }
    for r in inv.ecr_repositories.iter_mut() {
        if let Val::Known(Some(k)) = &mut r.kms_key {
            key!(r.rid, k);
        }
    }
    for n in inv.notebook_instances.iter_mut() {
        if let Val::Known(Some(k)) = &mut n.key {
            key!(n.rid, k);
        }
    }
    for v in inv.backup_vaults.iter_mut() {
        if let Val::Known(k) = &mut v.key {
            key!(v.rid, k);
        }
    }
    for q in inv.queues.iter_mut() {
        if let Val::Known(Some(k)) = &mut q.key {
            key!(q.rid, k);
        }
    }
    for t in inv.topics.iter_mut() {
        if let Val::Known(Some(k)) = &mut t.key {
            key!(t.rid, k);
        }
    }
    for s in inv.streams.iter_mut() {
        if let Val::Known(Some(k)) = &mut s.key {
            key!(s.rid, k);
        }
    }
    for p in inv.backup_plans.iter_mut() {
        if let Val::Known(rules) = &mut p.rules {
            for r in rules.iter_mut() {
                for c in r.copy_to.iter_mut() {
                    ix.link_val(c);
                }
            }
        }
    }
    for c in inv.cache_clusters.iter_mut() {
        if let Val::Known(k) = &mut c.key {
            key!(c.rid, k);
        }
    }
    for w in inv.warehouses.iter_mut() {
        if let Val::Known(k) = &mut w.key {
            key!(w.rid, k);
        }
    }
}
