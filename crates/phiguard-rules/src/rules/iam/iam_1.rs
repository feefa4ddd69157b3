use crate::{Cx, declare_rule};
use phiguard_model::{Link, Rid, Val};

declare_rule! {
    /// ### What it checks
    /// No IAM user exists, except the break-glass users named in
    /// `identity.break_glass_users`; and no IAM user has an active access key,
    /// break-glass users included. Each user and each access key is judged.
    ///
    /// ### Why
    /// People should sign in through IAM Identity Center with short-lived
    /// credentials. IAM users carry long-lived passwords and keys that leak,
    /// are not tied to the workforce directory, and outlive the people who
    /// own them. A break-glass user may exist for emergencies, but never with
    /// an access key.
    ///
    /// ### Sources
    /// - Live: `iam:ListUsers`, `iam:ListAccessKeys`, the credential report.
    /// - Terraform: `aws_iam_user`, `aws_iam_access_key` (`status` default `Active`).
    /// - CloudFormation: `AWS::IAM::User` (`UserName`; absent, a generated name),
    ///   `AWS::IAM::AccessKey` (`Status` default `Active`).
    pub static RULE = {
        id: "IAM-1",
        control: AccessKeys,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [IamUsers],
        scope: Resource,
        title: "No IAM users except break-glass users, and no active access keys",
        remediation: "Remove the IAM user and its access keys; give people access through IAM Identity Center, and workloads through roles.",
        check: check,
    }
}

/// The user a key belongs to, as a user of the estate where it is one.
fn key_user(cx: &Cx, link: &Val<Link>) -> Option<Rid> {
    match link {
        Val::Known(Link::Resource(r)) => {
            cx.inv.iam_users.iter().find(|u| u.rid == *r).map(|u| u.rid)
        }
        Val::Known(Link::External(n)) => cx
            .inv
            .iam_users
            .iter()
            .find(|u| u.name.known() == Some(n))
            .map(|u| u.rid),
        Val::Unknown(_) => None,
    }
}

fn check(cx: &mut Cx) {
    let bg = cx.cfg.identity.break_glass_users.clone();
    for u in &cx.inv.iam_users {
        let keys: Vec<String> = cx
            .inv
            .access_keys
            .iter()
            .filter(|k| k.active.is_true() && key_user(cx, &k.user) == Some(u.rid))
            .map(|k| cx.inv.meta(k.rid).name.clone())
            .collect();
        let name = u
            .name
            .known()
            .cloned()
            .unwrap_or_else(|| cx.inv.meta(u.rid).name.clone());
        if !keys.is_empty() {
            cx.fail(
                u.rid,
                format!(
                    "IAM user {name} has an active access key ({})",
                    keys.join(", ")
                ),
            );
            continue;
        }
        match &u.name {
            Val::Known(n) if bg.iter().any(|b| b == n) => cx.pass(
                u.rid,
                format!("{n} is a configured break-glass user without an active access key"),
            ),
            Val::Known(n) => cx.fail(
                u.rid,
                format!("IAM user {n} exists and is not a configured break-glass user"),
            ),
            Val::Unknown(_) if bg.is_empty() => cx.fail(
                u.rid,
                "an IAM user exists and no break-glass user is configured",
            ),
            Val::Unknown(r) => cx.unknown(
                u.rid,
                format!("whether the user is a break-glass user cannot be told: {r}"),
            ),
        }
    }
    for k in &cx.inv.access_keys {
        let user = match &k.user {
            Val::Known(Link::Resource(r)) => cx.inv.meta(*r).name.clone(),
            Val::Known(Link::External(n)) => n.clone(),
            Val::Unknown(_) => "a user known only at deploy time".into(),
        };
        match &k.active {
            Val::Known(true) => cx.fail(k.rid, format!("an active access key of IAM user {user}")),
            Val::Known(false) => cx.pass(k.rid, format!("the access key of {user} is inactive")),
            Val::Unknown(r) => cx.unknown(k.rid, r.clone()),
        }
    }
}
