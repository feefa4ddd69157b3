//! `AWS::IAM::User`, `AWS::IAM::AccessKey`, `AWS::IAM::Role` (joined with the
//! `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy`
//! that name it) and `AWS::SSO::PermissionSet`.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
pub use crate::joins::iam::arn_name;
use crate::joins::iam::{PolicySpelling, policy_by_arn, policy_resource};
use phiguard_model::{
    AccessKey, AttachedPolicy, IamRole, IamUser, Link, PermissionSet, PolicyDoc, Rid, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::IAM::User",
        "AWS::IAM::AccessKey",
        "AWS::IAM::Role",
        "AWS::SSO::PermissionSet",
    ],
    map,
    finish,
};

/// A name property: known, or generated at deploy time when absent.
fn name_of(p: P, what: &str) -> R<Val<String>> {
    Ok(match p.str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown(format!("the {what} name is generated at deploy time")),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

/// ISO-8601 durations as IAM Identity Center takes them (`PT8H`, `PT1H30M`), in seconds.
pub fn iso_duration_secs(s: &str) -> Option<u32> {
    let rest = s.strip_prefix("PT")?;
    let mut total: u64 = 0;
    let mut num = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'H' => 3600,
            'M' => 60,
            'S' => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    if !num.is_empty() || rest.is_empty() {
        return None;
    }
    u32::try_from(total).ok()
}

/// An inline policy (`{PolicyName, PolicyDocument}`).
fn inline(p: P) -> R<AttachedPolicy> {
    Ok(AttachedPolicy {
        name: match p.get("PolicyName").text() {
            Some(n) => Val::Known(n),
            None => Val::unknown("the policy name is known only at deploy time"),
        },
        document: Some(p.get("PolicyDocument").policy()?),
        aws_managed: false,
    })
}

const POLICY: PolicySpelling = PolicySpelling {
    kind: "AWS::IAM::ManagedPolicy",
    name: "ManagedPolicyName",
    document: "PolicyDocument",
    scope: "estate",
};

/// The managed policy an ARN (or a `!Ref` of a managed policy) names.
fn managed(m: &Mapper, p: P) -> R<AttachedPolicy> {
    if let Val::Known(Link::Resource(rid)) = p.link() {
        if m.est.kind(rid) == POLICY.kind {
            if let Some(r) = m.est.get(rid) {
                return policy_resource(m.est, r, &POLICY);
            }
        }
    }
    let Some(text) = p.text() else {
        let reason = p
            .unknown_reason()
            .unwrap_or_else(|| "a managed policy ARN known only at deploy time".into());
        return Ok(crate::joins::iam::unknown_policy(reason));
    };
    policy_by_arn(m.est, text, &POLICY)
}

fn role(m: &Mapper, p: P, rid: Rid) -> R<IamRole> {
    let mut policies = Vec::new();
    match p.get("ManagedPolicyArns").list()? {
        Val::Known(items) => {
            for i in items {
                policies.push(managed(m, i)?);
            }
        }
        Val::Unknown(r) => policies.push(AttachedPolicy {
            name: Val::Unknown(r.clone()),
            document: Some(Val::Unknown(r)),
            aws_managed: false,
        }),
    }
    match p.get("Policies").list()? {
        Val::Known(items) => {
            for i in items {
                policies.push(inline(i)?);
            }
        }
        Val::Unknown(r) => policies.push(AttachedPolicy {
            name: Val::Unknown(r.clone()),
            document: Some(Val::Unknown(r)),
            aws_managed: false,
        }),
    }
    let trust = p.get("AssumeRolePolicyDocument");
    if trust.is_absent() {
        return trust.error("AssumeRolePolicyDocument is required");
    }
    Ok(IamRole {
        rid,
        name: name_of(p.get("RoleName"), "role")?,
        trust: trust.policy()?,
        // MaxSessionDuration defaults to 3600 seconds.
        max_session_secs: p
            .get("MaxSessionDuration")
            .u32_opt()?
            .map(|o| o.unwrap_or(3600)),
        policies: Val::Known(policies),
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "AWS::IAM::User" => {
            let user = IamUser {
                rid: r.rid,
                name: name_of(p.get("UserName"), "user")?,
                console_password: p.get("LoginProfile").presence(),
                mfa: Val::unknown("MFA devices are not declared in CloudFormation"),
            };
            m.inv.iam_users.push(user);
        }
        "AWS::IAM::AccessKey" => {
            let un = p.get("UserName");
            if un.is_absent() {
                return un.error("UserName is required");
            }
            // Status defaults to Active.
            let active = p.get("Status").str_or("Active")?.map(|s| s == "Active");
            m.inv.access_keys.push(AccessKey {
                rid: r.rid,
                user: un.link(),
                active,
            });
        }
        "AWS::IAM::Role" => {
            let role = role(m, p, r.rid)?;
            m.inv.iam_roles.push(role);
        }
        _ => {
            let sd = p.get("SessionDuration");
            // SessionDuration defaults to one hour (PT1H).
            let session_secs = crate::joins::iam::session_secs(sd, sd.str_or("PT1H")?)?;
            m.inv.permission_sets.push(PermissionSet {
                rid: r.rid,
                name: name_of(p.get("Name"), "permission set")?,
                session_secs,
            });
        }
    }
    Ok(())
}

/// The role of the estate a link names: by resource, then by literal name or ARN.
pub fn role_index(m: &Mapper, link: &Val<Link>) -> Option<usize> {
    crate::joins::iam::role_index(&m.inv.iam_roles, link)
}

/// A role link, improved: an ARN whose only deploy-time part is the account
/// (`arn:aws:iam::${AWS::AccountId}:role/name`) names the role of the estate
/// with that name.
pub fn role_link(m: &Mapper, p: P) -> Val<Link> {
    let link = p.link();
    if link.is_known() {
        if let Some(i) = role_index(m, &link) {
            return Val::Known(Link::Resource(m.inv.iam_roles[i].rid));
        }
        return link;
    }
    if let Some(t) = p.text() {
        if let Some(name) = arn_name(&t, ":role/") {
            let l = Val::Known(Link::External(name.to_string()));
            if let Some(i) = role_index(m, &l) {
                return Val::Known(Link::Resource(m.inv.iam_roles[i].rid));
            }
            return Val::Known(Link::External(t));
        }
    }
    link
}

fn finish(m: &mut Mapper) {
    let mut unresolved: Option<String> = None;
    for ty in [
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
    ] {
        let rs: Vec<&EvalRes> = m.est.of_type(ty).collect();
        for r in rs {
            let p = m.est.props(r);
            let doc: Val<PolicyDoc> = match p.get("PolicyDocument").policy() {
                Ok(d) => d,
                Err(e) => {
                    m.error(r, e);
                    continue;
                }
            };
            let targets: Vec<Val<Link>> = if ty == "AWS::IAM::RolePolicy" {
                vec![p.get("RoleName").link()]
            } else {
                match p.get("Roles").list() {
                    Ok(Val::Known(items)) => items.iter().map(|i| i.link()).collect(),
                    Ok(Val::Unknown(why)) => vec![Val::Unknown(why)],
                    Err(e) => {
                        m.error(r, e);
                        continue;
                    }
                }
            };
            let name = if ty == "AWS::IAM::ManagedPolicy" {
                r.logical_id.clone()
            } else {
                p.get("PolicyName")
                    .text()
                    .unwrap_or_else(|| r.logical_id.clone())
            };
            for t in targets {
                if let Val::Unknown(why) = &t {
                    unresolved.get_or_insert(format!(
                        "policy {} is attached to a role known only at deploy time ({why})",
                        r.logical_id
                    ));
                }
                let policy = AttachedPolicy {
                    name: Val::Known(name.clone()),
                    document: Some(doc.clone()),
                    aws_managed: false,
                };
                let once = ty == "AWS::IAM::ManagedPolicy";
                crate::joins::iam::attach(&mut m.inv.iam_roles, &t, policy, once);
            }
        }
    }
    crate::joins::iam::any_role(&mut m.inv.iam_roles, unresolved);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_duration_secs("PT8H"), Some(8 * 3600));
        assert_eq!(iso_duration_secs("PT1H30M"), Some(5400));
        assert_eq!(iso_duration_secs("PT90M"), Some(5400));
        assert_eq!(iso_duration_secs("8H"), None);
        assert_eq!(iso_duration_secs("PT"), None);
        assert_eq!(iso_duration_secs("PT99999999999999999999H"), None);
        assert_eq!(iso_duration_secs("PT9999999999999999H"), None);
    }

    #[test]
    fn arn_names() {
        assert_eq!(arn_name("arn:aws:iam::1:role/a/b", ":role/"), Some("b"));
        assert_eq!(arn_name("arn:aws:iam::1:role/${X}", ":role/"), None);
    }
}
