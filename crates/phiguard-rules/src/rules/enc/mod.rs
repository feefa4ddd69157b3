pub mod enc_1;
pub mod enc_15;
pub mod enc_16;
pub mod enc_2;
pub mod enc_3;
pub mod enc_4;
pub mod enc_5;
pub mod enc_6;
