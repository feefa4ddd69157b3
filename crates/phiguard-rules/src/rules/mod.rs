//! One module per control, one file per rule.

pub mod enc;
