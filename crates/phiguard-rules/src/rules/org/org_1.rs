use crate::{Cx, declare_rule};
use phiguard_model::{Collection, Val};

declare_rule! {
    /// ### What it checks
    /// The audited accounts belong to an AWS Organization that has all
    /// features enabled (`FeatureSet` is `ALL`, not `CONSOLIDATED_BILLING`).
    ///
    /// Where the audit could not read the organization, the rule is
    /// `unknown`; where it read that there is none, the rule fails.
    ///
    /// ### Why
    /// Service control policies, organization trails, delegated
    /// administration of GuardDuty and Security Hub, and organization-wide
    /// backup all need an organization with all features. Without it, every
    /// guardrail of this baseline is per account and can be switched off in
    /// the account it guards.
    ///
    /// ### Sources
    /// - Live: `organizations:DescribeOrganization` (`Organization.FeatureSet`,
    ///   `Organization.MasterAccountId`); the error
    ///   `AWSOrganizationsNotInUseException` means no organization.
    pub static RULE = {
        id: "ORG-1",
        control: AccountStructure,
        severity: High,
        sources: [Live],
        reads: [Organization],
        scope: Estate,
        title: "AWS Organizations is in use with all features",
        remediation: "Create an AWS Organization from the management account and enable all features (organizations:EnableAllFeatures).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    let Some(org) = inv.organizations.first() else {
        match cx.gap_note(&[Collection::Organization], None) {
            Some(g) => cx.estate_unknown(format!(
                "whether the accounts are in an organization cannot be told: the audit {g}"
            )),
            None => cx.estate_fail("the audited accounts are not in an AWS Organization"),
        }
        return;
    };
    let id = org
        .id
        .known()
        .cloned()
        .unwrap_or_else(|| "the organization".into());
    match &org.feature_set {
        Val::Known(f) if f.eq_ignore_ascii_case("ALL") => {
            cx.pass(org.rid, format!("{id} has all features enabled"))
        }
        Val::Known(f) => cx.fail(
            org.rid,
            format!("{id} has feature set {f}, not ALL: SCPs and delegated administration are unavailable"),
        ),
        Val::Unknown(r) => cx.unknown(org.rid, r.clone()),
    }
}
