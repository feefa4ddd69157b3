use crate::util::scp::{Verdict, judge_denied, judge_denied_with};
use crate::{Cx, declare_rule};
use phiguard_model::{OrgAccount, Val};

declare_rule! {
    /// ### What it checks
    /// Public S3 is prevented: an attached service control policy denies
    /// changes to S3 Block Public Access (`s3:PutBucketPublicAccessBlock`,
    /// `s3:PutAccountPublicAccessBlock`), and account-level Block Public
    /// Access is on with all four settings.
    ///
    /// An SCP counts when its `Type` is `SERVICE_CONTROL_POLICY`, it is
    /// attached (to a root, OU or account), and a `Deny` statement covers the
    /// action (wildcards such as `s3:Put*` count, and so does a `NotAction`
    /// that does not exclude it). A condition that only exempts named admin or
    /// break-glass principals (`ArnNotLike aws:PrincipalArn`) still counts;
    /// any other condition does not.
    ///
    /// ### Why
    /// A public bucket is the most common way PHI leaks from AWS. Block Public
    /// Access stops it only while nobody can turn it off.
    ///
    /// ### Sources
    /// - Live: SCP documents and their targets; `s3control:GetPublicAccessBlock` for each account.
    /// - Terraform: `aws_organizations_policy` with `aws_organizations_policy_attachment`.
    /// - CloudFormation: `AWS::Organizations::Policy` (`Content`, `TargetIds`). CloudFormation
    ///   has no resource for account-level Block Public Access, so only the SCP part is judged.
    ///
    /// When no attached SCP denies the actions, the rule fails only with
    /// `--complete` (the policy may live elsewhere in the baseline).
    ///
    /// Live, the rule is judged for each audited account: the SCPs that count
    /// are those in effect for it (attached to the root, to an OU on the
    /// account's path, or to the account), and the account's own Block Public
    /// Access must have all four settings on. The management account is never
    /// bound by SCPs: its finding is a failure of severity `info` saying so
    /// (information, not a pass), unless its Block Public Access fails, which
    /// is a failure at the rule's severity.
    ///
    /// ### Weak guardrails
    /// Where the actions are not all denied, an attached SCP whose statements
    /// name them but that does not count fails on its own, whether or not the
    /// estate is complete, saying why: an `Allow` (it stops nothing), a `Deny`
    /// narrowed by a condition (a principal tag, one region, ...) or to some
    /// resources, or a `Deny` of only some of the actions.
    pub static RULE = {
        id: "SCP-1",
        control: Guardrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [OrgPolicies, Organization, Accounts, AccountPublicAccessBlock],
        scope: Estate,
        title: "An SCP denies changes to S3 Block Public Access",
        remediation: "Attach an SCP that denies s3:PutBucketPublicAccessBlock and s3:PutAccountPublicAccessBlock, and turn on all four account-level Block Public Access settings.",
        check: check,
    }
}

const ACTIONS: &[&str] = &[
    "s3:PutBucketPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
];

/// The account's own Block Public Access, all four settings on.
fn account_bpa(_cx: &Cx, a: &OrgAccount) -> Verdict {
    match &a.public_access_block {
        Val::Known(Some(b)) if b.all_on() => {
            Verdict::Pass("account-level Block Public Access is on with all four settings".into())
        }
        Val::Known(Some(b)) => {
            let off: Vec<&str> = [
                (b.block_public_acls, "BlockPublicAcls"),
                (b.ignore_public_acls, "IgnorePublicAcls"),
                (b.block_public_policy, "BlockPublicPolicy"),
                (b.restrict_public_buckets, "RestrictPublicBuckets"),
            ]
            .iter()
            .filter(|(on, _)| !on)
            .map(|(_, n)| *n)
            .collect();
            Verdict::Fail(format!(
                "account-level Block Public Access has {} off",
                off.join(", ")
            ))
        }
        Val::Known(None) => {
            Verdict::Fail("the account has no account-level Block Public Access".into())
        }
        Val::Unknown(r) => Verdict::Unknown(format!(
            "the account's Block Public Access cannot be read: {r}"
        )),
    }
}

fn check(cx: &mut Cx) {
    if !cx.inv.org_accounts.is_empty() {
        judge_denied_with(
            cx,
            "changing S3 Block Public Access",
            ACTIONS,
            Some(&account_bpa),
        );
        return;
    }
    let before = cx.findings.len();
    judge_denied(cx, "changing S3 Block Public Access", ACTIONS);
    // The other half of the rule, account-level Block Public Access, is not
    // in the model from code: a covered SCP is not enough to pass.
    for f in &mut cx.findings[before..] {
        if f.outcome == crate::Outcome::Pass {
            f.outcome = crate::Outcome::Unknown;
            f.message = format!(
                "{}; account-level Block Public Access cannot be read from CloudFormation (the live audit checks it)",
                f.message
            );
        }
    }
}
