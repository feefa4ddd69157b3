//! Helpers shared by rules.

pub mod keys;
pub mod tls;
