//! Rules of this control, one file each.

pub mod eks_1;
pub mod eks_2;
pub mod eks_3;
pub mod eks_4;
