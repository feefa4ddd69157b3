//! The organization's accounts by role, for the account-structure rules.

use crate::Cx;
use phiguard_model::Val;
use std::collections::{BTreeMap, BTreeSet};

/// The roles that workloads run in.
pub const WORKLOAD_ROLES: &[&str] = &["prod", "staging", "dev"];

/// Each account's roles, and the accounts whose role cannot be told.
pub struct Roles {
    pub by_account: BTreeMap<String, BTreeSet<String>>,
    /// Accounts of the organization whose role is unknown, with the reason.
    pub unknown: Vec<String>,
}

impl Roles {
    /// The accounts that hold `role`.
    pub fn holders(&self, role: &str) -> Vec<&str> {
        self.by_account
            .iter()
            .filter(|(_, r)| r.contains(role))
            .map(|(a, _)| a.as_str())
            .collect()
    }
}

/// Roles from `phiguard.toml` (`[accounts]`), from each account of the
/// organization (its OU name or `phiguard:role` tag, as the collector read
/// them), and the organization's own management account. Accounts that are
/// not `ACTIVE` hold no role.
pub fn roles(cx: &Cx) -> Roles {
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |a: &str, r: &str| {
        by.entry(a.to_string())
            .or_default()
            .insert(r.to_ascii_lowercase());
    };
    let c = &cx.cfg.accounts;
    for (role, id) in [
        ("management", &c.management),
        ("security", &c.security),
        ("logs", &c.logs),
    ] {
        if let Some(id) = id {
            add(id, role);
        }
    }
    for (role, ids) in [("prod", &c.prod), ("staging", &c.staging), ("dev", &c.dev)] {
        for id in ids {
            add(id, role);
        }
    }
    for o in &cx.inv.organizations {
        if let Val::Known(m) = &o.management_account {
            add(m, "management");
        }
    }
    let mut unknown = Vec::new();
    for a in &cx.inv.org_accounts {
        match &a.role {
            Val::Known(Some(r)) => add(&a.id, r),
            Val::Known(None) => {}
            Val::Unknown(r) => unknown.push(format!("{}: {r}", a.id)),
        }
    }
    let inactive: Vec<&str> = cx
        .inv
        .org_accounts
        .iter()
        .filter(|a| matches!(&a.status, Val::Known(s) if !s.eq_ignore_ascii_case("ACTIVE")))
        .map(|a| a.id.as_str())
        .collect();
    by.retain(|a, _| !inactive.contains(&a.as_str()));
    Roles {
        by_account: by,
        unknown,
    }
}
