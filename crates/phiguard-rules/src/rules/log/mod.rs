//! Rules of this control, one file each.
pub mod log_1;
pub mod log_2;
pub mod log_3;
pub mod log_4;
pub mod log_5;
