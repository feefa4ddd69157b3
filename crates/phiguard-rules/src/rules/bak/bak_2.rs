use crate::{Cx, declare_rule};
use phiguard_model::{BackupPlan, Inventory, Link, Val, any3};

declare_rule! {
    /// ### What it checks
    /// Every rule of every backup plan copies its recovery points to a
    /// backup vault in another region (`CopyActions[].DestinationBackupVaultArn`).
    /// A copy to a vault in another account as well is better, and is noted.
    ///
    /// ### Why
    /// A regional outage, or an attacker holding the account, can take the
    /// source vault with the data. HIPAA's disaster recovery plan needs copies
    /// that survive the loss of a region.
    ///
    /// ### Sources
    /// - Live: `backup:GetBackupPlan` (`Rules[].CopyActions[].DestinationBackupVaultArn`).
    /// - Terraform: `aws_backup_plan` `rule.copy_action.destination_vault_arn`.
    /// - CloudFormation: `AWS::Backup::BackupPlan`
    ///   `BackupPlan.BackupPlanRule[].CopyActions[].DestinationBackupVaultArn`.
    ///
    /// The plan's region is its template's (`Metadata.Phiguard.Region`). A
    /// vault of the same template, or an ARN built with `${AWS::Region}`, is in
    /// the same region; a literal ARN is compared with the template's region,
    /// unknown when that is not declared.
    pub static RULE = {
        id: "BAK-2",
        control: DisasterRecovery,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Backup],
        scope: Resource,
        title: "Backup rules copy recovery points to another region",
        remediation: "Add a CopyActions entry to each backup rule with DestinationBackupVaultArn naming a vault in another region (ideally in another account).",
        check: check,
    }
}

/// Whether one destination is in another region, and whether it is in another account.
fn destination(inv: &Inventory, plan: &BackupPlan, dest: &Val<Link>) -> (Val<bool>, bool) {
    let unit = inv.unit(plan.rid);
    let region = unit
        .map(|u| u.region.clone())
        .unwrap_or(Val::unknown("no unit"));
    let account = unit
        .map(|u| u.account.clone())
        .unwrap_or(Val::unknown("no unit"));
    match dest {
        Val::Unknown(r) => (Val::Unknown(r.clone()), false),
        Val::Known(Link::Resource(v)) => {
            let vm = inv.meta(*v);
            if vm.unit == inv.meta(plan.rid).unit {
                return (Val::Known(false), false);
            }
            let other_account =
                matches!((&vm.account, &account), (Val::Known(a), Val::Known(b)) if a != b);
            let v = match (&vm.region, &region) {
                (Val::Known(a), Val::Known(b)) => Val::Known(a != b),
                (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r.clone()),
            };
            (v, other_account)
        }
        Val::Known(Link::External(arn)) => {
            let parts = crate::util::backup::split_arn(arn);
            if parts.len() < 6 || parts[0] != "arn" {
                return (
                    Val::unknown(format!("the copy destination {arn} is not a vault ARN")),
                    false,
                );
            }
            let (r, a) = (parts[3], parts[4]);
            let other_account = !a.contains("${") && matches!(&account, Val::Known(b) if a != b);
            let v = if r.contains("${AWS::Region}") {
                Val::Known(false)
            } else if r.contains("${") {
                Val::unknown(format!(
                    "the copy destination's region ({r}) is known only at deploy time"
                ))
            } else {
                match &region {
                    Val::Known(pr) => Val::Known(r != pr),
                    Val::Unknown(why) => Val::unknown(format!(
                        "the copy destination is in {r}, and the plan's own region is not known: {why}"
                    )),
                }
            };
            (v, other_account)
        }
    }
}

fn check(cx: &mut Cx) {
    for plan in &cx.inv.backup_plans {
        let rules = match &plan.rules {
            Val::Known(r) => r,
            Val::Unknown(r) => {
                cx.unknown(plan.rid, r.clone());
                continue;
            }
        };
        if rules.is_empty() {
            continue;
        }
        let mut bad = Vec::new();
        let mut unknown = None;
        let mut cross_account = true;
        for rule in rules {
            if rule.copy_to.is_empty() {
                bad.push(format!("rule {} has no copy action", rule.name));
                continue;
            }
            let results: Vec<_> = rule
                .copy_to
                .iter()
                .map(|d| destination(cx.inv, plan, d))
                .collect();
            let ok = any3(results.iter().map(|(v, _)| v.clone()));
            match ok {
                Val::Known(true) => {
                    cross_account &= results.iter().any(|(v, a)| v.is_true() && *a);
                }
                Val::Known(false) => bad.push(format!(
                    "rule {} copies only within the plan's region",
                    rule.name
                )),
                Val::Unknown(r) => {
                    unknown.get_or_insert(r);
                }
            }
        }
        if !bad.is_empty() {
            cx.fail(plan.rid, bad.join("; "));
        } else if let Some(r) = unknown {
            cx.unknown(plan.rid, r);
        } else if cross_account {
            cx.pass(
                plan.rid,
                "every rule copies its recovery points to a vault in another region and another account",
            );
        } else {
            cx.pass(
                plan.rid,
                "every rule copies its recovery points to a vault in another region (another account as well would be better)",
            );
        }
    }
}
