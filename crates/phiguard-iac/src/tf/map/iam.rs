//! `aws_iam_user`, `aws_iam_access_key`, `aws_iam_role` (with its
//! `managed_policy_arns` and `inline_policy`, joined with the
//! `aws_iam_role_policy` and `aws_iam_role_policy_attachment` that name it,
//! and the documents of the plan's `aws_iam_policy`) and
//! `aws_ssoadmin_permission_set`.
//!
//! A join resource joins the role (or user) its expression references, or
//! else the one whose known name or ARN it writes. A policy attached to a
//! role known only after apply may be any role's: every role's policies are
//! then unknown.

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::iam::{PolicySpelling, policy_by_arn, policy_resource, unknown_policy};
use phiguard_model::{
    AccessKey, AttachedPolicy, IamRole, IamUser, Link, PermissionSet, PolicyDoc, Rid, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_iam_user",
        "aws_iam_access_key",
        "aws_iam_role",
        "aws_ssoadmin_permission_set",
    ],
    map,
    finish,
};

/// A `name` attribute: known, or generated at apply time (no name, or `name_prefix`).
fn name_of(p: P, rid: Rid, what: &str) -> R<Val<String>> {
    Ok(match p.get("name").str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown(format!("the {what} name is generated at apply time")),
        Val::Unknown(_) if !omitted(p.get("name_prefix"), rid, "name_prefix") => Val::unknown(
            format!("the {what} name is generated from name_prefix at apply time"),
        ),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

const POLICY: PolicySpelling = PolicySpelling {
    kind: "aws_iam_policy",
    name: "name",
    document: "policy",
    scope: "plan",
};

/// The managed policy `attr` of `p` names: an `aws_iam_policy` of the plan
/// (by reference, then by name in its ARN), an AWS-managed policy, or a
/// customer-managed policy outside the plan.
fn managed(m: &Mapper, p: P, rid: Rid, attr: &str) -> R<AttachedPolicy> {
    let link = link_to(p, attr, rid, &["aws_iam_policy"]);
    let text = match link {
        Val::Known(Link::Resource(t)) => {
            if let Some(r) = m.est.get(t) {
                return policy_resource(m.est, r, &POLICY);
            }
            return Ok(unknown_policy(format!("{attr} is known only after apply")));
        }
        Val::Known(Link::External(s)) => s,
        Val::Unknown(why) => return Ok(unknown_policy(why)),
    };
    policy_by_arn(m.est, text, &POLICY)
}

fn role(m: &Mapper, p: P, rid: Rid) -> R<IamRole> {
    let mut policies = Vec::new();
    // managed_policy_arns and inline_policy are computed when left out: the
    // role then has only what the attachment resources add.
    if !omitted(p.get("managed_policy_arns"), rid, "managed_policy_arns") {
        match p.get("managed_policy_arns").list()? {
            Val::Known(items) => {
                for i in items {
                    let a = match i.link() {
                        Val::Known(Link::Resource(t)) if m.est.kind(t) == "aws_iam_policy" => {
                            let r = m.est.get(t).expect("a resource of the plan");
                            AttachedPolicy {
                                name: Val::Known(r.logical_id.clone()),
                                document: Some(m.est.props(r).get("policy").policy()?),
                                aws_managed: false,
                            }
                        }
                        Val::Known(Link::External(s)) => policy_by_arn(m.est, s, &POLICY)?,
                        Val::Known(Link::Resource(_)) => {
                            unknown_policy("a managed policy ARN is known only after apply".into())
                        }
                        Val::Unknown(why) => unknown_policy(why),
                    };
                    policies.push(a);
                }
            }
            Val::Unknown(why) => policies.push(unknown_policy(why)),
        }
    }
    if !omitted(p.get("inline_policy"), rid, "inline_policy") {
        match p.get("inline_policy").list()? {
            Val::Known(items) => {
                for i in items {
                    // The provider writes an empty block for "no inline policies".
                    if i.get("name").text().is_none() && i.get("policy").text().is_none() {
                        continue;
                    }
                    policies.push(AttachedPolicy {
                        name: match i.get("name").text() {
                            Some(n) => Val::Known(n),
                            None => Val::unknown("the policy name is known only after apply"),
                        },
                        document: Some(i.get("policy").policy()?),
                        aws_managed: false,
                    });
                }
            }
            Val::Unknown(why) => policies.push(unknown_policy(why)),
        }
    }
    let trust = p.get("assume_role_policy");
    if trust.is_absent() {
        return trust.error("assume_role_policy is required");
    }
    Ok(IamRole {
        rid,
        name: name_of(p, rid, "role")?,
        trust: trust.policy()?,
        // max_session_duration defaults to 3600 seconds.
        max_session_secs: if omitted(p.get("max_session_duration"), rid, "max_session_duration") {
            Val::Known(3600)
        } else {
            p.get("max_session_duration")
                .u32_opt()?
                .map(|o| o.unwrap_or(3600))
        },
        policies: Val::Known(policies),
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "aws_iam_user" => {
            let user = IamUser {
                rid: r.rid,
                name: name_of(p, r.rid, "user")?,
                console_password: Val::Known(m.est.of_type("aws_iam_user_login_profile").any(
                    |lp| {
                        matches!(link_to(m.est.props(lp), "user", lp.rid, &["aws_iam_user"]),
                            Val::Known(Link::Resource(u)) if u == r.rid)
                            || matches!((m.est.props(lp).get("user").text(), p.get("name").text()),
                                (Some(a), Some(b)) if a == b)
                    },
                )),
                mfa: Val::unknown("MFA devices are not told by the plan"),
            };
            m.inv.iam_users.push(user);
        }
        "aws_iam_access_key" => {
            let un = p.get("user");
            if un.is_absent() {
                return un.error("user is required");
            }
            // status defaults to Active.
            let active = if omitted(p.get("status"), r.rid, "status") {
                Val::Known(true)
            } else {
                p.get("status").str_or("Active")?.map(|s| s == "Active")
            };
            m.inv.access_keys.push(AccessKey {
                rid: r.rid,
                user: link_to(p, "user", r.rid, &["aws_iam_user"]),
                active,
            });
        }
        "aws_iam_role" => {
            let role = role(m, p, r.rid)?;
            m.inv.iam_roles.push(role);
        }
        _ => {
            let sd = p.get("session_duration");
            // session_duration defaults to one hour (PT1H).
            let session = if omitted(sd, r.rid, "session_duration") {
                Val::Known("PT1H".to_string())
            } else {
                sd.str_or("PT1H")?
            };
            let session_secs = crate::joins::iam::session_secs(sd, session)?;
            m.inv.permission_sets.push(PermissionSet {
                rid: r.rid,
                name: name_of(p, r.rid, "permission set")?,
                session_secs,
            });
        }
    }
    Ok(())
}

/// The role of the plan a link names: by resource, then by known name or ARN.
fn role_index(m: &Mapper, link: &Val<Link>) -> Option<usize> {
    crate::joins::iam::role_index(&m.inv.iam_roles, link)
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let mut unresolved: Option<String> = None;
    for ty in ["aws_iam_role_policy", "aws_iam_role_policy_attachment"] {
        for r in est.of_type(ty) {
            let p = est.props(r);
            let target = link_to(p, "role", r.rid, &["aws_iam_role"]);
            if let Val::Unknown(why) = &target {
                unresolved.get_or_insert(format!(
                    "{} is attached to a role known only after apply ({why})",
                    r.logical_id
                ));
                continue;
            }
            if role_index(m, &target).is_none() {
                continue;
            }
            let attached = if ty == "aws_iam_role_policy" {
                let doc: Val<PolicyDoc> = match p.get("policy").policy() {
                    Ok(d) => d,
                    Err(e) => {
                        m.error(r, e);
                        continue;
                    }
                };
                AttachedPolicy {
                    name: Val::Known(p.get("name").text().unwrap_or_else(|| r.logical_id.clone())),
                    document: Some(doc),
                    aws_managed: false,
                }
            } else {
                match managed(m, p, r.rid, "policy_arn") {
                    Ok(a) => a,
                    Err(e) => {
                        m.error(r, e);
                        continue;
                    }
                }
            };
            crate::joins::iam::attach(&mut m.inv.iam_roles, &target, attached, true);
        }
    }
    crate::joins::iam::any_role(&mut m.inv.iam_roles, unresolved);
}
