pub mod tls_1;
pub mod tls_10;
pub mod tls_2;
pub mod tls_3;
pub mod tls_4;
pub mod tls_5;
pub mod tls_9;
