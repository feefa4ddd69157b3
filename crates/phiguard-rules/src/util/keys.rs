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
