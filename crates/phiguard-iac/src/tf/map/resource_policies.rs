//! Secrets Manager resource policies: `aws_secretsmanager_secret.policy`,
//! and `aws_secretsmanager_secret_policy` joined to the secret its
//! `secret_arn` references (or whose known ARN or name it writes).

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::policies::Joined;
use crate::joins::secrets::by_name;
use phiguard_model::{Link, PolicyDoc, Rid, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_secretsmanager_secret_policy"],
    map,
    finish,
};

/// The `policy` a secret sets itself; left out, or empty: none.
pub fn inline_secret_policy(p: P, rid: Rid) -> R<Val<Option<PolicyDoc>>> {
    let v = p.get("policy");
    if omitted(v, rid, "policy") || matches!(v.v, Some(Value::Str(s)) if s.trim().is_empty()) {
        return Ok(Val::Known(None));
    }
    Ok(v.policy()?.map(Some))
}

/// Read in `finish`, once every secret is mapped.
fn map<'a>(_: &mut Mapper<'a>, _: &'a EvalRes) -> R<()> {
    Ok(())
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    // The secrets of this estate (the inventory may hold other sources').
    let mine: Vec<usize> = (0..m.inv.secrets.len())
        .filter(|i| m.est.get(m.inv.secrets[*i].rid).is_some())
        .collect();
    let mut joined = Joined::new(mine.len());
    for r in est.of_type("aws_secretsmanager_secret_policy") {
        let p = est.props(r);
        let target = match link_to(p, "secret_arn", r.rid, &["aws_secretsmanager_secret"]) {
            Val::Known(Link::Resource(rid)) => {
                phiguard_model::position_by_rid(&m.inv.secrets, rid, |x| x.rid)
            }
            Val::Known(Link::External(id)) => m
                .inv
                .secrets
                .iter()
                .position(|s| {
                    est.get(s.rid)
                        .and_then(|r| est.props(r).get("arn").text())
                        .is_some_and(|arn| arn == id)
                })
                .or_else(|| by_name(&m.inv.secrets, &id)),
            Val::Unknown(why) => {
                joined.unresolved(format!(
                    "{} names a secret known only after apply ({why})",
                    r.logical_id
                ));
                None
            }
        };
        let Some(i) = target.and_then(|t| mine.iter().position(|x| *x == t)) else {
            continue;
        };
        match p.get("policy").policy() {
            Ok(doc) => joined.add(i, doc.map(|d| d.statements)),
            Err(e) => m.error(r, e),
        }
    }
    for (i, policy) in mine.into_iter().zip(joined.finish(true)) {
        if policy != Val::Known(None) {
            m.inv.secrets[i].policy = policy;
        }
    }
}
