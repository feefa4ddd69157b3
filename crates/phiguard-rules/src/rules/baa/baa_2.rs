use crate::{Cx, declare_rule};
use serde::Deserialize;
use std::sync::OnceLock;

declare_rule! {
    /// ### What it checks
    /// Every resource in PHI scope (tagged `phi=true` by default, or every
    /// resource with `phi_scope = "all"`) belongs to a service that AWS lists
    /// as HIPAA-eligible, so that the Business Associate Addendum covers it.
    ///
    /// ### Why
    /// The BAA covers only the services on AWS's HIPAA Eligible Services
    /// Reference. PHI stored or processed in any other service is outside the
    /// agreement, whatever its configuration.
    ///
    /// ### Sources
    /// - Live: the resource's service, from its ARN.
    /// - Terraform: the resource type, mapped to its service.
    /// - CloudFormation: the resource type's namespace (`AWS::S3::Bucket` → S3).
    ///
    /// The list of eligible services is a dated data file shipped with
    /// phiguard (`data/hipaa-eligible-services.toml`). A service in neither
    /// its eligible nor its not-eligible list is `unknown`, never `pass`.
    pub static RULE = {
        id: "BAA-2",
        control: Baa,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Buckets, EbsVolumes, Databases, DynamoTables, Eks, Secrets, LogGroups, Ecr, Backup, Workloads],
        scope: Resource,
        title: "Resources in PHI scope belong to HIPAA-eligible services",
        remediation: "Move the PHI to a HIPAA-eligible service, or remove the resource from PHI scope if it holds no PHI.",
        check: check,
    }
}

#[derive(Deserialize)]
pub struct Eligibility {
    pub as_of: String,
    pub source: String,
    pub eligible: Vec<String>,
    pub not_eligible: Vec<String>,
}

/// The shipped, dated list of HIPAA-eligible services.
pub fn eligibility() -> &'static Eligibility {
    static E: OnceLock<Eligibility> = OnceLock::new();
    E.get_or_init(|| {
        toml::from_str(include_str!("../../../data/hipaa-eligible-services.toml"))
            .expect("the shipped eligibility list is valid TOML")
    })
}

fn check(cx: &mut Cx) {
    let e = eligibility();
    for m in &cx.inv.metas {
        // Template parameters are not resources.
        if m.kind == "AWS::CloudFormation::Parameter" {
            continue;
        }
        if !cx.phi_scoped(m.rid) {
            continue;
        }
        let mut parts = m.kind.split("::");
        let (vendor, ns) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if vendor != "AWS" {
            cx.unknown(
                m.rid,
                format!(
                    "{} is not an AWS resource type; its service cannot be checked",
                    m.kind
                ),
            );
        } else if e.eligible.iter().any(|s| s == ns) {
            cx.pass(
                m.rid,
                format!("{ns} is HIPAA-eligible (list of {})", e.as_of),
            );
        } else if e.not_eligible.iter().any(|s| s == ns) {
            cx.fail(m.rid, format!("{ns} is not a HIPAA-eligible service (list of {}), yet the resource is in PHI scope", e.as_of));
        } else {
            cx.unknown(m.rid, format!("{ns} is not in phiguard's list of HIPAA-eligible services of {}; check it against {}", e.as_of, e.source));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_parses_and_is_disjoint() {
        let e = super::eligibility();
        assert!(e.eligible.len() > 50);
        for s in &e.not_eligible {
            assert!(!e.eligible.contains(s), "{s} is in both lists");
        }
    }
}
