//! AWS Backup: `aws_backup_vault` (joined with
//! `aws_backup_vault_lock_configuration`), `aws_backup_plan`,
//! `aws_backup_selection` and `aws_backup_restore_testing_plan`.
//!
//! A lock configuration joins the vault its `backup_vault_name` references,
//! or else the vault with that known name; one naming a vault known only
//! after apply makes the vaults without their own lock unknown.

use super::{block, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::backup;
use phiguard_model::{
    BackupPlan, BackupRule, BackupSelection, BackupVault, KeyRef, Link, RestoreTestingPlan, Rid,
    Selector, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_backup_vault",
        "aws_backup_plan",
        "aws_backup_selection",
        "aws_backup_restore_testing_plan",
    ],
    map,
    finish,
};

/// What a list of ARNs (`resources`, `not_resources`) selects: written ARNs
/// and patterns, and the plan's resources the expression references.
fn selectors(p: P, rid: Rid, attr: &str) -> R<Val<Vec<Selector>>> {
    let v = p.get(attr);
    let refs = p.est.refs(rid, attr);
    let mut out: Vec<Selector> = Vec::new();
    let mut unknown = None;
    match v.list()? {
        Val::Known(items) => {
            for i in items {
                match i.v {
                    // A written ARN that a resource of the same plan or
                    // state has (a state records every ARN): that resource.
                    Some(Value::Str(s)) => match arn_owner(p, rid, s) {
                        Some(t) => out.push(Selector::Resource(t)),
                        None => out.push(Selector::Pattern(s.clone())),
                    },
                    Some(Value::Att(t, _)) | Some(Value::Ref(t)) => {
                        out.push(Selector::Resource(*t))
                    }
                    _ => {
                        unknown.get_or_insert(i.unknown_reason().unwrap_or_else(|| {
                            format!("an entry of {attr} is known only after apply")
                        }));
                    }
                }
            }
        }
        Val::Unknown(why) => {
            unknown = Some(why);
        }
    }
    if let Some(why) = unknown {
        // Entries known only after apply: the resources the expression
        // references, when it references any; else what it selects is unknown.
        if refs.is_empty() {
            return Ok(Val::Unknown(why));
        }
        for t in refs {
            if !out.contains(&Selector::Resource(*t)) {
                out.push(Selector::Resource(*t));
            }
        }
    }
    Ok(Val::Known(out))
}

/// The resource of the same plan or state whose known `arn` is `arn`.
fn arn_owner(p: P, rid: Rid, arn: &str) -> Option<Rid> {
    if arn.contains(['*', '?']) {
        return None;
    }
    let unit = p.est.get(rid)?.unit;
    p.est
        .resources
        .iter()
        .filter(|r| r.unit == unit && r.rid != rid)
        .find(|r| p.est.props(r).get("arn").v.and_then(|v| v.as_lit()) == Some(arn))
        .map(|r| r.rid)
}

/// What a selection selects. `resources` and `selection_tag` add up (either
/// matches); `condition` narrows the result (all must match). As for
/// CloudFormation, only `resources = ["*"]` narrowed by one `string_equals`
/// tag condition is evaluated.
fn select(p: P, rid: Rid) -> R<Val<Vec<Selector>>> {
    let mut out = if omitted(p.get("resources"), rid, "resources") {
        vec![]
    } else {
        match selectors(p, rid, "resources")? {
            Val::Known(v) => v,
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
        }
    };
    if !omitted(p.get("selection_tag"), rid, "selection_tag") {
        let tags = match p.get("selection_tag").list()? {
            Val::Known(t) => t,
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
        };
        if let Some(why) = backup::add_tags(tags, &SPELLING, &mut out)? {
            return Ok(Val::Unknown(why));
        }
    }
    if omitted(p.get("condition"), rid, "condition") {
        return Ok(Val::Known(out));
    }
    match block(p, "condition")? {
        Val::Known(Some(c)) => backup::narrow(c, &SPELLING, out),
        Val::Known(None) => Ok(Val::Known(out)),
        Val::Unknown(why) => Ok(Val::Unknown(why)),
    }
}

const SPELLING: backup::Spelling = backup::Spelling {
    tag_type: "type",
    tag_key: "key",
    tag_value: "value",
    conditions: [
        "string_equals",
        "string_like",
        "string_not_equals",
        "string_not_like",
    ],
    cond_key: "key",
    cond_value: "value",
};

fn rules(p: P) -> R<Val<Vec<BackupRule>>> {
    let items = match p.get("rule").list()? {
        Val::Known(i) => i,
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    };
    let mut out = Vec::new();
    for (n, rule) in items.into_iter().enumerate() {
        let copies = match rule.get("copy_action").list()? {
            Val::Known(c) => c,
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
        };
        let mut copy_to = Vec::new();
        for c in copies {
            let d = c.get("destination_vault_arn");
            copy_to.push(match d.v {
                Some(Value::Str(s)) => Val::Known(Link::External(s.clone())),
                Some(Value::Att(t, _)) | Some(Value::Ref(t)) => match p.est.get(*t) {
                    Some(r) if r.ty == "aws_backup_vault" => {
                        match p.est.props(r).get("arn").text() {
                            Some(arn) => Val::Known(Link::External(arn)),
                            None => Val::unknown(format!(
                                "the ARN, and so the region, of copy destination {} is known only after apply",
                                r.logical_id
                            )),
                        }
                    }
                    _ => Val::unknown("destination_vault_arn is known only after apply"),
                },
                _ => Val::Unknown(
                    d.unknown_reason()
                        .unwrap_or_else(|| "destination_vault_arn is not set".into()),
                ),
            });
        }
        out.push(BackupRule {
            name: rule
                .get("rule_name")
                .text()
                .unwrap_or_else(|| format!("rule {}", n + 1)),
            copy_to,
        });
    }
    Ok(Val::Known(out))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "aws_backup_vault" => {
            // Without kms_key_arn, AWS Backup uses the AWS-managed aws/backup key.
            let key = if omitted(p.get("kms_key_arn"), r.rid, "kms_key_arn") {
                Val::Known(KeyRef::AwsManaged("aws/backup".into()))
            } else {
                p.get("kms_key_arn").key_ref("aws/backup")
            };
            m.inv.backup_vaults.push(BackupVault {
                rid: r.rid,
                name: p.get("name").str_opt()?.and_then(|n| match n {
                    Some(n) => Val::Known(n),
                    None => Val::unknown("no vault name is set"),
                }),
                key,
                // No aws_backup_vault_lock_configuration: no Vault Lock; the join turns it on.
                locked: Val::Known(false),
            })
        }
        "aws_backup_plan" => m.inv.backup_plans.push(BackupPlan {
            rid: r.rid,
            rules: rules(p)?,
        }),
        "aws_backup_selection" => {
            let plan = match link_to(p, "plan_id", r.rid, &["aws_backup_plan"]) {
                // A plan id as written (a state): the plan of the plan with that id.
                Val::Known(Link::External(id)) => match m
                    .est
                    .of_type("aws_backup_plan")
                    .find(|b| m.est.props(b).get("id").text().as_deref() == Some(id.as_str()))
                {
                    Some(b) => Val::Known(Link::Resource(b.rid)),
                    None => Val::Known(Link::External(id)),
                },
                other => other,
            };
            let exclude = if omitted(p.get("not_resources"), r.rid, "not_resources") {
                Val::Known(vec![])
            } else {
                selectors(p, r.rid, "not_resources")?
            };
            m.inv.backup_selections.push(BackupSelection {
                rid: r.rid,
                plan,
                select: select(p, r.rid)?,
                exclude,
            })
        }
        _ => m.inv.restore_testing_plans.push(RestoreTestingPlan {
            rid: r.rid,
            schedule: p
                .get("schedule_expression")
                .str_opt()?
                .and_then(|s| match s {
                    Some(s) => Val::Known(s),
                    None => Val::unknown("no schedule_expression is set"),
                }),
            last_success: Val::unknown("restore jobs are known only in the live account"),
        }),
    }
    Ok(())
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let mut unresolved: Option<String> = None;
    let mut locked = vec![false; m.inv.backup_vaults.len()];
    for r in est.of_type("aws_backup_vault_lock_configuration") {
        let p = est.props(r);
        let target = match link_to(p, "backup_vault_name", r.rid, &["aws_backup_vault"]) {
            Val::Known(Link::Resource(rid)) => {
                phiguard_model::position_by_rid(&m.inv.backup_vaults, rid, |x| x.rid)
            }
            Val::Known(Link::External(name)) => m
                .inv
                .backup_vaults
                .iter()
                .position(|v| v.name.known().is_some_and(|n| *n == name)),
            Val::Unknown(why) => {
                unresolved.get_or_insert(format!(
                    "{} locks a vault known only after apply ({why})",
                    r.logical_id
                ));
                None
            }
        };
        if let Some(i) = target {
            locked[i] = true;
            m.inv.backup_vaults[i].locked = Val::Known(true);
        }
    }
    if let Some(why) = unresolved {
        for (v, has) in m.inv.backup_vaults.iter_mut().zip(locked) {
            if !has {
                v.locked = Val::Unknown(why.clone());
            }
        }
    }
}
