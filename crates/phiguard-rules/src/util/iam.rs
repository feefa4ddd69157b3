//! Reading IAM roles: who a trust policy lets in, and what a role's policies allow.

use phiguard_model::{AttachedPolicy, Effect, IamRole, Inventory, Link, PolicyDoc, Statement, Val};

/// What kind of principal an `AWS` principal string names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// An account (its root, or a bare account id: any IAM user or role of
    /// it that is allowed to), an IAM user, or everyone.
    Human,
    /// A role or a role session.
    Role,
    Unknown(String),
}

/// Classifies an `AWS` principal as written (`arn:aws:iam::1:root`,
/// `123456789012`, `${AWS::AccountId}`, `${AdminRole.Arn}`, ...).
pub fn aws_principal(inv: &Inventory, p: &str) -> Who {
    if p == "*" || p == "${AWS::AccountId}" {
        return Who::Human;
    }
    if p.len() == 12 && p.chars().all(|c| c.is_ascii_digit()) {
        return Who::Human;
    }
    if p.ends_with(":root") || p.contains(":user/") || p.contains(":federated-user/") {
        return Who::Human;
    }
    if p.contains(":role/") || p.contains(":assumed-role/") {
        return Who::Role;
    }
    // `${Name}` or `${Name.Arn}`: a resource of the estate.
    if let Some(inner) = p.strip_prefix("${").and_then(|s| s.strip_suffix('}')) {
        let name = inner.split('.').next().unwrap_or(inner);
        if let Some(m) = inv.metas.iter().find(|m| m.name == name) {
            match m.kind.as_str() {
                "AWS::IAM::Role" => return Who::Role,
                "AWS::IAM::User" => return Who::Human,
                _ => {}
            }
        }
    }
    Who::Unknown(format!("the trusted principal {p} cannot be classified"))
}

/// Whether a trust statement requires MFA: `Bool aws:MultiFactorAuthPresent: true`,
/// or `NumericLessThan(Equals) aws:MultiFactorAuthAge`. The `...IfExists`
/// forms do not count: requests made with long-term access keys carry
/// neither key, and `IfExists` then matches, so they would be let in without MFA.
pub fn requires_mfa(s: &Statement) -> bool {
    s.conditions.iter().any(|c| {
        let op = c.operator.to_ascii_lowercase();
        let key = c.key.to_ascii_lowercase();
        (key == "aws:multifactorauthpresent"
            && op == "bool"
            && c.values.iter().any(|v| v.eq_ignore_ascii_case("true")))
            || (key == "aws:multifactorauthage"
                && (op == "numericlessthan" || op == "numericlessthanequals"))
    })
}

/// Whether the statement lets humans (IAM users, account principals,
/// everyone) call `sts:AssumeRole`: true, false, or unknown when a principal
/// cannot be classified.
pub fn lets_humans_assume(inv: &Inventory, s: &Statement) -> Val<bool> {
    if s.effect != Effect::Allow || !s.covers_action("sts:AssumeRole") {
        return Val::Known(false);
    }
    if s.not_principal.is_some() || s.principal_is_wildcard() {
        return Val::Known(true);
    }
    let Some(p) = &s.principal else {
        return Val::Known(false);
    };
    let mut unknown = None;
    for a in &p.aws {
        match aws_principal(inv, a) {
            Who::Human => return Val::Known(true),
            Who::Role => {}
            Who::Unknown(r) => {
                unknown.get_or_insert(r);
            }
        }
    }
    match unknown {
        Some(r) => Val::Unknown(r),
        None => Val::Known(false),
    }
}

/// The role of the estate a link names.
pub fn linked_role<'a>(inv: &'a Inventory, link: &Val<Link>) -> Result<&'a IamRole, String> {
    match link {
        Val::Known(Link::Resource(rid)) => inv
            .role(*rid)
            .ok_or_else(|| format!("{} is not an IAM role of the estate", inv.meta(*rid).name)),
        Val::Known(Link::External(s)) => Err(format!(
            "role {s} is not in the estate, so its policies cannot be read"
        )),
        Val::Unknown(r) => Err(r.clone()),
    }
}

/// Actions that read or write data: what a node role must not be allowed.
pub const DATA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
];

/// The data actions a policy document allows.
pub fn data_actions(doc: &PolicyDoc) -> Vec<&'static str> {
    DATA_ACTIONS
        .iter()
        .copied()
        .filter(|a| {
            doc.statements
                .iter()
                .any(|s| s.effect == Effect::Allow && s.covers_action(a))
        })
        .collect()
}

/// A short name for an attached policy.
pub fn policy_name(p: &AttachedPolicy) -> String {
    match &p.name {
        Val::Known(n) => n.rsplit('/').next().unwrap_or(n).to_string(),
        Val::Unknown(_) => "a policy known only at deploy time".into(),
    }
}
