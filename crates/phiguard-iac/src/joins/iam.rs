//! IAM joins: the managed policy an ARN names (AWS-managed, one of the
//! estate's customer-managed policies by the name in its ARN, or one outside
//! the estate), and a policy resource's name and document.

use crate::cfn::estate::{Estate, EvalRes};
use crate::cfn::props::{P, R};
use phiguard_model::{AttachedPolicy, IamRole, Link, Val};

/// How a source spells a customer-managed policy.
pub struct PolicySpelling {
    /// Its resource type.
    pub kind: &'static str,
    /// The attribute that names it.
    pub name: &'static str,
    /// The attribute that holds its document.
    pub document: &'static str,
    /// What the estate is called in messages ("estate", "plan").
    pub scope: &'static str,
}

/// The last segment of an ARN path (`arn:aws:iam::1:role/path/name` → `name`),
/// when it is literal.
pub fn arn_name<'s>(arn: &'s str, marker: &str) -> Option<&'s str> {
    let (_, rest) = arn.split_once(marker)?;
    let name = rest.rsplit('/').next()?;
    (!name.is_empty() && !name.contains("${")).then_some(name)
}

/// A customer-managed policy resource of the estate, attached.
pub fn policy_resource(est: &Estate, r: &EvalRes, sp: &PolicySpelling) -> R<AttachedPolicy> {
    Ok(AttachedPolicy {
        name: Val::Known(r.logical_id.clone()),
        document: Some(est.props(r).get(sp.document).policy()?),
        aws_managed: false,
    })
}

/// A policy whose name and document are known only at deploy or apply.
pub fn unknown_policy(why: String) -> AttachedPolicy {
    AttachedPolicy {
        name: Val::Unknown(why.clone()),
        document: Some(Val::Unknown(why)),
        aws_managed: false,
    }
}

/// The managed policy a literal ARN names.
pub fn policy_by_arn(est: &Estate, text: String, sp: &PolicySpelling) -> R<AttachedPolicy> {
    if text.contains(":iam::aws:policy/") {
        return Ok(AttachedPolicy {
            name: Val::Known(text),
            document: None,
            aws_managed: true,
        });
    }
    // A customer-managed policy named by ARN: one of the estate with that name?
    if let Some(name) = arn_name(&text, ":policy/") {
        for r in est.of_type(sp.kind) {
            if est.props(r).get(sp.name).text().as_deref() == Some(name) {
                return policy_resource(est, r, sp);
            }
        }
    }
    Ok(AttachedPolicy {
        document: Some(Val::unknown(format!(
            "policy {text} is not in the {}, so its document cannot be read",
            sp.scope
        ))),
        name: Val::Known(text),
        aws_managed: false,
    })
}

/// The role of the estate a link names: by resource, then by literal name
/// or ARN.
pub fn role_index(roles: &[IamRole], link: &Val<Link>) -> Option<usize> {
    match link {
        Val::Known(Link::Resource(rid)) => phiguard_model::position_by_rid(roles, *rid, |x| x.rid),
        Val::Known(Link::External(s)) => {
            let name = arn_name(s, ":role/").unwrap_or(s);
            roles
                .iter()
                .position(|x| x.name.known().is_some_and(|n| n == name))
        }
        Val::Unknown(_) => None,
    }
}

/// Attaches a policy to the role a link names; a policy already attached
/// under the same known name is not attached twice when `once`.
pub fn attach(roles: &mut [IamRole], target: &Val<Link>, policy: AttachedPolicy, once: bool) {
    let Some(i) = role_index(roles, target) else {
        return;
    };
    if let Val::Known(list) = &mut roles[i].policies {
        if once && policy.name.is_known() && list.iter().any(|a| a.name == policy.name) {
            return;
        }
        list.push(policy);
    }
}

/// A policy attached to a role known only at deploy or apply may be any
/// role's: every role's policies are then unknown, for that reason.
pub fn any_role(roles: &mut [IamRole], unresolved: Option<String>) {
    if let Some(why) = unresolved {
        for role in roles {
            role.policies = Val::Unknown(why.clone());
        }
    }
}

/// IAM Identity Center's session duration (`PT8H`), in seconds.
pub fn session_secs(sd: P, value: Val<String>) -> R<Val<u32>> {
    Ok(match value {
        Val::Known(s) => match crate::cfn::map::iam::iso_duration_secs(&s) {
            Some(n) => Val::Known(n),
            None => {
                return sd.error(format!("{s:?} is not an ISO-8601 duration like PT8H"));
            }
        },
        Val::Unknown(r) => Val::Unknown(r),
    })
}
