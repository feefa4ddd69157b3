use crate::util::org::{WORKLOAD_ROLES, roles};
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// A security account and a logs account are set, and each is separate:
    /// the security account is not the logs account, and neither is the
    /// management account or an account of workloads (`prod`, `staging`,
    /// `dev`). One finding for the estate.
    ///
    /// Roles come from `[accounts]` in `phiguard.toml`, from OU names and
    /// `phiguard:role` tags (as for ORG-2), and the organization's own
    /// management account. An account that two sources give different roles
    /// holds both, and fails when the two must be separate.
    ///
    /// ### Why
    /// Audit logs and security tooling must survive the compromise of the
    /// accounts they watch. In a workload or management account, whoever
    /// controls the workload can erase the evidence of what they did to PHI.
    ///
    /// ### Sources
    /// - Live: the role of each account (see ORG-2), and
    ///   `organizations:DescribeOrganization` (`MasterAccountId`).
    pub static RULE = {
        id: "ORG-4",
        control: AccountStructure,
        severity: High,
        sources: [Live],
        reads: [Accounts, Organization],
        scope: Estate,
        title: "Security and logs accounts are separate from each other, from workloads and from management",
        remediation: "Set a dedicated security account and a dedicated logs account (phiguard.toml [accounts] security and logs), neither of which runs workloads or is the management account.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let r = roles(cx);
    let mut bad = Vec::new();
    let mut missing = Vec::new();
    for role in ["security", "logs"] {
        let holders = r.holders(role);
        if holders.is_empty() {
            missing.push(role);
        }
        let others: Vec<&str> = match role {
            "security" => ["logs", "management"]
                .into_iter()
                .chain(WORKLOAD_ROLES.iter().copied())
                .collect(),
            _ => ["management"]
                .into_iter()
                .chain(WORKLOAD_ROLES.iter().copied())
                .collect(),
        };
        for a in holders {
            let also: Vec<&str> = others
                .iter()
                .copied()
                .filter(|o| r.by_account[a].contains(*o))
                .collect();
            if !also.is_empty() {
                bad.push(format!(
                    "the {role} account {a} is also the {} account",
                    also.join(" and ")
                ));
            }
        }
    }
    if !bad.is_empty() {
        let mut m = bad.join("; ");
        if !missing.is_empty() {
            m.push_str(&format!(
                "; no account holds the role {}",
                missing.join(", ")
            ));
        }
        cx.estate_fail(m);
    } else if missing.is_empty() {
        cx.estate_pass(format!(
            "the security account ({}) and the logs account ({}) are separate from each other, from management and from workloads",
            r.holders("security").join(", "),
            r.holders("logs").join(", ")
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
