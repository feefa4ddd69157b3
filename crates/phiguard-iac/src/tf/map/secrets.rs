//! `aws_secretsmanager_secret`, joined with `aws_secretsmanager_secret_rotation`.
//!
//! A rotation joins the secret its `secret_id` expression references, or
//! else the secret whose known name or ARN it writes. A rotation for another
//! secret does not count; one whose `secret_id` is known only after apply
//! (and references no secret of the plan) makes the secrets without their
//! own rotation unknown.

use super::{block, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::secrets::{Rotations, by_name};
use phiguard_model::{KeyRef, Link, Secret, Val, schedule};

pub static DOMAIN: Domain = Domain {
    types: &["aws_secretsmanager_secret"],
    map,
    finish,
};

const ROTATION: &str = "aws_secretsmanager_secret_rotation";

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let name = match p.get("name").str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown("the secret name is generated at apply time"),
        Val::Unknown(_) if !omitted(p.get("name_prefix"), r.rid, "name_prefix") => {
            Val::unknown("the secret name is generated from name_prefix at apply time")
        }
        Val::Unknown(why) => Val::Unknown(why),
    };
    // Without kms_key_id, Secrets Manager uses the AWS-managed aws/secretsmanager key.
    let key = if omitted(p.get("kms_key_id"), r.rid, "kms_key_id") {
        Val::Known(KeyRef::AwsManaged("aws/secretsmanager".into()))
    } else {
        p.get("kms_key_id").key_ref("aws/secretsmanager")
    };
    m.inv.secrets.push(Secret {
        rid: r.rid,
        name,
        key,
        // No aws_secretsmanager_secret_rotation: no rotation; the join turns it on.
        rotation_enabled: Val::Known(false),
        rotation_days: Val::Known(None),
        last_rotated: Val::unknown("the last rotation is known only in the live account"),
        policy: super::resource_policies::inline_secret_policy(p, r.rid)?,
    });
    Ok(())
}

/// The rotation interval `rotation_rules` sets, in days. The provider writes
/// an unset `automatically_after_days` as 0.
fn interval(p: P) -> R<Val<Option<u32>>> {
    let rules = match block(p, "rotation_rules")? {
        Val::Known(Some(b)) => b,
        Val::Known(None) => {
            return Ok(Val::unknown(
                "the rotation has no rotation_rules, so its interval is not known",
            ));
        }
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    };
    let days = rules.get("automatically_after_days").u32_opt()?;
    if let Val::Known(Some(d)) = days {
        if d > 0 {
            return Ok(Val::Known(Some(d)));
        }
    }
    match rules.get("schedule_expression").str_opt()? {
        Val::Known(Some(e)) => Ok(match schedule::max_interval_days(&e) {
            Some(d) => Val::Known(Some(d)),
            None => Val::unknown(format!("the rotation schedule {e:?} cannot be read")),
        }),
        Val::Known(None) => match days {
            Val::Unknown(why) => Ok(Val::Unknown(why)),
            _ => Ok(Val::unknown(
                "the rotation rules set neither automatically_after_days nor schedule_expression",
            )),
        },
        Val::Unknown(why) => Ok(Val::Unknown(why)),
    }
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let mut rot = Rotations::new(m.inv);
    for r in est.of_type(ROTATION) {
        let p = est.props(r);
        let target = match link_to(p, "secret_id", r.rid, &["aws_secretsmanager_secret"]) {
            Val::Known(Link::Resource(rid)) => {
                phiguard_model::position_by_rid(&m.inv.secrets, rid, |x| x.rid)
            }
            // A known ARN (a state) first, then the name.
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
                rot.unresolved(format!(
                    "{} names a secret known only after apply ({why})",
                    r.logical_id
                ));
                None
            }
        };
        let Some(i) = target else { continue };
        // rotation_enabled is computed by the provider; a rotation resource
        // turns rotation on.
        let enabled = match p.get("rotation_enabled").v {
            Some(crate::cfn::value::Value::Bool(false)) => Val::Known(false),
            _ => Val::Known(true),
        };
        match interval(p) {
            Ok(days) => rot.rotate(m.inv, i, enabled, days),
            Err(e) => m.error(r, e),
        }
    }
    rot.finish(m.inv);
}
