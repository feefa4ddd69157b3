//! `aws_organizations_policy`, with the targets of the
//! `aws_organizations_policy_attachment`s that name it.
//!
//! An attachment joins the policy its `policy_id` references, or else the
//! policy of the same plan or state whose known id it writes. An attachment
//! whose policy is known only after apply may be any policy's whose id is
//! not known: their targets are unknown unless they are attached otherwise.

use super::link_to;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::R;
use phiguard_model::{Link, OrgPolicy, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_organizations_policy"],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // `type` defaults to SERVICE_CONTROL_POLICY.
    let policy_type = p.get("type").str_or("SERVICE_CONTROL_POLICY")?;
    // SCPs and RCPs hold IAM policy documents; tag, backup and other
    // policies have their own syntax, which no rule reads.
    let document = match &policy_type {
        Val::Known(t) if t.ends_with("_CONTROL_POLICY") => {
            if p.get("content").is_absent() {
                return p.get("content").error("content is required");
            }
            p.get("content").policy()?
        }
        Val::Known(t) => Val::unknown(format!("a {t} is not an IAM policy document")),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    };
    m.inv.org_policies.push(OrgPolicy {
        rid: r.rid,
        name: match p.get("name").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => return p.get("name").error("name is required"),
            Val::Unknown(r) => Val::Unknown(r),
        },
        policy_type,
        document,
        // Attached to nothing until an attachment names it (see `finish`).
        targets: Val::Known(vec![]),
    });
    Ok(())
}

/// The target an attachment writes: its known value, or the resource of the
/// plan its expression references (`${aws_organizations_organizational_unit.prod}`):
/// what matters is that the policy is attached.
fn target(m: &Mapper, r: &EvalRes) -> Val<String> {
    let p = m.est.props(r);
    if let Some(to) = m.est.refs(r.rid, "target_id").first() {
        return Val::Known(format!("${{{}}}", m.est.name(*to)));
    }
    match p.get("target_id").text() {
        Some(t) => Val::Known(t),
        None => Val::unknown(format!(
            "the target of {} is known only after apply",
            r.logical_id
        )),
    }
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let unit_of = |rid| est.get(rid).map(|r| r.unit);
    let known_id = |rid| est.get(rid).and_then(|x| est.props(x).get("id").text());
    // Per policy: the targets known, and why others may exist.
    let n = m.inv.org_policies.len();
    let mut known: Vec<Vec<String>> = vec![vec![]; n];
    let mut maybe: Vec<Option<String>> = vec![None; n];
    for r in est.of_type("aws_organizations_policy_attachment") {
        let p = est.props(r);
        let same_unit = |i: &usize| unit_of(m.inv.org_policies[*i].rid) == Some(r.unit);
        let (targets, certain): (Vec<usize>, bool) =
            match link_to(p, "policy_id", r.rid, &["aws_organizations_policy"]) {
                Val::Known(Link::Resource(rid)) => (
                    m.inv
                        .org_policies
                        .iter()
                        .position(|x| x.rid == rid)
                        .into_iter()
                        .collect(),
                    true,
                ),
                Val::Known(Link::External(id)) => {
                    let by_id: Vec<usize> = (0..n)
                        .filter(same_unit)
                        .filter(|i| known_id(m.inv.org_policies[*i].rid).is_some_and(|x| x == id))
                        .collect();
                    if by_id.is_empty() {
                        let unknown_ids: Vec<usize> = (0..n)
                            .filter(same_unit)
                            .filter(|i| known_id(m.inv.org_policies[*i].rid).is_none())
                            .collect();
                        (unknown_ids, false)
                    } else {
                        (by_id, true)
                    }
                }
                // An attachment of a policy known only after apply.
                Val::Unknown(_) => ((0..n).filter(same_unit).collect(), false),
            };
        let t = target(m, r);
        for i in targets {
            match (&t, certain) {
                (Val::Known(t), true) => known[i].push(t.clone()),
                (Val::Unknown(why), true) => {
                    maybe[i].get_or_insert(why.clone());
                }
                (_, false) => {
                    maybe[i].get_or_insert(format!(
                        "{} attaches a policy known only after apply, which may be this one",
                        r.logical_id
                    ));
                }
            }
        }
    }
    for (i, (k, w)) in known.into_iter().zip(maybe).enumerate() {
        let pol = &mut m.inv.org_policies[i];
        if unit_of(pol.rid).is_none() {
            continue;
        }
        pol.targets = match w {
            Some(why) if k.is_empty() => Val::Unknown(why),
            _ => Val::Known(k),
        };
    }
}
