//! Helpers shared by rules.

pub mod account_bpa;
pub mod backup;
pub mod credentials;
pub mod endpoints;
pub mod exposure;
pub mod flows;
pub mod iam;
pub mod keys;
pub mod org;
pub mod scp;
pub mod tls;
pub mod trails;

/// A resource of a template, for the helpers' tests.
#[cfg(test)]
pub(crate) fn test_meta(
    inv: &mut phiguard_model::Inventory,
    kind: &str,
    name: &str,
) -> phiguard_model::Rid {
    let origin = phiguard_model::Origin::Template {
        file: "t.yaml".into(),
        logical_id: name.into(),
        line: 1,
        column: 1,
    };
    inv.add_meta(kind, name, origin, 0)
}
