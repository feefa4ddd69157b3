//! IAM: the root user's summary, users, their keys, passwords and MFA, roles
//! with their trust and permission policies.

use crate::errors::ce;
use crate::scope::Scope;
use crate::{all, client};
use aws_sdk_iam::types::SummaryKeyType;
use phiguard_model::{
    AccessKey, AttachedPolicy, Collection, IamRole, IamUser, Link, RootUser, Val,
};
use std::collections::BTreeMap;

pub async fn collect(s: Scope) {
    let c = client!(aws_sdk_iam, s);
    root(&s, &c).await;
    users(&s, &c).await;
    roles(&s, &c).await;
}

async fn root(s: &Scope, c: &aws_sdk_iam::Client) {
    match c.get_account_summary().send().await {
        Ok(out) => {
            let m = out.summary_map();
            let get = |k: SummaryKeyType| match m.and_then(|m| m.get(&k)) {
                Some(v) => Val::Known(*v > 0),
                None => Val::unknown(format!(
                    "iam:GetAccountSummary did not return {}",
                    k.as_str()
                )),
            };
            let rid = s.add(
                "AWS::IAM::RootUser",
                "root",
                &format!("arn:{}:iam::{}:root", s.partition, s.account),
                None,
            );
            let mfa = get(SummaryKeyType::AccountMfaEnabled);
            let keys = get(SummaryKeyType::AccountAccessKeysPresent);
            s.with(|inv| {
                inv.root_users.push(RootUser {
                    rid,
                    mfa,
                    access_keys: keys,
                })
            });
        }
        Err(e) => s.gap(Collection::RootUser, "iam:GetAccountSummary", &ce(e)),
    }
}

/// The credential report's columns that matter: password enabled and MFA active, by user.
async fn credential_report(
    c: &aws_sdk_iam::Client,
) -> Result<BTreeMap<String, (bool, bool)>, String> {
    let mut tries = 0;
    loop {
        let g = c
            .generate_credential_report()
            .send()
            .await
            .map_err(|e| format!("iam:GenerateCredentialReport: {}", ce(e)))?;
        if g.state().map(|s| s.as_str()) == Some("COMPLETE") || tries >= 10 {
            break;
        }
        tries += 1;
        tokio::time::sleep(std::time::Duration::from_millis(500 * tries)).await;
    }
    let r = c
        .get_credential_report()
        .send()
        .await
        .map_err(|e| format!("iam:GetCredentialReport: {}", ce(e)))?;
    let bytes = r
        .content()
        .ok_or("iam:GetCredentialReport returned no content")?
        .as_ref()
        .to_vec();
    let text = String::from_utf8(bytes).map_err(|_| "the credential report is not UTF-8")?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or("the credential report is empty")?
        .split(',')
        .collect();
    let col = |n: &str| header.iter().position(|h| *h == n);
    let (Some(user), Some(pw), Some(mfa)) =
        (col("user"), col("password_enabled"), col("mfa_active"))
    else {
        return Err(
            "the credential report lacks the user, password_enabled or mfa_active column".into(),
        );
    };
    let mut out = BTreeMap::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        if let (Some(u), Some(p), Some(m)) = (f.get(user), f.get(pw), f.get(mfa)) {
            out.insert(u.to_string(), (*p == "true", *m == "true"));
        }
    }
    Ok(out)
}

async fn users(s: &Scope, c: &aws_sdk_iam::Client) {
    let Some(list) = s.listed(Collection::IamUsers, "iam:ListUsers", all!(c.list_users())) else {
        return;
    };
    let report = if list.is_empty() {
        Ok(BTreeMap::new())
    } else {
        credential_report(c).await
    };
    for u in list {
        let name = u.user_name().to_string();
        let tags = crate::scope::tag_map(u.tags().iter().map(|t| (t.key(), t.value())));
        let rid = s.add("AWS::IAM::User", &name, u.arn(), Some(tags));
        let (console_password, mfa) = match &report {
            Ok(r) => match r.get(&name) {
                Some((p, m)) => (Val::Known(*p), Val::Known(*m)),
                None => (
                    Val::unknown("the user is not in the credential report yet"),
                    Val::unknown("the user is not in the credential report yet"),
                ),
            },
            Err(e) => (Val::unknown(e.clone()), Val::unknown(e.clone())),
        };
        s.with(|inv| {
            inv.iam_users.push(IamUser {
                rid,
                name: Val::Known(name.clone()),
                console_password,
                mfa,
            })
        });
        if let Some(keys) = s.listed(
            Collection::IamUsers,
            "iam:ListAccessKeys",
            all!(c.list_access_keys().user_name(&name)),
        ) {
            for k in keys {
                let id = k.access_key_id().unwrap_or_default();
                let krid = s.add(
                    "AWS::IAM::AccessKey",
                    &format!("{name}/{id}"),
                    &format!("{}/{}", u.arn(), id),
                    None,
                );
                let active = k.status().map(|st| st.as_str() == "Active");
                s.with(|inv| {
                    inv.access_keys.push(AccessKey {
                        rid: krid,
                        user: Val::Known(Link::Resource(rid)),
                        active: match active {
                            Some(a) => Val::Known(a),
                            None => Val::unknown("iam:ListAccessKeys gave no status"),
                        },
                    })
                });
            }
        }
    }
}

async fn roles(s: &Scope, c: &aws_sdk_iam::Client) {
    let Some(list) = s.listed(Collection::IamRoles, "iam:ListRoles", all!(c.list_roles())) else {
        return;
    };
    for r in list {
        let name = r.role_name().to_string();
        let trust = match r.assume_role_policy_document() {
            Some(d) => match crate::policy::parse(d) {
                Ok(d) => Val::Known(d),
                Err(e) => Val::unknown(format!("the trust policy could not be read: {e}")),
            },
            None => Val::unknown("iam:ListRoles returned no trust policy"),
        };
        let policies = role_policies(c, &name).await;
        let tags = crate::scope::tag_map(r.tags().iter().map(|t| (t.key(), t.value())));
        let rid = s.add("AWS::IAM::Role", &name, r.arn(), Some(tags));
        let max = r.max_session_duration().map(|m| m as u32).unwrap_or(3600);
        s.with(|inv| {
            inv.iam_roles.push(IamRole {
                rid,
                name: Val::Known(name),
                trust,
                max_session_secs: Val::Known(max),
                policies,
            })
        });
    }
}

async fn role_policies(c: &aws_sdk_iam::Client, role: &str) -> Val<Vec<AttachedPolicy>> {
    let mut out = Vec::new();
    let attached = match c
        .list_attached_role_policies()
        .role_name(role)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(a) => a,
        Err(e) => return Val::unknown(format!("iam:ListAttachedRolePolicies: {}", ce(e))),
    };
    for p in attached {
        let arn = p.policy_arn().unwrap_or_default().to_string();
        let aws_managed = arn.contains(":iam::aws:policy/");
        let document = if aws_managed {
            None
        } else {
            Some(managed_document(c, &arn).await)
        };
        out.push(AttachedPolicy {
            name: Val::Known(arn),
            document,
            aws_managed,
        });
    }
    let inline = match c
        .list_role_policies()
        .role_name(role)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(n) => n,
        Err(e) => return Val::unknown(format!("iam:ListRolePolicies: {}", ce(e))),
    };
    for n in inline {
        let doc = match c
            .get_role_policy()
            .role_name(role)
            .policy_name(&n)
            .send()
            .await
        {
            Ok(o) => crate::policy::parse(o.policy_document())
                .map(Val::Known)
                .unwrap_or_else(|e| {
                    Val::unknown(format!("the inline policy could not be read: {e}"))
                }),
            Err(e) => Val::unknown(format!("iam:GetRolePolicy: {}", ce(e))),
        };
        out.push(AttachedPolicy {
            name: Val::Known(n),
            document: Some(doc),
            aws_managed: false,
        });
    }
    Val::Known(out)
}

async fn managed_document(c: &aws_sdk_iam::Client, arn: &str) -> Val<phiguard_model::PolicyDoc> {
    let version = match c.get_policy().policy_arn(arn).send().await {
        Ok(o) => o
            .policy()
            .and_then(|p| p.default_version_id().map(str::to_string)),
        Err(e) => return Val::unknown(format!("iam:GetPolicy: {}", ce(e))),
    };
    let Some(v) = version else {
        return Val::unknown("iam:GetPolicy gave no default version");
    };
    match c
        .get_policy_version()
        .policy_arn(arn)
        .version_id(v)
        .send()
        .await
    {
        Ok(o) => match o.policy_version().and_then(|p| p.document()) {
            Some(d) => crate::policy::parse(d)
                .map(Val::Known)
                .unwrap_or_else(|e| Val::unknown(format!("the policy could not be read: {e}"))),
            None => Val::unknown("iam:GetPolicyVersion gave no document"),
        },
        Err(e) => Val::unknown(format!("iam:GetPolicyVersion: {}", ce(e))),
    }
}
