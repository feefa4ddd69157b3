//! Rules of this control, one file each.
pub mod baa_1;
pub mod baa_2;
