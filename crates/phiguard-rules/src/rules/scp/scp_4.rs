use crate::util::scp::judge_denied;
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// An attached service control policy denies scheduling the deletion of or disabling KMS keys
    /// (`kms:ScheduleKeyDeletion`, `kms:DisableKey`).
    ///
    /// An SCP counts when its `Type` is `SERVICE_CONTROL_POLICY`, it is
    /// attached (to a root, OU or account), and a `Deny` statement covers
    /// each action (wildcards such as `kms:*` count, and so does a
    /// `NotAction` that does not exclude it). A condition that only exempts
    /// named admin or break-glass principals (`ArnNotLike aws:PrincipalArn`)
    /// still counts; any other condition does not.
    ///
    /// ### Why
    /// Deleting or disabling the key that encrypts PHI destroys the data or takes it offline: a ransom or sabotage path that SCPs can close.
    ///
    /// ### Sources
    /// - Live: SCP documents and their targets (`organizations:ListPolicies`, `ListTargetsForPolicy`).
    /// - Terraform: `aws_organizations_policy` with `aws_organizations_policy_attachment`.
    /// - CloudFormation: `AWS::Organizations::Policy` (`Content`, `TargetIds`).
    ///
    /// When no attached SCP denies the actions, the rule fails only with
    /// `--complete` (the policy may live elsewhere in the baseline).
    ///
    /// Live, the rule is judged for each audited account of the organization:
    /// the SCPs that count are those in effect for it, attached to the root,
    /// to an OU on the account's path, or to the account itself. The
    /// management account is never bound by SCPs: its finding is a failure of
    /// severity `info` saying so (information, not a pass). An account whose
    /// place in the organization is unknown is `unknown`.
    ///
    /// ### Weak guardrails
    /// Where the actions are not all denied, an attached SCP whose statements
    /// name them but that does not count fails on its own, whether or not the
    /// estate is complete, saying why: an `Allow` (it stops nothing), a `Deny`
    /// narrowed by a condition (a principal tag, one region, ...) or to some
    /// resources, or a `Deny` of only some of the actions.
    pub static RULE = {
        id: "SCP-4",
        control: Guardrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [OrgPolicies, Organization, Accounts],
        scope: Estate,
        title: "An SCP denies deleting or disabling KMS keys",
        remediation: "Attach an SCP that denies kms:ScheduleKeyDeletion and kms:DisableKey.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    judge_denied(
        cx,
        "scheduling the deletion of or disabling KMS keys",
        &["kms:ScheduleKeyDeletion", "kms:DisableKey"],
    );
}
