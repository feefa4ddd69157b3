//! Rules of this control, one file each.

pub mod net_1;
pub mod net_10;
pub mod net_10_queues;
pub mod net_11;
pub mod net_2;
pub mod net_3;
pub mod net_4;
pub mod net_5;
pub mod net_6;
pub mod net_7;
pub mod net_8;
pub mod net_9;
