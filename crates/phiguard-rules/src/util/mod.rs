//! Helpers shared by rules.

pub mod endpoints;
pub mod iam;
pub mod keys;
