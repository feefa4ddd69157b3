//! `[baseline]` in `phiguard.toml`: what `phiguard generate` and `phiguard
//! runbooks` need on top of the keys the rules read (the organization's name,
//! accounts to create, backups, incident-response contacts), and the
//! runbooks' attestation that IR-1 judges.

use serde::{Deserialize, Serialize};

/// The five incident-response scenarios `phiguard runbooks` writes and IR-1
/// requires, by their attestation names.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("ec2-isolation", "Isolate a compromised EC2 instance"),
    (
        "credential-rotation",
        "Rotate an exposed IAM key or credential",
    ),
    ("database-failover", "Fail over a database"),
    ("incident-declaration", "Declare a security incident"),
    ("restore-drill", "Quarterly restore drill"),
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Baseline {
    /// The organization's name, used in descriptions and resource names.
    pub organization: String,
    /// The organization's id, `o-...` (`aws organizations describe-organization`).
    pub organization_id: String,
    /// The organization root's id, `r-...` (`aws organizations list-roots`).
    pub root_id: String,
    /// The region the baseline is deployed from; the first approved region
    /// when empty.
    pub home_region: String,
    /// Identity Center permission-set session length, in hours.
    pub session_hours: u32,
    /// Object Lock retention of the organization trail, in years (six or more).
    pub log_retention_years: u32,
    /// The shared-network account (transit gateway), when it exists.
    pub network_account: Option<String>,
    /// The CIDR block of each workload VPC (one per environment; the second
    /// octet grows by 1 per environment).
    pub vpc_cidr: String,
    /// E-mail addresses of the accounts to create, by role, for roles with
    /// no account id under `[accounts]`.
    pub emails: Emails,
    pub backup: Backup,
    pub incident_response: IncidentResponse,
    pub runbooks: Runbooks,
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline {
            organization: String::new(),
            organization_id: String::new(),
            root_id: String::new(),
            home_region: String::new(),
            session_hours: 8,
            log_retention_years: 6,
            network_account: None,
            vpc_cidr: "10.20.0.0/16".into(),
            emails: Emails::default(),
            backup: Backup::default(),
            incident_response: IncidentResponse::default(),
            runbooks: Runbooks::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Emails {
    pub security: Option<String>,
    pub logs: Option<String>,
    pub network: Option<String>,
    pub prod: Option<String>,
    pub staging: Option<String>,
    pub dev: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Backup {
    /// AWS Backup schedule expression of the daily rule.
    pub schedule: String,
    /// Days recovery points are kept (in the vault and in the copy).
    pub retention_days: u32,
    /// The region recovery points are copied to (not the home region).
    pub copy_region: String,
    /// The account recovery points are also copied to, if any.
    pub copy_account: Option<String>,
}

impl Default for Backup {
    fn default() -> Self {
        Backup {
            schedule: "cron(0 5 * * ? *)".into(),
            retention_days: 35,
            copy_region: String::new(),
            copy_account: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct IncidentResponse {
    pub privacy_officer: Contact,
    pub security_officer: Contact,
    /// Who is called, in order, when an incident is declared (names or roles).
    pub escalation: Vec<String>,
}

/// Where the incident-response runbooks are kept and when they were last
/// reviewed: what IR-1 judges.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Runbooks {
    /// Where the runbooks live (a URL or a path), outside AWS.
    pub location: Option<String>,
    /// `YYYY-MM-DD`, the last review.
    pub reviewed: Option<String>,
    /// The scenarios the kept runbooks cover (see [`SCENARIOS`]).
    pub scenarios: Vec<String>,
}

/// A configuration error: the key (dotted path) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub key: String,
    pub message: String,
}

pub fn is_region(s: &str) -> bool {
    // e.g. us-east-1, ap-southeast-2, us-gov-west-1, eu-central-2
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && {
            let n = parts[parts.len() - 1];
            !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())
        }
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '>')
}

/// `YYYY-MM-DD` with a real month and day.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12)
        .contains(&m)
        .then_some(())
        .filter(|_| d >= 1 && d <= days[(m - 1) as usize])?;
    Some((y, m, d))
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Baseline {
    /// The home region: `home_region`, else the first approved one.
    pub fn home<'a>(&'a self, approved: &'a [String]) -> &'a str {
        if self.home_region.is_empty() {
            approved.first().map(String::as_str).unwrap_or("us-east-1")
        } else {
            &self.home_region
        }
    }

    /// Checks what any command may rely on: the form of every value that is
    /// set. What generation additionally needs is [`crate::Config::generation_errors`].
    pub fn validate(&self, approved: &[String]) -> Vec<KeyError> {
        let mut out = Vec::new();
        let mut e = |key: &str, message: String| {
            out.push(KeyError {
                key: key.into(),
                message,
            })
        };
        if !self.home_region.is_empty() {
            if !is_region(&self.home_region) {
                e(
                    "baseline.home_region",
                    format!(
                        "{:?} is not an AWS region (e.g. us-east-1)",
                        self.home_region
                    ),
                );
            } else if !approved.iter().any(|r| r == &self.home_region) {
                e(
                    "baseline.home_region",
                    format!(
                        "{:?} is not one of regions.approved ({})",
                        self.home_region,
                        approved.join(", ")
                    ),
                );
            }
        }
        let id_form = |s: &str, prefix: &str, min: usize| {
            s.strip_prefix(prefix).is_some_and(|r| {
                r.len() >= min
                    && r.len() <= 32
                    && r.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
        };
        if !self.organization_id.is_empty() && !id_form(&self.organization_id, "o-", 10) {
            e(
                "baseline.organization_id",
                format!(
                    "{:?} is not an organization id (o- and 10 to 32 lower-case letters or digits)",
                    self.organization_id
                ),
            );
        }
        if !self.root_id.is_empty() && !id_form(&self.root_id, "r-", 4) {
            e(
                "baseline.root_id",
                format!(
                    "{:?} is not an organization root id (r- and 4 to 32 lower-case letters or digits)",
                    self.root_id
                ),
            );
        }
        if !(1..=12).contains(&self.session_hours) {
            e(
                "baseline.session_hours",
                format!("must be 1 to 12 hours (IAM-4), got {}", self.session_hours),
            );
        }
        if self.log_retention_years < 6 {
            e(
                "baseline.log_retention_years",
                format!(
                    "must be at least 6 (HIPAA keeps documentation six years), got {}",
                    self.log_retention_years
                ),
            );
        }
        if let Some(a) = &self.network_account {
            if !is_account_id(a) {
                e(
                    "baseline.network_account",
                    format!("{a:?} is not a 12-digit account id"),
                );
            }
        }
        if !is_cidr16(&self.vpc_cidr) {
            e(
                "baseline.vpc_cidr",
                format!(
                    "{:?} must be an IPv4 /16 block such as 10.20.0.0/16",
                    self.vpc_cidr
                ),
            );
        }
        for (k, v) in [
            ("security", &self.emails.security),
            ("logs", &self.emails.logs),
            ("network", &self.emails.network),
            ("prod", &self.emails.prod),
            ("staging", &self.emails.staging),
            ("dev", &self.emails.dev),
        ] {
            if let Some(v) = v {
                if !is_email(v) {
                    e(
                        &format!("baseline.emails.{k}"),
                        format!("{v:?} is not an e-mail address"),
                    );
                }
            }
        }
        let b = &self.backup;
        if !(b.schedule.starts_with("cron(") || b.schedule.starts_with("rate(")) {
            e(
                "baseline.backup.schedule",
                format!(
                    "{:?} must be a cron(...) or rate(...) expression",
                    b.schedule
                ),
            );
        }
        if b.retention_days == 0 {
            e(
                "baseline.backup.retention_days",
                "must be at least 1".into(),
            );
        }
        if !b.copy_region.is_empty() {
            if !is_region(&b.copy_region) {
                e(
                    "baseline.backup.copy_region",
                    format!("{:?} is not an AWS region", b.copy_region),
                );
            } else if b.copy_region == self.home(approved) {
                e(
                    "baseline.backup.copy_region",
                    format!(
                        "{:?} is the home region; copies must go to another region (BAK-2)",
                        b.copy_region
                    ),
                );
            }
        }
        if let Some(a) = &b.copy_account {
            if !is_account_id(a) {
                e(
                    "baseline.backup.copy_account",
                    format!("{a:?} is not a 12-digit account id"),
                );
            }
        }
        let ir = &self.incident_response;
        for (k, c) in [
            ("privacy_officer", &ir.privacy_officer),
            ("security_officer", &ir.security_officer),
        ] {
            if !c.email.is_empty() && !is_email(&c.email) {
                e(
                    &format!("baseline.incident_response.{k}.email"),
                    format!("{:?} is not an e-mail address", c.email),
                );
            }
        }
        if let Some(d) = &self.runbooks.reviewed {
            if parse_date(d).is_none() {
                e(
                    "baseline.runbooks.reviewed",
                    format!("must be a date YYYY-MM-DD, got {d:?}"),
                );
            }
        }
        for s in &self.runbooks.scenarios {
            if !SCENARIOS.iter().any(|(n, _)| n == s) {
                e(
                    "baseline.runbooks.scenarios",
                    format!(
                        "unknown scenario {s:?}; the scenarios are {}",
                        SCENARIOS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        out
    }
}

/// Renders key errors as `line N: key: message` lines, one per error.
pub fn render_errors(text: &str, errors: &[KeyError]) -> String {
    errors
        .iter()
        .map(|e| match line_of(text, &e.key) {
            Some(l) => format!("line {l}: {}: {}", e.key, e.message),
            None => format!("{}: {} (the key is not set)", e.key, e.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The form of `[baseline]`, checked whenever `phiguard.toml` is read.
pub fn check_text(cfg: &crate::Config, text: &str) -> Result<(), String> {
    let errors = cfg.baseline.validate(&cfg.regions.approved);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(render_errors(text, &errors))
    }
}

impl crate::Config {
    /// What `phiguard generate` needs on top of a well-formed file: every
    /// missing or invalid value, by key.
    pub fn generation_errors(&self) -> Vec<KeyError> {
        let mut out = self.baseline.validate(&self.regions.approved);
        let mut e = |key: &str, message: String| {
            out.push(KeyError {
                key: key.into(),
                message,
            })
        };
        let b = &self.baseline;
        if b.organization.trim().is_empty() {
            e(
                "baseline.organization",
                "the organization's name is needed (descriptions and resource names)".into(),
            );
        }
        if b.organization_id.is_empty() {
            e(
                "baseline.organization_id",
                "the organization's id is needed (aws organizations describe-organization --query Organization.Id)".into(),
            );
        }
        if b.root_id.is_empty() {
            e(
                "baseline.root_id",
                "the organization root's id is needed (aws organizations list-roots --query 'Roots[0].Id')".into(),
            );
        }
        for r in &self.regions.approved {
            if !is_region(r) {
                e("regions.approved", format!("{r:?} is not an AWS region"));
            }
        }
        let a = &self.accounts;
        for (k, v) in [
            ("management", &a.management),
            ("security", &a.security),
            ("logs", &a.logs),
        ] {
            if let Some(v) = v {
                if !is_account_id(v) {
                    e(
                        &format!("accounts.{k}"),
                        format!("{v:?} is not a 12-digit account id"),
                    );
                }
            }
        }
        for (k, v) in [("prod", &a.prod), ("staging", &a.staging), ("dev", &a.dev)] {
            for id in v {
                if !is_account_id(id) {
                    e(
                        &format!("accounts.{k}"),
                        format!("{id:?} is not a 12-digit account id"),
                    );
                }
            }
        }
        for (role, id, mail) in [
            ("security", a.security.is_some(), &b.emails.security),
            ("logs", a.logs.is_some(), &b.emails.logs),
            ("prod", !a.prod.is_empty(), &b.emails.prod),
        ] {
            if !id && mail.is_none() {
                e(
                    &format!("baseline.emails.{role}"),
                    format!(
                        "the {role} account is needed: set accounts.{role} to its id, or baseline.emails.{role} to create it"
                    ),
                );
            }
        }
        if b.network_account.is_none() && b.emails.network.is_none() {
            e(
                "baseline.emails.network",
                "the shared-network account is needed: set baseline.network_account to its id, or baseline.emails.network to create it".into(),
            );
        }
        if b.backup.copy_region.is_empty() {
            e(
                "baseline.backup.copy_region",
                "backups are copied to another region (BAK-2): name it".into(),
            );
        } else if !self
            .regions
            .approved
            .iter()
            .any(|r| r == &b.backup.copy_region)
        {
            e(
                "baseline.backup.copy_region",
                format!(
                    "{:?} is not one of regions.approved: the region SCP would deny the copies",
                    b.backup.copy_region
                ),
            );
        }
        if b.session_hours > self.limits.max_session_hours {
            e(
                "baseline.session_hours",
                format!(
                    "{} is longer than limits.max_session_hours ({})",
                    b.session_hours, self.limits.max_session_hours
                ),
            );
        }
        if (b.log_retention_years as u64) * 365 < self.limits.object_lock_days as u64 {
            e(
                "baseline.log_retention_years",
                format!(
                    "{} years is shorter than limits.object_lock_days ({} days)",
                    b.log_retention_years, self.limits.object_lock_days
                ),
            );
        }
        out.dedup();
        out
    }

    /// What `phiguard runbooks` needs: the contacts it prints.
    pub fn runbook_errors(&self) -> Vec<KeyError> {
        let mut out = self.generation_errors();
        let ir = &self.baseline.incident_response;
        for (k, c) in [
            ("privacy_officer", &ir.privacy_officer),
            ("security_officer", &ir.security_officer),
        ] {
            for (f, v) in [("name", &c.name), ("phone", &c.phone), ("email", &c.email)] {
                if v.trim().is_empty() {
                    out.push(KeyError {
                        key: format!("baseline.incident_response.{k}.{f}"),
                        message: "the runbooks print it: it is needed".into(),
                    });
                }
            }
        }
        out
    }
}

fn is_cidr16(s: &str) -> bool {
    let Some((ip, len)) = s.split_once('/') else {
        return false;
    };
    let o: Vec<Option<u8>> = ip.split('.').map(|p| p.parse().ok()).collect();
    len == "16"
        && o.len() == 4
        && o.iter().all(Option::is_some)
        && o[2] == Some(0)
        && o[3] == Some(0)
}

/// The line (1-based) of a dotted key in TOML text, when it is there; else the
/// line of its nearest present parent.
pub fn line_of(text: &str, key: &str) -> Option<usize> {
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut span = None;
    let mut cur: &toml::de::DeTable = table.get_ref();
    for part in key.split('.') {
        let Some((k, v)) = cur.get_key_value(part) else {
            break;
        };
        span = Some(k.span().start);
        match v.get_ref() {
            toml::de::DeValue::Table(t) => cur = t,
            _ => break,
        }
    }
    span.map(|s| text[..s].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert!(
            is_region("us-east-1") && is_region("us-gov-west-1") && is_region("ap-southeast-2")
        );
        assert!(!is_region("us-east") && !is_region("US-EAST-1") && !is_region("mars-1"));
        assert!(is_account_id("111122223333") && !is_account_id("1111"));
        assert!(is_email("a.b@example.com") && !is_email("nobody") && !is_email("a@b"));
        assert!(parse_date("2026-02-28").is_some() && parse_date("2026-02-30").is_none());
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn line_of_finds_nested_keys() {
        let t = "[regions]\napproved=['us-east-1']\n\n[baseline.backup]\nschedule='x'\ncopy_region = 'us-east-1'\n";
        assert_eq!(line_of(t, "baseline.backup.copy_region"), Some(6));
        assert_eq!(line_of(t, "regions.approved"), Some(2));
        assert_eq!(line_of(t, "baseline.organization"), Some(4));
    }
}
