use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every IAM user that has a console password has an MFA device. Each
    /// user is judged: a user without a console password passes (IAM-1 judges
    /// whether the user should exist at all).
    ///
    /// ### Why
    /// A console password alone is one phished or reused secret away from a
    /// person's access to PHI. MFA is HIPAA's person-or-entity authentication
    /// for the accounts that remain, such as break-glass users.
    ///
    /// ### Sources
    /// - Live: the IAM credential report (`iam:GenerateCredentialReport`,
    ///   `iam:GetCredentialReport`: `password_enabled`, `mfa_active`).
    pub static RULE = {
        id: "IAM-3",
        control: AccessKeys,
        severity: High,
        sources: [Live],
        reads: [IamUsers],
        scope: Resource,
        title: "Every IAM user with a console password has MFA",
        remediation: "Enable an MFA device for the user (or remove its console password, or the user).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for u in &cx.inv.iam_users {
        match (&u.console_password, &u.mfa) {
            (Val::Known(false), _) => cx.pass(u.rid, "no console password"),
            (Val::Unknown(r), _) => cx.unknown(u.rid, r.clone()),
            (Val::Known(true), Val::Known(true)) => {
                cx.pass(u.rid, "the user has a console password and MFA")
            }
            (Val::Known(true), Val::Known(false)) => {
                cx.fail(u.rid, "the user has a console password and no MFA")
            }
            (Val::Known(true), Val::Unknown(r)) => cx.unknown(u.rid, r.clone()),
        }
    }
}
