pub mod mon_1;
pub mod mon_2;
pub mod mon_3;
pub mod mon_4;
pub mod mon_5;
