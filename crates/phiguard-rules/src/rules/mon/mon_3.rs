use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// Every Macie session is enabled (not paused). With no session at all, the
    /// estate fails when it is complete (`--complete`, or live).
    ///
    /// ### Why
    /// Macie finds PHI and other sensitive data in S3, including where it is not
    /// expected; without it, PHI outside its tagged scope goes unnoticed.
    ///
    /// ### Sources
    /// - Live: `macie2:GetMacieSession` `status`.
    /// - Terraform: `aws_macie2_account.status` (default `ENABLED`).
    /// - CloudFormation: `AWS::Macie::Session.Status` (default `ENABLED`).
    pub static RULE = {
        id: "MON-3",
        control: Monitoring,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Macie],
        scope: Estate,
        title: "Macie is enabled",
        remediation: "Enable Macie in every account and approved region (AWS::Macie::Session with Status: ENABLED).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    if cx.inv.macie.is_empty() {
        cx.absent("no Macie session is in the estate");
        return;
    }
    for m in &cx.inv.macie {
        cx.judge(
            m.rid,
            m.enabled.clone(),
            "Macie is enabled",
            "the Macie session is paused",
        );
    }
}
