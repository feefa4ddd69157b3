//! Rules of this control, one file each.
pub mod cve_1;
pub mod cve_2;
