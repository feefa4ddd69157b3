//! Rules of this control, one file each.
pub mod org_1;
pub mod org_2;
pub mod org_3;
pub mod org_4;
