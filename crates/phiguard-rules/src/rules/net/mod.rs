//! Rules of this control, one file each.

pub mod net_1;
pub mod net_10;
pub mod net_2;
pub mod net_3;
pub mod net_8;
pub mod net_9;
