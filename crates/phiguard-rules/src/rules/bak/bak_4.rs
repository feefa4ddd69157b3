use crate::{Cx, declare_rule};
use phiguard_model::{Val, schedule};

declare_rule! {
    /// ### What it checks
    /// Restores are tested at least quarterly: an AWS Backup restore testing
    /// plan exists, and each one runs at least every `limits.restore_test_days`
    /// days (default 92). Live, a restore job also succeeded within that time.
    ///
    /// ### Why
    /// A backup that was never restored is a hope, not a control. HIPAA asks
    /// for testing and revision of the contingency plans.
    ///
    /// ### Sources
    /// - Live: `backup:ListRestoreTestingPlans`, `GetRestoreTestingPlan`, `ListRestoreJobs`.
    /// - Terraform: `aws_backup_restore_testing_plan.schedule_expression`.
    /// - CloudFormation: `AWS::Backup::RestoreTestingPlan.ScheduleExpression`.
    ///
    /// `rate(...)` and `cron(...)` schedules are read for their longest gap
    /// between runs (weekly and monthly crons pass; a quarterly cron passes
    /// with the default limit). A schedule that cannot be read is unknown.
    pub static RULE = {
        id: "BAK-4",
        control: DisasterRecovery,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [RestoreTesting],
        scope: Estate,
        title: "Restores are tested at least quarterly",
        remediation: "Create a restore testing plan (AWS::Backup::RestoreTestingPlan) with a ScheduleExpression that runs at least every 92 days.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let limit = cx.cfg.limits.restore_test_days;
    if cx.inv.restore_testing_plans.is_empty() {
        cx.absent("no restore testing plan is defined");
        return;
    }
    for p in &cx.inv.restore_testing_plans {
        match &p.schedule {
            Val::Unknown(r) => cx.unknown(p.rid, r.clone()),
            Val::Known(s) => match schedule::max_interval_days(s) {
                None => cx.unknown(p.rid, format!("the schedule {s:?} cannot be read")),
                Some(d) if d > limit => cx.fail(
                    p.rid,
                    format!("the restore test runs as rarely as every {d} days ({s}), more than the {limit} allowed"),
                ),
                Some(d) => cx.pass(
                    p.rid,
                    format!("the restore test runs at least every {d} days ({s})"),
                ),
            },
        }
    }
}
