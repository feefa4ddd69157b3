use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Secrets Manager secret rotates automatically, at least every
    /// `limits.rotation_days` days (default 90).
    ///
    /// ### Why
    /// A credential that never changes stays useful to whoever copied it.
    /// Automatic rotation bounds how long a leaked database or API credential
    /// can reach PHI.
    ///
    /// ### Sources
    /// - Live: `secretsmanager:DescribeSecret` (`RotationEnabled`, `RotationRules`).
    /// - Terraform: `aws_secretsmanager_secret_rotation`, joined to its secret.
    /// - CloudFormation: `AWS::SecretsManager::RotationSchedule` (`SecretId`,
    ///   `RotationRules.AutomaticallyAfterDays` or `ScheduleExpression`), joined to its secret.
    ///
    /// A secret without a rotation schedule does not rotate. A rotation
    /// schedule for another secret does not count; one whose `SecretId` is
    /// known only at deploy time makes the secrets without their own schedule
    /// unknown.
    pub static RULE = {
        id: "SEC-1",
        control: SecretManagement,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Secrets],
        scope: Resource,
        title: "Secrets rotate automatically within the configured interval",
        remediation: "Add a rotation schedule (AWS::SecretsManager::RotationSchedule / aws_secretsmanager_secret_rotation) rotating at most every 90 days.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let limit = cx.cfg.limits.rotation_days;
    for s in &cx.inv.secrets {
        match (&s.rotation_enabled, &s.rotation_days) {
            (Val::Unknown(r), _) => cx.unknown(s.rid, r.clone()),
            (Val::Known(false), _) => cx.fail(s.rid, "the secret has no automatic rotation"),
            (Val::Known(true), Val::Unknown(r)) => cx.unknown(s.rid, r.clone()),
            (Val::Known(true), Val::Known(None)) => {
                cx.unknown(s.rid, "rotation is on, but its interval is not known")
            }
            (Val::Known(true), Val::Known(Some(d))) if *d > limit => cx.fail(
                s.rid,
                format!("the secret rotates every {d} days, more than the {limit} allowed"),
            ),
            (Val::Known(true), Val::Known(Some(d))) => cx.pass(
                s.rid,
                format!("the secret rotates automatically every {d} days (limit {limit})"),
            ),
        }
    }
}
