use crate::util::scp::judge_denied;
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// An attached service control policy denies stopping, deleting or changing CloudTrail trails
    /// (`cloudtrail:StopLogging`, `cloudtrail:DeleteTrail`, `cloudtrail:UpdateTrail`,
    /// `cloudtrail:PutEventSelectors`).
    ///
    /// An SCP counts when its `Type` is `SERVICE_CONTROL_POLICY`, it is
    /// attached (to a root, OU or account), and a `Deny` statement covers
    /// each action (wildcards such as `cloudtrail:*` count, and so does a
    /// `NotAction` that does not exclude it). A condition that only exempts
    /// named admin or break-glass principals (`ArnNotLike aws:PrincipalArn`)
    /// still counts; any other condition does not.
    ///
    /// ### Why
    /// An attacker who can stop the audit trail can act on PHI unseen; the trail must be out of reach of every account it watches.
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
        id: "SCP-2",
        control: Guardrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [OrgPolicies, Organization, Accounts],
        scope: Estate,
        title: "An SCP denies stopping or deleting CloudTrail",
        remediation: "Attach an SCP that denies cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail and cloudtrail:PutEventSelectors.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    judge_denied(
        cx,
        "stopping, deleting or changing CloudTrail trails",
        &[
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
        ],
    );
}
