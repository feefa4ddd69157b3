//! IAM joins: the managed policy an ARN names (AWS-managed, one of the
//! estate's customer-managed policies by the name in its ARN, or one outside
//! the estate), and a policy resource's name and document.

use crate::cfn::estate::{Estate, EvalRes};
use crate::cfn::props::R;
use phiguard_model::{AttachedPolicy, Val};

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
