pub mod enc_1;
pub mod enc_2;
pub mod enc_4;
