//! Rules of this control, one file each.
pub mod ir_2;
