//! Rules of this control, one file each.
pub mod scp_1;
pub mod scp_2;
pub mod scp_3;
pub mod scp_4;
pub mod scp_5;
