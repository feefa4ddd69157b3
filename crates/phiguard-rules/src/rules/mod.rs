//! One module per control, one file per rule.

pub mod baa;
pub mod bak;
pub mod cve;
pub mod eks;
pub mod enc;
pub mod flow;
pub mod iam;
pub mod ir;
pub mod log;
pub mod mon;
pub mod net;
pub mod org;
pub mod ret;
pub mod scp;
pub mod sec;
pub mod tls;
