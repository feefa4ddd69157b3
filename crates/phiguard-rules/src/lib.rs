//! phiguard's rule catalogue: the 16 controls, one file per rule, an ordered
//! registry, the engine that runs them, and `phiguard.toml`.

pub mod baseline;
mod config;
mod control;
mod cve_config;
pub mod engine;
pub mod registry;
mod rule;
pub mod rules;
pub mod util;

pub use config::*;
pub use control::Control;
pub use cve_config::{CVE_SEVERITIES, CveConfig, CveWaiver};
pub use engine::{RunOptions, Summary, run, run_undecided, stale_waivers, summarize};
pub use rule::*;
