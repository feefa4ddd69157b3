use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// In every audited account, the root user has MFA enabled and has no
    /// access keys. One finding per account's root user.
    ///
    /// ### Why
    /// The root user can do anything in the account, including what SCPs
    /// cannot stop in the management account. Without MFA a stolen password
    /// is enough to take the account and its PHI; a root access key is a
    /// long-lived credential with no limit at all.
    ///
    /// ### Sources
    /// - Live: `iam:GetAccountSummary` (`SummaryMap.AccountMFAEnabled`,
    ///   `SummaryMap.AccountAccessKeysPresent`), read in each account.
    pub static RULE = {
        id: "IAM-2",
        control: AccessKeys,
        severity: Critical,
        sources: [Live],
        reads: [RootUser],
        scope: Resource,
        title: "The root user has MFA and no access keys",
        remediation: "Enable MFA (preferably a hardware key) on the root user and delete its access keys; for member accounts, consider centralized root access management.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for r in &cx.inv.root_users {
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        match &r.mfa {
            Val::Known(false) => bad.push("the root user has no MFA"),
            Val::Known(true) => {}
            Val::Unknown(x) => unknown.push(x.clone()),
        }
        match &r.access_keys {
            Val::Known(true) => bad.push("the root user has an access key"),
            Val::Known(false) => {}
            Val::Unknown(x) => unknown.push(x.clone()),
        }
        if !bad.is_empty() {
            cx.fail(r.rid, bad.join("; "));
        } else if !unknown.is_empty() {
            cx.unknown(r.rid, unknown.join("; "));
        } else {
            cx.pass(r.rid, "the root user has MFA and no access keys");
        }
    }
}
