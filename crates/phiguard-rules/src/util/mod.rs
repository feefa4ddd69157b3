//! Helpers shared by rules.

pub mod keys;

pub mod backup;
pub mod credentials;
