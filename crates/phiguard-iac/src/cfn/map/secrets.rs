//! `AWS::SecretsManager::Secret`, joined with `AWS::SecretsManager::RotationSchedule`.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::secrets::{Rotations, by_name};
use phiguard_model::{Link, Secret, Val, schedule};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::SecretsManager::Secret"],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    m.inv.secrets.push(Secret {
        rid: r.rid,
        name: match p.get("Name").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => Val::unknown("the secret name is generated at deploy time"),
            Val::Unknown(why) => Val::Unknown(why),
        },
        // Without KmsKeyId, Secrets Manager uses the AWS-managed aws/secretsmanager key.
        key: super::rds::key(p.get("KmsKeyId"), "aws/secretsmanager"),
        // No RotationSchedule means no rotation; the join below turns it on.
        rotation_enabled: Val::Known(false),
        rotation_days: Val::Known(None),
        last_rotated: Val::unknown("the last rotation is known only in the live account"),
        // No AWS::SecretsManager::ResourcePolicy: none; the join sets it.
        policy: Val::Known(None),
    });
    Ok(())
}

/// The rotation interval a schedule sets, in days.
fn interval(p: P) -> R<Val<Option<u32>>> {
    let rules = p.get("RotationRules");
    if rules.is_absent() {
        return Ok(Val::unknown(
            "the rotation schedule has no RotationRules, so its interval is not known",
        ));
    }
    if let Val::Known(Some(d)) = rules.get("AutomaticallyAfterDays").u32_opt()? {
        return Ok(Val::Known(Some(d)));
    }
    match rules.get("ScheduleExpression").str_opt()? {
        Val::Known(Some(e)) => Ok(match schedule::max_interval_days(&e) {
            Some(d) => Val::Known(Some(d)),
            None => Val::unknown(format!("the rotation schedule {e:?} cannot be read")),
        }),
        Val::Known(None) => match rules.get("AutomaticallyAfterDays").u32_opt()? {
            Val::Unknown(why) => Ok(Val::Unknown(why)),
            _ => Ok(Val::unknown(
                "the rotation rules set neither AutomaticallyAfterDays nor ScheduleExpression",
            )),
        },
        Val::Unknown(why) => Ok(Val::Unknown(why)),
    }
}

fn finish(m: &mut Mapper) {
    let mut rot = Rotations::new(m.inv);
    for r in m.est.of_type("AWS::SecretsManager::RotationSchedule") {
        let p = m.est.props(r);
        let target = match p.get("SecretId").link() {
            Val::Known(Link::Resource(rid)) => {
                phiguard_model::position_by_rid(&m.inv.secrets, rid, |x| x.rid)
            }
            Val::Known(Link::External(name)) => by_name(&m.inv.secrets, &name),
            Val::Unknown(why) => {
                rot.unresolved(format!(
                    "rotation schedule {} names a secret known only at deploy time ({why})",
                    r.logical_id
                ));
                None
            }
        };
        let Some(i) = target else { continue };
        match interval(p) {
            Ok(days) => rot.rotate(m.inv, i, Val::Known(true), days),
            Err(e) => m.error(r, e),
        }
    }
    rot.finish(m.inv);
}
