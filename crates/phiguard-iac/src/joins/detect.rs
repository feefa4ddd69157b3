//! Detection services: Security Hub standards joined to the hub of their
//! account and region.

use phiguard_model::{Inventory, Rid, Val};

/// The standards a hub enables by default (`EnableDefaultStandards`,
/// default true): the CIS AWS Foundations Benchmark v1.2.0 and AWS
/// Foundational Security Best Practices, in `region`.
pub fn default_standards(on: bool, region: &str) -> Vec<String> {
    if !on {
        return Vec::new();
    }
    vec![
        "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0".to_string(),
        format!(
            "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"
        ),
    ]
}

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
