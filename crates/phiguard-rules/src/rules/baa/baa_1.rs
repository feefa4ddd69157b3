use crate::util::scp::management_account;
use crate::{Cx, declare_rule};
use phiguard_model::{Agreement, Collection, Val};

declare_rule! {
    /// ### What it checks
    /// An AWS Business Associate Addendum is `ACTIVE` for every audited
    /// account: an AWS Artifact agreement whose name names the Business
    /// Associate Addendum (it contains "Business Associate Addendum" or "BAA",
    /// in any case), in state `ACTIVE`, with scope `ORGANIZATION` (it covers
    /// every account of the organization) or `ACCOUNT` (it covers the account
    /// it was accepted in). One finding per audited account; in an audit
    /// without the organization's accounts, one finding for the estate.
    ///
    /// Where the audit could not read the agreements of the account or of
    /// the management account (which holds an organization agreement), an
    /// account without a covering agreement is `unknown`.
    ///
    /// ### Why
    /// HIPAA lets a covered entity put PHI with a business associate only
    /// under a business associate agreement. Without an accepted AWS BAA, no
    /// AWS service may hold PHI, however well it is configured.
    ///
    /// ### Sources
    /// - Live: `artifact:ListCustomerAgreements` (`name`; `state`: `ACTIVE`,
    ///   `CUSTOMER_TERMINATED` or `AWS_TERMINATED`; `organizationArn` set for
    ///   an agreement of the organization, else `awsAccountId` for one of the
    ///   account), read in each account and in the management account.
    pub static RULE = {
        id: "BAA-1",
        control: Baa,
        severity: Critical,
        sources: [Live],
        reads: [Agreements, Accounts, Organization],
        scope: Estate,
        title: "An AWS Business Associate Addendum is active for the organization or the account",
        remediation: "Accept the AWS Business Associate Addendum in AWS Artifact, for the organization from the management account (or for each account that holds PHI).",
        check: check,
    }
}

/// Does the agreement's name name the Business Associate Addendum?
fn is_baa(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("business associate addendum")
        || n.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "baa")
}

/// Is the agreement an active BAA? With its scope.
fn active_baa(a: &Agreement) -> Val<bool> {
    match (&a.name, &a.state) {
        (Val::Known(n), _) if !is_baa(n) => Val::Known(false),
        (_, Val::Known(s)) if !s.eq_ignore_ascii_case("ACTIVE") => Val::Known(false),
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r.clone()),
        _ => Val::Known(true),
    }
}

fn label(cx: &Cx, a: &Agreement) -> String {
    match &a.name {
        Val::Known(n) => n.clone(),
        Val::Unknown(_) => cx.inv.meta(a.rid).name.clone(),
    }
}

/// Does the agreement cover the account?
fn covers(cx: &Cx, a: &Agreement, account: &str) -> Val<bool> {
    let own = cx.inv.meta(a.rid).account.known().map(|x| x == account);
    match &a.scope {
        Val::Known(s) if s.eq_ignore_ascii_case("ORGANIZATION") => Val::Known(true),
        Val::Known(s) if s.eq_ignore_ascii_case("ACCOUNT") => match own {
            Some(b) => Val::Known(b),
            None => Val::unknown("the account the agreement was accepted in is not known"),
        },
        // Another scope covers nothing we know of.
        Val::Known(_) => Val::Known(false),
        // Whatever its scope, it covers the account it was accepted in.
        Val::Unknown(_) if own == Some(true) => Val::Known(true),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    }
}

/// Decides for one account (`None`: any account, for a single-estate audit).
fn judge(cx: &Cx, account: Option<&str>) -> (Val<bool>, String) {
    let mut unknown = None;
    // The first by name that covers, whatever the order they were read in.
    let mut agreements: Vec<&Agreement> = cx.inv.agreements.iter().collect();
    agreements.sort_by_key(|a| label(cx, a));
    for a in agreements {
        let c = match account {
            Some(id) => covers(cx, a, id),
            None => Val::Known(true),
        };
        let v = phiguard_model::all3([active_baa(a), c]);
        match v {
            Val::Known(true) => {
                let scope = a.scope.known().cloned().unwrap_or_default();
                return (
                    Val::Known(true),
                    format!(
                        "the Business Associate Addendum \"{}\" is active ({} scope)",
                        label(cx, a),
                        scope.to_ascii_lowercase()
                    ),
                );
            }
            Val::Known(false) => {}
            Val::Unknown(r) => {
                unknown.get_or_insert(format!("{}: {r}", label(cx, a)));
            }
        }
    }
    if let Some(r) = unknown {
        return (
            Val::Unknown(format!(
                "whether an agreement is an active Business Associate Addendum cannot be told: {r}"
            )),
            String::new(),
        );
    }
    // The organization's agreement lives in the management account; the
    // account's own, in the account.
    let mgmt = management_account(cx);
    let gap = match account {
        Some(id) => {
            let mut notes: Vec<String> = [Some(id), mgmt.as_deref()]
                .into_iter()
                .flatten()
                .filter_map(|acct| cx.gap_note(&[Collection::Agreements], Some(acct)))
                .collect();
            if mgmt.is_none() {
                notes.extend(cx.gap_note(&[Collection::Agreements], None));
            }
            notes.dedup();
            (!notes.is_empty()).then(|| notes.join("; "))
        }
        None => cx.gap_note(&[Collection::Agreements], None),
    };
    match gap {
        Some(g) => (
            Val::Unknown(format!(
                "no active Business Associate Addendum was found, but the audit {g}"
            )),
            String::new(),
        ),
        None => (
            Val::Known(false),
            "no active AWS Business Associate Addendum covers the account".into(),
        ),
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    if inv.org_accounts.is_empty() {
        match judge(cx, None) {
            (Val::Known(true), m) => cx.estate_pass(m),
            (Val::Known(false), _) => {
                cx.estate_fail("no active AWS Business Associate Addendum was found")
            }
            (Val::Unknown(r), _) => cx.estate_unknown(r),
        }
        return;
    }
    for acct in inv.org_accounts.iter().filter(|a| a.audited) {
        let (v, m) = judge(cx, Some(&acct.id));
        match v {
            Val::Known(true) => cx.pass(acct.rid, m),
            Val::Known(false) => cx.fail(acct.rid, m),
            Val::Unknown(r) => cx.unknown(acct.rid, r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_baa;

    #[test]
    fn names_of_the_addendum() {
        assert!(is_baa("AWS Business Associate Addendum"));
        assert!(is_baa("AWS Organizations Business Associate Addendum"));
        assert!(is_baa("BAA (organization)"));
        assert!(!is_baa("AWS Customer Agreement"));
        assert!(!is_baa("Abaaco terms"));
    }
}
