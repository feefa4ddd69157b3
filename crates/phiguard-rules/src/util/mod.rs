//! Helpers shared by rules.

pub mod flows;
pub mod keys;
pub mod tls;
pub mod scp;
pub mod trails;

pub mod backup;
pub mod credentials;
