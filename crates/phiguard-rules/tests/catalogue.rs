//! The catalogue's own invariants: every rule is well-formed and documented,
//! every control has rules, and the C rules of `controls.md` are all there.

use phiguard_model::SourceKind;
use phiguard_rules::{Control, registry};
use std::collections::HashSet;

#[test]
fn ids_are_unique_and_well_formed() {
    let mut seen = HashSet::new();
    for r in registry::RULES {
        assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
        let (prefix, num) = r.id.split_once('-').unwrap_or(("", ""));
        assert!(
            !prefix.is_empty()
                && prefix.chars().all(|c| c.is_ascii_uppercase())
                && num.parse::<u32>().is_ok(),
            "rule id {} is not like ENC-2",
            r.id
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for r in registry::RULES {
        assert!(
            r.doc.contains("### What it checks"),
            "{} doc lacks '### What it checks'",
            r.id
        );
        assert!(r.doc.contains("### Why"), "{} doc lacks '### Why'", r.id);
        assert!(
            r.doc.contains("### Sources"),
            "{} doc lacks '### Sources'",
            r.id
        );
        assert!(r.remediation.len() > 20, "{} has no real remediation", r.id);
        assert!(
            !r.title.is_empty() && !r.title.ends_with('.'),
            "{} title",
            r.id
        );
        assert!(!r.sources.is_empty(), "{} claims no source", r.id);
        for s in r.sources {
            let name = match s {
                SourceKind::Live => "Live",
                SourceKind::Terraform => "Terraform",
                SourceKind::CloudFormation => "CloudFormation",
            };
            assert!(
                r.doc.contains(&format!("- {name}")),
                "{} claims {name} but its doc does not say what it reads there",
                r.id
            );
        }
    }
}

#[test]
fn rules_are_ordered_by_control() {
    let controls: Vec<Control> = registry::RULES.iter().map(|r| r.control).collect();
    let mut sorted = controls.clone();
    sorted.sort();
    assert_eq!(
        controls, sorted,
        "the registry lists rules in control order"
    );
}
