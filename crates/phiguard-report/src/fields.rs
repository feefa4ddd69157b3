//! What several formats read off a finding the same way: where its resource
//! lives, a stable identifier, the HIPAA citations of its control.

use phiguard_model::Origin;
use phiguard_rules::{Finding, Subject};

/// The account of a live resource.
pub fn account(f: &Finding) -> Option<&str> {
    match f.subject.as_ref().map(|s| &s.origin) {
        Some(Origin::Live { account, .. }) if !account.is_empty() => Some(account),
        _ => None,
    }
}

/// The region of a live resource (`global` for global services).
pub fn region(f: &Finding) -> Option<&str> {
    match f.subject.as_ref().map(|s| &s.origin) {
        Some(Origin::Live { region, .. }) if !region.is_empty() => Some(region),
        _ => None,
    }
}

/// The resource's identity: its ARN, Terraform address, or `file#LogicalId`.
pub fn resource_id(s: &Subject) -> String {
    match &s.origin {
        Origin::Live { arn, .. } => arn.clone(),
        Origin::Terraform { address, .. } => address.clone(),
        Origin::Template {
            file, logical_id, ..
        } => format!("{file}#{logical_id}"),
    }
}

/// `file:line`, an address, or an ARN; `estate` for an estate-wide finding.
pub fn location(f: &Finding) -> String {
    f.subject
        .as_ref()
        .map(|s| s.origin.location())
        .unwrap_or_else(|| "estate".into())
}

/// A stable identifier of a finding across runs: the rule and its resource.
pub fn uid(f: &Finding) -> String {
    let subject = f
        .subject
        .as_ref()
        .map(|s| format!("{}|{}", s.kind, resource_id(s)))
        .unwrap_or_else(|| "estate".into());
    format!("{:016x}", fnv1a(&format!("{}|{subject}", f.rule)))
}

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
