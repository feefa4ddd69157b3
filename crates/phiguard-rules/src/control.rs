//! The 16 controls of the HIPAA baseline, with their Security Rule citations.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Control {
    Baa,
    AccountStructure,
    Guardrails,
    AtRestEncryption,
    InTransitEncryption,
    NetworkIsolation,
    AccessKeys,
    WorkloadAccess,
    SecretManagement,
    AuditTrails,
    NetworkVisibility,
    Retention,
    Monitoring,
    Vulnerability,
    DisasterRecovery,
    IncidentResponse,
}

impl Control {
    pub const ALL: [Control; 16] = [
        Control::Baa,
        Control::AccountStructure,
        Control::Guardrails,
        Control::AtRestEncryption,
        Control::InTransitEncryption,
        Control::NetworkIsolation,
        Control::AccessKeys,
        Control::WorkloadAccess,
        Control::SecretManagement,
        Control::AuditTrails,
        Control::NetworkVisibility,
        Control::Retention,
        Control::Monitoring,
        Control::Vulnerability,
        Control::DisasterRecovery,
        Control::IncidentResponse,
    ];

    /// 1-based number, as in `controls.md`.
    pub fn number(self) -> u8 {
        Control::ALL.iter().position(|c| *c == self).unwrap_or(0) as u8 + 1
    }

    pub fn title(self) -> &'static str {
        match self {
            Control::Baa => "Business Associate Addendum",
            Control::AccountStructure => "Account structure",
            Control::Guardrails => "Guardrails (SCPs)",
            Control::AtRestEncryption => "At-rest encryption",
            Control::InTransitEncryption => "In-transit encryption",
            Control::NetworkIsolation => "Network isolation",
            Control::AccessKeys => "Access keys and human identity",
            Control::WorkloadAccess => "Workload access",
            Control::SecretManagement => "Secret management",
            Control::AuditTrails => "Audit trails",
            Control::NetworkVisibility => "Network visibility",
            Control::Retention => "Retention and integrity",
            Control::Monitoring => "Continuous monitoring",
            Control::Vulnerability => "Vulnerability management",
            Control::DisasterRecovery => "Disaster recovery",
            Control::IncidentResponse => "Incident response",
        }
    }

    /// The area of the baseline the control belongs to.
    pub fn area(self) -> &'static str {
        match self {
            Control::Baa | Control::AccountStructure | Control::Guardrails => "Foundation",
            Control::AtRestEncryption
            | Control::InTransitEncryption
            | Control::NetworkIsolation => "Data protection",
            Control::AccessKeys | Control::WorkloadAccess | Control::SecretManagement => "Identity",
            Control::AuditTrails | Control::NetworkVisibility | Control::Retention => "Logging",
            Control::Monitoring => "Detection",
            Control::Vulnerability | Control::DisasterRecovery | Control::IncidentResponse => {
                "Operations"
            }
        }
    }

    /// HIPAA Security Rule citations (45 CFR).
    pub fn citations(self) -> &'static [&'static str] {
        match self {
            Control::Baa => &["164.308(b)(1)", "164.314(a)(1)"],
            Control::AccountStructure => &["164.308(a)(4)(ii)(A)", "164.312(a)(1)"],
            Control::Guardrails => &["164.308(a)(1)(ii)(B)", "164.312(a)(1)"],
            Control::AtRestEncryption => &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            Control::InTransitEncryption => &["164.312(e)(1)", "164.312(e)(2)(i)"],
            Control::NetworkIsolation => &["164.312(e)(1)", "164.312(a)(1)"],
            Control::AccessKeys => &["164.312(a)(2)(i)", "164.312(d)", "164.308(a)(5)(ii)(D)"],
            Control::WorkloadAccess => &["164.312(a)(1)", "164.308(a)(4)(ii)(B)"],
            Control::SecretManagement => &["164.308(a)(5)(ii)(D)", "164.312(a)(2)(iv)"],
            Control::AuditTrails => &["164.312(b)", "164.308(a)(1)(ii)(D)"],
            Control::NetworkVisibility => &["164.312(b)", "164.308(a)(1)(ii)(D)"],
            Control::Retention => &["164.316(b)(2)(i)", "164.312(c)(1)"],
            Control::Monitoring => &["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)", "164.312(b)"],
            Control::Vulnerability => &["164.308(a)(1)(ii)(B)", "164.308(a)(5)(ii)(B)"],
            Control::DisasterRecovery => &[
                "164.308(a)(7)(ii)(A)",
                "164.308(a)(7)(ii)(B)",
                "164.308(a)(7)(ii)(D)",
                "164.310(d)(2)(iv)",
            ],
            Control::IncidentResponse => {
                &["164.308(a)(6)(i)", "164.308(a)(6)(ii)", "164.308(a)(7)(i)"]
            }
        }
    }
}
