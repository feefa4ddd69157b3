//! The ordered catalogue. A new rule is one file and one line here, in
//! control order.

use crate::Rule;
#[allow(unused_imports)]
use crate::rules::*;

pub static RULES: &[&Rule] = &[
    // 1. BAA
    // 2. Account structure
    // 3. Guardrails (SCPs)
    // 4. At-rest encryption
    &enc::enc_1::RULE,
    &enc::enc_2::RULE,
    // 5. In-transit encryption
    // 6. Network isolation
    // 7. Access keys and human identity
    // 8. Workload access
    // 9. Secret management
    // 10. Audit trails
    // 11. Network visibility
    // 12. Retention and integrity
    // 13. Continuous monitoring
    // 14. Vulnerability management
    // 15. Disaster recovery
    // 16. Incident response
];

/// A rule by id, case-insensitive.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Position in the catalogue, for ordering findings.
pub fn position(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(usize::MAX)
}
