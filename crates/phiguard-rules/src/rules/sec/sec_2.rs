use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every secret with automatic rotation on has rotated within its
    /// rotation interval: its last rotation is at most `rotation_days` days
    /// (plus one day, the length of a rotation window) before now. A rotating
    /// secret that has never rotated fails. Secrets without rotation are not
    /// judged here: SEC-1 fails them.
    ///
    /// ### Why
    /// A rotation schedule that keeps failing (a broken rotation Lambda, a
    /// database it cannot reach) leaves the credential as old as if it never
    /// rotated, while the configuration looks compliant.
    ///
    /// ### Sources
    /// - Live: `secretsmanager:DescribeSecret` (`RotationEnabled`,
    ///   `RotationRules.AutomaticallyAfterDays`, `LastRotatedDate`).
    pub static RULE = {
        id: "SEC-2",
        control: SecretManagement,
        severity: Medium,
        sources: [Live],
        reads: [Secrets],
        scope: Resource,
        title: "Every rotating secret has rotated within its interval",
        remediation: "Find why rotation fails (the rotation function's logs, its network path and permissions to the database), fix it, and rotate the secret now.",
        check: check,
    }
}

const DAY: i64 = 86_400;

fn check(cx: &mut Cx) {
    for s in &cx.inv.secrets {
        match &s.rotation_enabled {
            Val::Known(false) => continue,
            Val::Unknown(r) => {
                cx.unknown(s.rid, r.clone());
                continue;
            }
            Val::Known(true) => {}
        }
        let days = match &s.rotation_days {
            Val::Known(Some(d)) => *d as i64,
            Val::Known(None) => {
                cx.unknown(s.rid, "rotation is on, but its interval is not known");
                continue;
            }
            Val::Unknown(r) => {
                cx.unknown(s.rid, r.clone());
                continue;
            }
        };
        match &s.last_rotated {
            Val::Known(None) => cx.fail(
                s.rid,
                format!("rotation is on (every {days} days), but the secret has never rotated"),
            ),
            Val::Known(Some(t)) => {
                let age = (cx.now - t).max(0) / DAY;
                if cx.now - t > (days + 1) * DAY {
                    cx.fail(
                        s.rid,
                        format!("the secret last rotated {age} days ago, though it should rotate every {days} days"),
                    );
                } else {
                    cx.pass(
                        s.rid,
                        format!("the secret last rotated {age} days ago (interval {days} days)"),
                    );
                }
            }
            Val::Unknown(r) => cx.unknown(s.rid, r.clone()),
        }
    }
}
