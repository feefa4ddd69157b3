//! Detection services: Security Hub standards joined to the hub of their
//! account and region.

use phiguard_model::{Inventory, Rid, Val};

/// Adds a standard (its ARN) to the hubs in the same account and region as
/// the subscription `at`; an ARN known only at deploy or apply makes their
/// standards unknown.
pub fn add_standard(inv: &mut Inventory, at: Rid, arn: &Val<String>) {
    for i in 0..inv.security_hubs.len() {
        if !inv.same_place(inv.security_hubs[i].rid, at) {
            continue;
        }
        let hub = &mut inv.security_hubs[i];
        hub.standards = match (&hub.standards, arn) {
            (Val::Known(v), Val::Known(a)) => {
                let mut v = v.clone();
                v.push(a.clone());
                Val::Known(v)
            }
            (Val::Known(_), Val::Unknown(r)) => Val::Unknown(r.clone()),
            (u, _) => u.clone(),
        };
    }
}
