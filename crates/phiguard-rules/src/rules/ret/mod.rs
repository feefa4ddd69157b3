//! Rules of this control, one file each.
pub mod ret_1;
pub mod ret_2;
pub mod ret_3;
pub mod ret_4;
pub mod ret_5;
