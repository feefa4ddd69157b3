use crate::{Cx, declare_rule};
use phiguard_model::{Collection, Val};

declare_rule! {
    /// ### What it checks
    /// No open vulnerability is past its patch SLA: no `ACTIVE` Amazon
    /// Inspector finding of severity `CRITICAL` was first observed more than
    /// `limits.critical_sla_hours` ago (default 48), and none of severity
    /// `HIGH` more than `limits.high_sla_days` ago (default 14). Each overdue
    /// finding fails; when none is overdue, one finding for the estate passes.
    /// A finding whose status, severity or first observation is unknown is
    /// `unknown`. Where the audit could not read the findings of an account
    /// and region, there is no estate pass.
    ///
    /// Inspector reports only what it scans: MON-5 checks it is enabled.
    ///
    /// ### Why
    /// HIPAA's risk management means known, exploitable vulnerabilities on
    /// systems that hold PHI are fixed within a set time; a scanner whose
    /// findings nobody acts on only documents the risk.
    ///
    /// ### Sources
    /// - Live: `inspector2:ListFindings` with the filter `findingStatus =
    ///   ACTIVE` (`severity`, `status`, `firstObservedAt`, `title`,
    ///   `resources[].id`).
    pub static RULE = {
        id: "CVE-2",
        control: Vulnerability,
        severity: High,
        sources: [Live],
        reads: [VulnFindings],
        scope: Resource,
        title: "No open vulnerability is past its patch SLA",
        remediation: "Patch or rebuild the affected instance, image or function, and redeploy; if it cannot be fixed in time, record a waiver with an owner and a date.",
        check: check,
    }
}

const HOUR: i64 = 3_600;

fn check(cx: &mut Cx) {
    let crit = cx.cfg.limits.critical_sla_hours as i64 * HOUR;
    let high = cx.cfg.limits.high_sla_days as i64 * 24 * HOUR;
    let mut overdue = 0;
    let mut unknown = 0;
    let mut open = 0;
    for v in &cx.inv.vuln_findings {
        match &v.status {
            Val::Known(s) if !s.eq_ignore_ascii_case("ACTIVE") => continue,
            Val::Known(_) => {}
            Val::Unknown(r) => {
                cx.unknown(v.rid, r.clone());
                unknown += 1;
                continue;
            }
        }
        let (sla, sla_text) = match &v.severity {
            Val::Known(s) if s.eq_ignore_ascii_case("CRITICAL") => {
                (crit, format!("{} hours", cx.cfg.limits.critical_sla_hours))
            }
            Val::Known(s) if s.eq_ignore_ascii_case("HIGH") => {
                (high, format!("{} days", cx.cfg.limits.high_sla_days))
            }
            Val::Known(_) => continue,
            Val::Unknown(r) => {
                cx.unknown(v.rid, r.clone());
                unknown += 1;
                continue;
            }
        };
        let sev = v.severity.known().cloned().unwrap_or_default();
        let first = match &v.first_observed {
            Val::Known(t) => *t,
            Val::Unknown(r) => {
                cx.unknown(v.rid, r.clone());
                unknown += 1;
                continue;
            }
        };
        open += 1;
        let age = cx.now - first;
        if age > sla {
            overdue += 1;
            let title = v
                .title
                .known()
                .cloned()
                .unwrap_or_else(|| "a finding".into());
            let on = v
                .resource
                .known()
                .map(|r| format!(" on {r}"))
                .unwrap_or_default();
            // In the unit of its SLA.
            let age_text = if sla == crit {
                format!("{} hours", age / HOUR)
            } else {
                format!("{} days", age / (24 * HOUR))
            };
            cx.fail(
                v.rid,
                format!("{sev} {title}{on} has been open {age_text}, past its SLA of {sla_text}"),
            );
        }
    }
    if overdue == 0 && unknown == 0 && cx.gap_note(&[Collection::VulnFindings], None).is_none() {
        cx.estate_pass(format!(
            "no open critical or high vulnerability is past its SLA ({open} open within it)"
        ));
    }
}
