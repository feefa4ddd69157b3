//! Which trails the audit-trail and retention rules judge, and where they deliver.

use phiguard_model::{Inventory, Link, Rid, SourceKind, Trail, Val};

/// The organization trails of the estate, or every trail when there is none.
pub fn judged_trails(inv: &Inventory) -> Vec<&Trail> {
    let org: Vec<&Trail> = inv
        .trails
        .iter()
        .filter(|t| t.organization.is_true())
        .collect();
    if org.is_empty() {
        inv.trails.iter().collect()
    } else {
        org
    }
}

/// The live bucket named `name`, for a live trail.
fn live_bucket(inv: &Inventory, trail: Rid, name: &str) -> Option<Rid> {
    if inv.meta(trail).origin.source_kind() != SourceKind::Live {
        return None;
    }
    inv.buckets
        .iter()
        .find(|b| {
            b.name.known().is_some_and(|n| n == name)
                && inv.meta(b.rid).origin.source_kind() == SourceKind::Live
        })
        .map(|b| b.rid)
}

/// Where a judged trail delivers: a bucket of the estate, or why it cannot be told.
pub enum TrailBucket {
    Bucket(Rid),
    Unknown(Rid, String),
}

/// The distinct buckets the judged trails deliver to, with the trail of each
/// delivery that cannot be resolved to a bucket of the estate.
pub fn trail_buckets(inv: &Inventory) -> Vec<TrailBucket> {
    let mut out: Vec<TrailBucket> = Vec::new();
    for t in judged_trails(inv) {
        let tb = match &t.bucket {
            Val::Known(Link::Resource(rid)) if inv.bucket(*rid).is_some() => {
                TrailBucket::Bucket(*rid)
            }
            Val::Known(Link::Resource(rid)) => TrailBucket::Unknown(
                t.rid,
                format!(
                    "the trail's bucket is taken from {}, not a bucket of the estate",
                    inv.meta(*rid).name
                ),
            ),
            // Live, the trail and its bucket are read in different accounts:
            // bucket names are global, so the name finds it.
            Val::Known(Link::External(name)) => match live_bucket(inv, t.rid, name) {
                Some(b) => TrailBucket::Bucket(b),
                None => TrailBucket::Unknown(
                    t.rid,
                    format!("the trail delivers to bucket {name}, which is not in the estate"),
                ),
            },
            Val::Unknown(r) => TrailBucket::Unknown(t.rid, r.clone()),
        };
        if let TrailBucket::Bucket(b) = tb {
            if out
                .iter()
                .any(|o| matches!(o, TrailBucket::Bucket(x) if *x == b))
            {
                continue;
            }
        }
        out.push(tb);
    }
    out
}

/// The trail buckets of the estate, for the RET rules: a delivery that cannot
/// be resolved to a bucket is reported `unknown` on its trail here.
pub fn trail_bucket_rids(cx: &mut crate::Cx) -> Vec<Rid> {
    let mut out = Vec::new();
    for tb in trail_buckets(cx.inv) {
        match tb {
            TrailBucket::Unknown(t, r) => cx.unknown(t, r),
            TrailBucket::Bucket(b) => out.push(b),
        }
    }
    out
}
