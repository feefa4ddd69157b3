//! Helpers shared by rules.

pub mod account_bpa;
pub mod backup;
pub mod credentials;
pub mod endpoints;
pub mod exposure;
pub mod flows;
pub mod iam;
pub mod keys;
pub mod org;
pub mod scp;
pub mod tls;
pub mod trails;
