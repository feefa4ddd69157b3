//! Rules of this control, one file each.
pub mod ir_1;
pub mod ir_2;
