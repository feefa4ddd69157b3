//! Helpers shared by rules.

pub mod keys;
