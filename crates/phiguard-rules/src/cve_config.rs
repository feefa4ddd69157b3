//! The `[cve]` section of `phiguard.toml`: what `phiguard cve-gate` blocks
//! on, the patch SLA of each severity, and CVE waivers.
//!
//! ```toml
//! [cve]
//! block = ["critical", "high"]   # severities that block a deploy
//! block_unfixed = true           # block also when no fix is available yet
//! critical_sla_hours = 48        # default: [limits].critical_sla_hours
//! high_sla_days = 14             # default: [limits].high_sla_days
//! medium_sla_days = 90
//! # low_sla_days = 180           # no SLA unless set
//!
//! [[cve.waiver]]
//! id = "CVE-2023-44487"
//! package = "golang.org/x/net"   # optional: any package
//! target = "registry.example/app:*"  # optional glob: any target
//! owner = "platform-team"
//! reason = "HTTP/2 is not exposed; upgrade planned in PLAT-412"
//! expires = "2026-12-31"
//! ```

use serde::{Deserialize, Serialize};

/// The severities of vulnerability scanners, most severe first.
pub const CVE_SEVERITIES: &[&str] = &["critical", "high", "medium", "low", "negligible", "unknown"];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CveConfig {
    /// Severities whose findings block (`--mode block`).
    pub block: Vec<String>,
    /// Whether a finding with no fixed version available blocks.
    pub block_unfixed: bool,
    /// Patch SLA for critical findings, in hours; `[limits].critical_sla_hours` when unset.
    pub critical_sla_hours: Option<u32>,
    /// Patch SLA for high findings, in days; `[limits].high_sla_days` when unset.
    pub high_sla_days: Option<u32>,
    /// Patch SLA for medium findings, in days.
    pub medium_sla_days: Option<u32>,
    /// Patch SLA for low findings, in days (none by default).
    pub low_sla_days: Option<u32>,
    #[serde(rename = "waiver")]
    pub waivers: Vec<CveWaiver>,
}

impl Default for CveConfig {
    fn default() -> Self {
        CveConfig {
            block: vec!["critical".into(), "high".into()],
            block_unfixed: true,
            critical_sla_hours: None,
            high_sla_days: None,
            medium_sla_days: Some(90),
            low_sla_days: None,
            waivers: Vec::new(),
        }
    }
}

/// Accepts a vulnerability, for a time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CveWaiver {
    /// The vulnerability id (`CVE-…`, `GHSA-…`), exactly.
    pub id: String,
    /// The package name; any package when absent.
    pub package: Option<String>,
    /// The target (image, repository, path, resource); glob `*` allowed; any when absent.
    pub target: Option<String>,
    pub owner: String,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day the waiver counts.
    pub expires: String,
}

impl CveConfig {
    pub(crate) fn validate(&self) -> Result<(), String> {
        for s in &self.block {
            if !CVE_SEVERITIES.contains(&s.to_ascii_lowercase().as_str()) {
                return Err(format!(
                    "cve.block: unknown severity {s:?}; expected one of {}",
                    CVE_SEVERITIES.join(", ")
                ));
            }
        }
        for w in &self.waivers {
            if !crate::config::is_date(&w.expires) {
                return Err(format!(
                    "cve waiver for {}: expires must be a date YYYY-MM-DD, got {:?}",
                    w.id, w.expires
                ));
            }
            if w.id.trim().is_empty() || w.owner.trim().is_empty() || w.reason.trim().is_empty() {
                return Err(format!(
                    "cve waiver for {:?}: id, owner and reason must not be empty",
                    w.id
                ));
            }
        }
        Ok(())
    }
}
