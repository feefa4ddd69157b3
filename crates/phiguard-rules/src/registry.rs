//! The ordered catalogue. A new rule is one file and one line here.

use crate::Rule;
use crate::rules::*;

pub static RULES: &[&Rule] = &[&enc::enc_1::RULE, &enc::enc_2::RULE];

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
