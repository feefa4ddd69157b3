//! Helpers shared by rules.

pub mod flows;
pub mod keys;
pub mod scp;
pub mod trails;
