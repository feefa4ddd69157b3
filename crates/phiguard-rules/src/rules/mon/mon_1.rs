use crate::util::org::roles;
use crate::{Cx, declare_rule};
use phiguard_model::{SourceKind, Val};

declare_rule! {
    /// ### What it checks
    /// Every GuardDuty detector is enabled; where the source knows it (live),
    /// new accounts are enrolled automatically and the delegated administrator
    /// is the security account (of `phiguard.toml`, else the account whose
    /// OU name or `phiguard:role` tag says `security`). With no detector at all, the
    /// estate fails when it is complete (`--complete`, or live).
    ///
    /// ### Why
    /// GuardDuty is the threat detection the HIPAA risk management and incident
    /// procedures rely on; a detector that is off, or accounts outside the
    /// organization's administration, leave activity around PHI unwatched.
    ///
    /// ### Sources
    /// - Live: `guardduty:ListDetectors`, `GetDetector`, `DescribeOrganizationConfiguration`,
    ///   `organizations:ListDelegatedAdministrators`.
    /// - Terraform: `aws_guardduty_detector.enable`, `aws_guardduty_organization_configuration`.
    /// - CloudFormation: `AWS::GuardDuty::Detector.Enable`. Which account administers
    ///   GuardDuty is not in a detector template, so only `Enable` is judged there.
    pub static RULE = {
        id: "MON-1",
        control: Monitoring,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [GuardDuty],
        scope: Estate,
        title: "GuardDuty is enabled organization-wide, administered from the security account",
        remediation: "Enable GuardDuty in every account and approved region (Enable: true), delegate its administration to the security account, and auto-enable it for the organization's accounts.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    // The security account: from phiguard.toml, else (live) the one account
    // of the organization whose OU name or tag says so.
    let security = cx.cfg.accounts.security.clone().or_else(|| {
        let r = roles(cx);
        match r.holders("security").as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        }
    });
    if cx.inv.guardduty.is_empty() {
        cx.absent("no GuardDuty detector is in the estate");
        return;
    }
    for g in &cx.inv.guardduty {
        let live = cx.inv.meta(g.rid).origin.source_kind() == SourceKind::Live;
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        match &g.enabled {
            Val::Known(false) => bad.push("the detector is disabled".to_string()),
            Val::Known(true) => {}
            Val::Unknown(r) => unknown.push(r.clone()),
        }
        match &g.org_auto_enable {
            Val::Known(false) => bad.push("new accounts are not enrolled automatically".into()),
            Val::Known(true) => {}
            Val::Unknown(r) if live => unknown.push(r.clone()),
            Val::Unknown(_) => {}
        }
        match (&g.admin_account, &security) {
            (Val::Known(None), _) => bad.push("no delegated administrator is set".into()),
            (Val::Known(Some(a)), Some(sec)) if a != sec => bad.push(format!(
                "the delegated administrator is {a}, not the security account {sec}"
            )),
            (Val::Unknown(r), _) if live => unknown.push(r.clone()),
            _ => {}
        }
        if !bad.is_empty() {
            cx.fail(g.rid, bad.join("; "));
        } else if !unknown.is_empty() {
            cx.unknown(g.rid, unknown.join("; "));
        } else {
            cx.pass(g.rid, "the GuardDuty detector is enabled");
        }
    }
}
