pub mod enc_1;
pub mod enc_2;
