//! Rules of this control, one file each.
pub mod flow_1;
pub mod flow_2;
pub mod flow_3;
