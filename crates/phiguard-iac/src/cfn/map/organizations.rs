//! `AWS::Organizations::Policy`: SCPs and other organization policies, with their targets.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use phiguard_model::{OrgPolicy, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::Organizations::Policy"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let policy_type = match p.get("Type").str_opt()? {
        Val::Known(Some(t)) => Val::Known(t),
        Val::Known(None) => return p.get("Type").error("Type is required"),
        Val::Unknown(r) => Val::Unknown(r),
    };
    // SCPs and RCPs hold IAM policy documents; tag, backup and other
    // policies have their own syntax, which no rule reads.
    let document = match &policy_type {
        Val::Known(t) if t.ends_with("_CONTROL_POLICY") => p.get("Content").policy()?,
        Val::Known(t) => Val::unknown(format!("a {t} is not an IAM policy document")),
        Val::Unknown(r) => match p.get("Content").policy() {
            Ok(d) => d,
            Err(_) => Val::Unknown(r.clone()),
        },
    };
    m.inv.org_policies.push(OrgPolicy {
        rid: r.rid,
        name: match p.get("Name").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => Val::unknown("the policy has no Name"),
            Val::Unknown(r) => Val::Unknown(r),
        },
        policy_type,
        // Content: a mapping or a JSON string.
        document,
        // No TargetIds: the policy exists but is attached to nothing.
        targets: targets(p.get("TargetIds"))?,
    });
    Ok(())
}

/// Target ids as written; a root, OU or account of the estate (`!Ref ProdOu`)
/// is rendered as `${ProdOu}`: what matters is that the policy is attached.
fn targets(p: P) -> R<Val<Vec<String>>> {
    let items = match p.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for i in items {
        if i.is_absent() {
            continue;
        }
        match i.text() {
            Some(t) => out.push(t),
            None => {
                return Ok(Val::unknown(i.unknown_reason().unwrap_or_else(|| {
                    "a target id is known only at deploy time".to_string()
                })));
            }
        }
    }
    Ok(Val::Known(out))
}
