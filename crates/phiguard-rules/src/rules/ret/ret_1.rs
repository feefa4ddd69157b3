use crate::util::trails::trail_bucket_rids;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// The bucket the organization trail (or every trail, when there is none)
    /// delivers to is in the dedicated logs account.
    ///
    /// ### Why
    /// Audit logs kept in the account they audit can be erased by whoever
    /// compromises it. A separate logs account, with access limited to the
    /// security team, keeps the evidence out of the attacker's reach.
    ///
    /// ### Sources
    /// - Live: the bucket's owner account against the account role map
    ///   (`[accounts]` in `phiguard.toml`, else the account's OU name or
    ///   `phiguard:role` tag).
    /// - Terraform: the provider account of the bucket's plan against `[accounts] logs`.
    /// - CloudFormation: the template's `Metadata.Phiguard` (`AccountRole: logs`, or `Account`
    ///   equal to `[accounts] logs` in `phiguard.toml`).
    ///   The trail bucket is found through `AWS::CloudTrail::Trail.S3BucketName` (`!Ref`, or a
    ///   literal name of a bucket of the estate).
    ///
    /// A bucket defined in the same template as an organization trail is in
    /// the management account and fails. A bucket outside the estate, or in a
    /// template that does not say where it deploys, is unknown.
    pub static RULE = {
        id: "RET-1",
        control: Retention,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, Buckets, Accounts],
        scope: Resource,
        title: "The trail's bucket is in the dedicated logs account",
        remediation: "Deliver the organization trail to a bucket created in the logs account (its template marked Metadata.Phiguard.AccountRole: logs).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for b in trail_bucket_rids(cx) {
        let unit_idx = cx.inv.meta(b).unit;
        let with_org_trail = cx
            .inv
            .trails
            .iter()
            .any(|t| t.organization.is_true() && cx.inv.meta(t.rid).unit == unit_idx);
        let Some(unit) = cx.inv.unit(b) else {
            cx.unknown(b, "the bucket's account is not known");
            continue;
        };
        let logs_account = cx.cfg.accounts.logs.as_deref();
        // Live, an account's role may come from its OU name or tag, which
        // the organization's account record holds.
        let org_role = match (&unit.account_role, &unit.account) {
            (Val::Known(None), Val::Known(a)) => cx
                .inv
                .org_accounts
                .iter()
                .find(|o| &o.id == a)
                .map(|o| o.role.clone()),
            _ => None,
        };
        let role = org_role.as_ref().unwrap_or(&unit.account_role);
        match (role, &unit.account) {
            (Val::Known(Some(role)), _) if role.eq_ignore_ascii_case("logs") => {
                cx.pass(b, "the trail bucket is in the logs account")
            }
            (_, Val::Known(a)) if Some(a.as_str()) == logs_account => cx.pass(
                b,
                format!("the trail bucket is in the logs account {a}"),
            ),
            (Val::Known(Some(role)), _) => cx.fail(
                b,
                format!("the trail bucket is in the {role} account, not the logs account"),
            ),
            (_, Val::Known(a)) if logs_account.is_some() => cx.fail(
                b,
                format!("the trail bucket is in account {a}, not the logs account"),
            ),
            _ if with_org_trail => cx.fail(
                b,
                "the trail bucket is defined next to the organization trail, in the management account",
            ),
            (Val::Unknown(r), _) | (_, Val::Unknown(r)) => cx.unknown(b, r.clone()),
            _ => cx.unknown(b, "the bucket's account role is not known"),
        }
    }
}
