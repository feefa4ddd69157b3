//! `phiguard audit --to-security-hub`: the audit's findings, in ASFF, into
//! Security Hub.

use phiguard_aws::AuditOptions;
use phiguard_aws::securityhub::{connect, import as import_findings};
use phiguard_report::{Report, asff, time};
use std::time::Duration;

/// Imports the report's findings; says what happened on stderr. Returns
/// whether every finding was imported.
pub fn import(
    rt: &tokio::runtime::Runtime,
    opts: &AuditOptions,
    role: Option<&str>,
    report: &Report,
) -> bool {
    let target = match rt.block_on(connect(opts, role)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("phiguard: error: Security Hub import: {e}");
            return false;
        }
    };
    let findings = asff::findings(
        report,
        &asff::Target {
            account: Some(target.account.clone()),
            region: Some(target.region.clone()),
        },
        time::now_ms(),
    );
    let done = rt.block_on(import_findings(
        &target.client,
        &findings,
        Duration::from_secs(2),
    ));
    eprintln!(
        "phiguard: Security Hub ({} in {}): {} of {} finding(s) imported in {} BatchImportFindings call(s), {} retried, {} failed",
        target.account,
        target.region,
        done.imported,
        findings.len(),
        done.calls,
        done.retried,
        done.failed.len()
    );
    for f in &done.failed {
        eprintln!(
            "phiguard: error: Security Hub refused {}: {}: {}",
            f.id, f.code, f.message
        );
    }
    done.failed.is_empty()
}
