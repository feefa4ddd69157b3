//! Rules of this control, one file each.

pub mod iam_1;
pub mod iam_2;
pub mod iam_3;
pub mod iam_4;
pub mod iam_5;
