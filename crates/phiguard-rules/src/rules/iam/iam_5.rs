use crate::util::iam::{lets_humans_assume, requires_mfa};
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every IAM role has a `MaxSessionDuration` of at most
    /// `limits.max_session_hours` (default 12 hours), and every role that
    /// humans can assume outside IAM Identity Center requires MFA to do so.
    ///
    /// A role is assumable by humans outside SSO when an `Allow` of its trust
    /// policy covering `sts:AssumeRole` names `"*"`, an account (its root ARN,
    /// a bare account id, `${AWS::AccountId}`), or an IAM user: any IAM user
    /// of that account with the permission, or that user, can then assume it
    /// with long-lived credentials. Such a statement must carry a condition
    /// `Bool` `aws:MultiFactorAuthPresent: "true"` or `NumericLessThan`
    /// `aws:MultiFactorAuthAge`. `BoolIfExists` (and `NumericLessThanIfExists`)
    /// do not count: a request signed with a long-term access key carries no
    /// MFA key at all, `IfExists` then matches, and the key holder is let in
    /// without MFA.
    ///
    /// Not human access outside SSO, and so not required to carry MFA:
    /// service principals (`ec2.amazonaws.com`, ...), which are workloads;
    /// roles that trust only other roles, since a role session is already the
    /// result of an authentication that was judged where it happened (the
    /// Identity Center permission set roles among them); and SAML or OIDC
    /// federated principals (`sts:AssumeRoleWithSAML`/`WithWebIdentity`),
    /// where the identity provider, not IAM, enforces MFA.
    ///
    /// A trusted principal that cannot be classified (a parameter, a name
    /// known only at deploy time) makes the role unknown unless the statement
    /// requires MFA anyway.
    ///
    /// ### Why
    /// A role that a long-lived IAM credential can assume without MFA turns a
    /// leaked access key into PHI access; long sessions keep stolen role
    /// credentials alive.
    ///
    /// ### Sources
    /// - Live: `iam:ListRoles` (`AssumeRolePolicyDocument`, `MaxSessionDuration`).
    /// - Terraform: `aws_iam_role.assume_role_policy`, `max_session_duration` (default 3600).
    /// - CloudFormation: `AWS::IAM::Role.AssumeRolePolicyDocument`,
    ///   `MaxSessionDuration` (default 3600 seconds).
    pub static RULE = {
        id: "IAM-5",
        control: AccessKeys,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [IamRoles],
        scope: Resource,
        title: "Roles humans assume outside SSO require MFA, and role sessions last at most 12 hours",
        remediation: "Add Condition Bool aws:MultiFactorAuthPresent \"true\" to trust statements for users and accounts, and set MaxSessionDuration to 43200 seconds or less.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let max_h = cx.cfg.limits.max_session_hours;
    for role in &cx.inv.iam_roles {
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        match role.max_session_secs {
            Val::Known(s) if s > max_h.saturating_mul(3600) => bad.push(format!(
                "MaxSessionDuration is {s} seconds, longer than {max_h} hours"
            )),
            Val::Known(_) => {}
            Val::Unknown(ref r) => unknown.push(r.clone()),
        }
        match &role.trust {
            Val::Known(doc) => {
                for (i, s) in doc.statements.iter().enumerate() {
                    if requires_mfa(s) {
                        continue;
                    }
                    let sid = s.sid.clone().unwrap_or_else(|| format!("#{}", i + 1));
                    match lets_humans_assume(cx.inv, s) {
                        Val::Known(true) => {
                            let if_exists = s.conditions.iter().any(|c| {
                                c.operator.to_ascii_lowercase().ends_with("ifexists")
                                    && c.key
                                        .to_ascii_lowercase()
                                        .starts_with("aws:multifactorauth")
                            });
                            bad.push(format!(
                                "trust statement {sid} lets IAM users or accounts assume the role without MFA{}",
                                if if_exists {
                                    " (an IfExists MFA condition matches requests signed with long-term access keys, which carry no MFA key)"
                                } else {
                                    ""
                                }
                            ))
                        }
                        Val::Known(false) => {}
                        Val::Unknown(r) => unknown.push(r),
                    }
                }
            }
            Val::Unknown(r) => unknown.push(r.clone()),
        }
        if !bad.is_empty() {
            cx.fail(role.rid, bad.join("; "));
        } else if !unknown.is_empty() {
            cx.unknown(role.rid, unknown.join("; "));
        } else {
            cx.pass(
                role.rid,
                format!("sessions last at most {max_h} hours and humans cannot assume the role without MFA"),
            );
        }
    }
}
