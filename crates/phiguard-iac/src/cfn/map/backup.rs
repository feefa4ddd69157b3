//! AWS Backup: `AWS::Backup::BackupVault`, `BackupPlan`, `BackupSelection`
//! and `RestoreTestingPlan`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::backup;
use phiguard_model::{
    BackupPlan, BackupRule, BackupSelection, BackupVault, Link, RestoreTestingPlan, Selector, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::Backup::BackupVault",
        "AWS::Backup::BackupPlan",
        "AWS::Backup::BackupSelection",
        "AWS::Backup::RestoreTestingPlan",
    ],
    map,
    finish: no_finish,
};

/// A vault ARN: a vault of the estate, or the ARN as written (with
/// `${AWS::Region}`-style parts kept, so the region can still be read).
fn vault_link(p: P) -> Val<Link> {
    match p.v {
        Some(Value::Expr(s, refs)) if refs.is_empty() => Val::Known(Link::External(s.clone())),
        _ => p.link(),
    }
}

/// A selection entry: a resource of the estate, or an ARN (pattern) as written.
fn selector(p: P) -> Val<Selector> {
    match p.v {
        Some(Value::Ref(rid)) | Some(Value::Att(rid, _)) => Val::Known(Selector::Resource(*rid)),
        Some(Value::Expr(_, refs)) if refs.len() == 1 => Val::Known(Selector::Resource(refs[0])),
        Some(Value::Expr(s, refs)) if refs.is_empty() => Val::Known(Selector::Pattern(s.clone())),
        Some(Value::Str(s)) => Val::Known(Selector::Pattern(s.clone())),
        _ => Val::Unknown(
            p.unknown_reason()
                .unwrap_or_else(|| "a selected resource is known only at deploy time".into()),
        ),
    }
}

fn selectors(p: P) -> R<Val<Vec<Selector>>> {
    let items = match p.list()? {
        Val::Known(i) => i,
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    };
    let mut out = Vec::new();
    for i in items {
        match selector(i) {
            Val::Known(s) => out.push(s),
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
        }
    }
    Ok(Val::Known(out))
}

/// What a `BackupSelection` block selects. `Resources` and `ListOfTags` add up
/// (either matches); `Conditions` narrow the result (all must match). Only the
/// common shape of conditions is modelled: `Resources: ["*"]` narrowed by one
/// `StringEquals` tag condition, which selects exactly the resources with that tag.
fn select(s: P) -> R<Val<Vec<Selector>>> {
    let mut out = match selectors(s.get("Resources"))? {
        Val::Known(v) => v,
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    };
    let tags = match s.get("ListOfTags").list()? {
        Val::Known(t) => t,
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    };
    if let Some(why) = backup::add_tags(tags, &SPELLING, &mut out)? {
        return Ok(Val::Unknown(why));
    }
    let conds = s.get("Conditions");
    if conds.is_absent() {
        return Ok(Val::Known(out));
    }
    backup::narrow(conds, &SPELLING, out)
}

const SPELLING: backup::Spelling = backup::Spelling {
    tag_type: "ConditionType",
    tag_key: "ConditionKey",
    tag_value: "ConditionValue",
    conditions: [
        "StringEquals",
        "StringLike",
        "StringNotEquals",
        "StringNotLike",
    ],
    cond_key: "ConditionKey",
    cond_value: "ConditionValue",
};

fn rules(p: P) -> R<Val<Vec<BackupRule>>> {
    let items = match p.get("BackupPlan").get("BackupPlanRule").list()? {
        Val::Known(i) => i,
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    };
    let mut out = Vec::new();
    for (n, rule) in items.into_iter().enumerate() {
        let copies = match rule.get("CopyActions").list()? {
            Val::Known(c) => c,
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
        };
        out.push(BackupRule {
            name: rule
                .get("RuleName")
                .text()
                .unwrap_or_else(|| format!("rule {}", n + 1)),
            copy_to: copies
                .into_iter()
                .map(|c| vault_link(c.get("DestinationBackupVaultArn")))
                .collect(),
        });
    }
    Ok(Val::Known(out))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "AWS::Backup::BackupVault" => m.inv.backup_vaults.push(BackupVault {
            rid: r.rid,
            name: p.get("BackupVaultName").str_opt()?.and_then(|n| match n {
                Some(n) => Val::Known(n),
                None => Val::unknown("no BackupVaultName is set"),
            }),
            // Without EncryptionKeyArn, AWS Backup uses the AWS-managed aws/backup key.
            key: super::rds::key(p.get("EncryptionKeyArn"), "aws/backup"),
            // A LockConfiguration puts the vault under Vault Lock (governance
            // mode without ChangeableForDays, compliance mode after it).
            locked: p.get("LockConfiguration").presence(),
        }),
        "AWS::Backup::BackupPlan" => m.inv.backup_plans.push(BackupPlan {
            rid: r.rid,
            rules: rules(p)?,
        }),
        "AWS::Backup::BackupSelection" => {
            let s = p.get("BackupSelection");
            m.inv.backup_selections.push(BackupSelection {
                rid: r.rid,
                plan: p.get("BackupPlanId").link(),
                select: select(s)?,
                exclude: selectors(s.get("NotResources"))?,
            })
        }
        _ => m.inv.restore_testing_plans.push(RestoreTestingPlan {
            rid: r.rid,
            schedule: p
                .get("ScheduleExpression")
                .str_opt()?
                .and_then(|s| match s {
                    Some(s) => Val::Known(s),
                    None => Val::unknown("no ScheduleExpression is set"),
                }),
            last_success: Val::unknown("restore jobs are known only in the live account"),
        }),
    }
    Ok(())
}
