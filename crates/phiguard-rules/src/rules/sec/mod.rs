//! Rules of this control, one file each.
pub mod sec_1;
pub mod sec_2;
pub mod sec_3;
pub mod sec_4;
pub mod sec_5;
