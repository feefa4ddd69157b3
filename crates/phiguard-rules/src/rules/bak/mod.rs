//! Rules of this control, one file each.
pub mod bak_1;
pub mod bak_2;
pub mod bak_3;
pub mod bak_4;
pub mod bak_5;
pub mod bak_6;
pub mod bak_7;
