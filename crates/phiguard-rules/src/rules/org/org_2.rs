use crate::util::org::roles;
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// The organization has dedicated accounts for each of the roles
    /// `prod`, `staging`, `dev`, `security` and `logs`, and names each role
    /// that no account holds. One finding for the estate.
    ///
    /// An account's role comes from `[accounts]` in `phiguard.toml`; else from
    /// the name of its OU; else from its `phiguard:role` tag. Accounts that
    /// are not `ACTIVE` hold no role. Where a role is missing and some
    /// account's role cannot be read, the rule is `unknown`.
    ///
    /// ### Why
    /// An account is the strongest isolation boundary AWS has. Separate
    /// accounts keep development from reaching production PHI, and keep the
    /// audit logs and security tooling out of reach of the workloads they
    /// watch.
    ///
    /// ### Sources
    /// - Live: `organizations:ListAccounts` (`Id`, `Status`),
    ///   `organizations:ListParents` and `DescribeOrganizationalUnit` (the OU
    ///   name), `organizations:ListTagsForResource` (the `phiguard:role` tag);
    ///   and the role map of `phiguard.toml`.
    pub static RULE = {
        id: "ORG-2",
        control: AccountStructure,
        severity: High,
        sources: [Live],
        reads: [Accounts, Organization],
        scope: Estate,
        title: "Dedicated accounts exist for prod, staging, dev, security and logs",
        remediation: "Create an account for each of prod, staging, dev, security and logs, and map them in phiguard.toml ([accounts]), by OU name, or with the phiguard:role tag.",
        check: check,
    }
}

const REQUIRED: &[&str] = &["prod", "staging", "dev", "security", "logs"];

fn check(cx: &mut Cx) {
    let r = roles(cx);
    let mut have = Vec::new();
    let mut missing = Vec::new();
    for role in REQUIRED {
        let h = r.holders(role);
        if h.is_empty() {
            missing.push(*role);
        } else {
            have.push(format!("{role}: {}", h.join(", ")));
        }
    }
    if missing.is_empty() {
        cx.estate_pass(format!(
            "each role has a dedicated account ({})",
            have.join("; ")
        ));
    } else if !r.unknown.is_empty() {
        cx.estate_unknown(format!(
            "no account is known to hold the role {}, and the role of some accounts cannot be told ({})",
            missing.join(", "),
            r.unknown.join("; ")
        ));
    } else {
        cx.estate_fail(format!("no account holds the role {}", missing.join(", ")));
    }
}
