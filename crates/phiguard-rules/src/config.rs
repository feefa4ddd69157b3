//! `phiguard.toml`: PHI scope, approved regions, limits, accounts, break-glass
//! principals and waivers. Every key has a default; an unknown key is an error.

use phiguard_model::{Inventory, Rid, Val};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub scope: PhiScope,
    pub regions: Regions,
    pub limits: Limits,
    pub accounts: Accounts,
    pub identity: Identity,
    pub network: Network,
    /// What `generate` and `runbooks` need, and the runbooks' attestation (IR-1).
    pub baseline: crate::baseline::Baseline,
    /// `phiguard cve-gate`: blocking severities, SLAs, CVE waivers.
    pub cve: crate::cve_config::CveConfig,
    #[serde(rename = "waiver")]
    pub waivers: Vec<Waiver>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ScopeMode {
    /// Resources tagged with the PHI tag.
    Tagged,
    /// Every resource.
    All,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhiScope {
    /// `tagged` (default) or `all`.
    pub phi_scope: ScopeMode,
    pub phi_tag_key: String,
    pub phi_tag_value: String,
}

impl Default for PhiScope {
    fn default() -> Self {
        PhiScope {
            phi_scope: ScopeMode::Tagged,
            phi_tag_key: "phi".into(),
            phi_tag_value: "true".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Regions {
    pub approved: Vec<String>,
}

impl Default for Regions {
    fn default() -> Self {
        Regions {
            approved: vec!["us-east-1".into(), "us-west-2".into()],
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Longest session for permission sets and roles, in hours.
    pub max_session_hours: u32,
    /// Longest secret rotation interval, in days.
    pub rotation_days: u32,
    /// Shortest retention of audit and flow log groups, in days.
    pub log_retention_days: u32,
    /// Shortest Object Lock retention of the trail bucket, in days.
    pub object_lock_days: u32,
    /// Longest interval between restore tests, in days.
    pub restore_test_days: u32,
    /// Patch SLA for critical vulnerabilities, in hours.
    pub critical_sla_hours: u32,
    /// Patch SLA for high vulnerabilities, in days.
    pub high_sla_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_session_hours: 12,
            rotation_days: 90,
            log_retention_days: 365,
            object_lock_days: 2190,
            restore_test_days: 92,
            critical_sla_hours: 48,
            high_sla_days: 14,
        }
    }
}

/// Account ids by role.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Accounts {
    pub management: Option<String>,
    pub security: Option<String>,
    pub logs: Option<String>,
    pub prod: Vec<String>,
    pub staging: Vec<String>,
    pub dev: Vec<String>,
    /// Buckets (glob patterns on the bucket name) that ORG-3 allows in the
    /// management account. Empty by default: even the organization trail's
    /// bucket belongs in the logs account.
    pub management_allowed_buckets: Vec<String>,
}

impl Accounts {
    /// The role of an account id, where configured.
    pub fn role_of(&self, account: &str) -> Option<&'static str> {
        let is = |o: &Option<String>| o.as_deref() == Some(account);
        if is(&self.management) {
            Some("management")
        } else if is(&self.security) {
            Some("security")
        } else if is(&self.logs) {
            Some("logs")
        } else if self.prod.iter().any(|a| a == account) {
            Some("prod")
        } else if self.staging.iter().any(|a| a == account) {
            Some("staging")
        } else if self.dev.iter().any(|a| a == account) {
            Some("dev")
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Identity {
    /// IAM user names allowed to exist (break-glass), without access keys.
    pub break_glass_users: Vec<String>,
    /// Principal ARNs (globs allowed) whose exemption from an SCP still counts.
    pub break_glass_principals: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Network {
    /// Interface endpoints every workload VPC must have.
    pub required_interface_endpoints: Vec<String>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            required_interface_endpoints: [
                "secretsmanager",
                "kms",
                "sts",
                "logs",
                "ecr.api",
                "ecr.dkr",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }
}

/// Accepts a failing finding, for a time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Rule id, e.g. `ENC-2`.
    pub rule: String,
    /// The resource's name (logical id, address or ARN); glob `*` allowed.
    pub resource: String,
    pub owner: String,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day the waiver counts.
    pub expires: String,
}

impl Config {
    /// Parses `phiguard.toml` text. The error names the key and line.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let cfg: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        cfg.validate()?;
        crate::baseline::check_text(&cfg, text)?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        if self.scope.phi_tag_key.is_empty() {
            return Err("scope.phi_tag_key must not be empty".into());
        }
        if self.regions.approved.is_empty() {
            return Err("regions.approved must name at least one region".into());
        }
        self.cve.validate()?;
        for w in &self.waivers {
            if !is_date(&w.expires) {
                return Err(format!(
                    "waiver for {} on {}: expires must be a date YYYY-MM-DD, got {:?}",
                    w.rule, w.resource, w.expires
                ));
            }
        }
        Ok(())
    }

    pub fn in_phi_scope(&self, inv: &Inventory, rid: Rid) -> Val<bool> {
        match self.scope.phi_scope {
            ScopeMode::All => Val::Known(true),
            ScopeMode::Tagged => {
                inv.has_tag(rid, &self.scope.phi_tag_key, &self.scope.phi_tag_value)
            }
        }
    }
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let c = Config::from_toml("").unwrap();
        assert_eq!(c.limits.rotation_days, 90);
        assert_eq!(c.regions.approved, vec!["us-east-1", "us-west-2"]);
        assert_eq!(c.scope.phi_tag_key, "phi");
    }

    #[test]
    fn management_allowed_buckets_are_read() {
        let c = Config::from_toml(
            "[accounts]\nmanagement = '000000000000'\nmanagement_allowed_buckets = ['cur-*']\n",
        )
        .unwrap();
        assert_eq!(c.accounts.management_allowed_buckets, vec!["cur-*"]);
        assert!(
            Config::default()
                .accounts
                .management_allowed_buckets
                .is_empty()
        );
    }

    #[test]
    fn unknown_key_is_named() {
        let e = Config::from_toml("[limits]\nrotation_dayz = 30\n").unwrap_err();
        assert!(e.contains("rotation_dayz"), "{e}");
        assert!(e.contains("line 2"), "{e}");
        let e = Config::from_toml("colour = 1\n").unwrap_err();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn waiver_dates_are_checked() {
        let t = "[[waiver]]\nrule='ENC-2'\nresource='B'\nowner='o'\nreason='r'\nexpires='soon'\n";
        assert!(Config::from_toml(t).unwrap_err().contains("YYYY-MM-DD"));
    }
}
