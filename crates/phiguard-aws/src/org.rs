//! The organization, read once: accounts, OUs, SCPs and where they attach;
//! and the role assumed into each member account.

use crate::errors::{CallError, ce};
use crate::record::Recorder;
use crate::scope::{Sink, tag_map};
use crate::{AuditOptions, Scope0, client};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_types::SdkConfig;
use phiguard_model::{
    Collection, Gap, OrgAccount, OrgNode, OrgPolicy, Organization, Origin, SourceKind, Unit, Val,
};
use std::collections::BTreeMap;

pub struct OrgView {
    /// The organization's active accounts; `None` in single-account mode.
    pub accounts: Option<Vec<String>>,
    /// Roles found for accounts (config first, then OU name, then tag).
    pub roles: BTreeMap<String, String>,
    /// GuardDuty's delegated administrator.
    pub guardduty_admin: Val<Option<String>>,
    /// The caller is in no organization (`AWSOrganizationsNotInUseException`).
    pub not_in_use: bool,
}

const ROLE_NAMES: &[&str] = &["management", "security", "logs", "prod", "staging", "dev"];

/// The role an OU name or tag value names: `Prod`, `production`, `Log Archive`, ...
fn role_from_name(name: &str) -> Option<String> {
    let n = name.to_ascii_lowercase();
    let role = if n.contains("prod") {
        "prod"
    } else if n.contains("stag") {
        "staging"
    } else if n == "dev" || n.contains("develop") || n.starts_with("dev-") || n.ends_with("-dev") {
        "dev"
    } else if n.contains("secur") || n.contains("audit") {
        "security"
    } else if n.contains("log") {
        "logs"
    } else if n.contains("manage") {
        "management"
    } else {
        return None;
    };
    Some(role.to_string())
}

fn unit_for_org(sink: &Sink, caller: &str) -> u32 {
    let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
    let idx = inv.units.len() as u32;
    inv.units.push(Unit {
        name: format!("{caller}/organization"),
        source: SourceKind::Live,
        account: Val::Known(caller.to_string()),
        region: Val::Known("global".into()),
        account_role: Val::Known(Some("management".into())),
    });
    idx
}

fn gap(sink: &Sink, unit: u32, c: Collection, op: &str, e: &CallError) {
    let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
    inv.gaps.push(Gap {
        unit,
        collection: c,
        operation: op.into(),
        reason: e.reason.clone(),
    });
}

pub async fn read(
    base: &SdkConfig,
    rec: &Recorder,
    sink: &Sink,
    caller: &str,
    opts: &AuditOptions,
) -> OrgView {
    let c = client!(
        aws_sdk_organizations,
        Scope0 {
            sdk: base.clone(),
            rec: rec.clone()
        }
    );
    let unit = unit_for_org(sink, caller);
    let mut view = OrgView {
        accounts: None,
        roles: opts.roles.clone(),
        guardduty_admin: Val::Known(None),
        not_in_use: false,
    };
    let described = c.describe_organization().send().await.map_err(ce);
    let o = match described {
        Ok(out) => out.organization,
        Err(e) if e.code_is(&["AWSOrganizationsNotInUseException"]) => {
            view.not_in_use = true;
            return view;
        }
        Err(e) => {
            gap(
                sink,
                unit,
                Collection::Organization,
                "organizations:DescribeOrganization",
                &e,
            );
            return view;
        }
    };
    let Some(o) = o else { return view };
    let mgmt = o.master_account_id().unwrap_or_default().to_string();
    let org_arn = o.arn().unwrap_or_default().to_string();
    {
        let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
        let rid = inv.add_meta(
            "AWS::Organizations::Organization",
            o.id().unwrap_or_default(),
            Origin::Live {
                arn: org_arn.clone(),
                account: caller.to_string(),
                region: "global".into(),
            },
            unit,
        );
        inv.organizations.push(Organization {
            rid,
            id: Val::Known(o.id().unwrap_or_default().to_string()),
            feature_set: Val::Known(
                o.feature_set()
                    .map(|f| f.as_str().to_string())
                    .unwrap_or_default(),
            ),
            management_account: Val::Known(mgmt.clone()),
        });
    }
    if !mgmt.is_empty() && !view.roles.contains_key(&mgmt) {
        view.roles.insert(mgmt.clone(), "management".into());
    }

    // Walk the tree: root, then OUs, collecting each account's path.
    let mut paths: BTreeMap<String, Vec<OrgNode>> = BTreeMap::new();
    let mut accounts: Vec<(String, String, String, String)> = Vec::new(); // id, name, status, arn
    let mut walk_error: Option<CallError> = None;
    match c
        .list_roots()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(pages) => {
            let roots: Vec<_> = pages
                .into_iter()
                .flat_map(|p| p.roots.unwrap_or_default())
                .collect();
            let mut stack: Vec<Vec<OrgNode>> = roots
                .iter()
                .map(|r| {
                    vec![OrgNode {
                        id: r.id().unwrap_or_default().to_string(),
                        name: r.name().unwrap_or("Root").to_string(),
                    }]
                })
                .collect();
            while let Some(path) = stack.pop() {
                let parent = path.last().map(|n| n.id.clone()).unwrap_or_default();
                match c
                    .list_accounts_for_parent()
                    .parent_id(&parent)
                    .into_paginator()
                    .send()
                    .collect::<Result<Vec<_>, _>>()
                    .await
                {
                    Ok(pages) => {
                        let list: Vec<_> = pages
                            .into_iter()
                            .flat_map(|p| p.accounts.unwrap_or_default())
                            .collect();
                        for a in list {
                            let id = a.id().unwrap_or_default().to_string();
                            paths.insert(id.clone(), path.clone());
                            accounts.push((
                                id,
                                a.name().unwrap_or_default().to_string(),
                                a.status()
                                    .map(|s| s.as_str().to_string())
                                    .unwrap_or_default(),
                                a.arn().unwrap_or_default().to_string(),
                            ));
                        }
                    }
                    Err(e) => walk_error = Some(ce(e)),
                }
                match c
                    .list_organizational_units_for_parent()
                    .parent_id(&parent)
                    .into_paginator()
                    .send()
                    .collect::<Result<Vec<_>, _>>()
                    .await
                {
                    Ok(pages) => {
                        let ous: Vec<_> = pages
                            .into_iter()
                            .flat_map(|p| p.organizational_units.unwrap_or_default())
                            .collect();
                        for ou in ous {
                            let mut p = path.clone();
                            p.push(OrgNode {
                                id: ou.id().unwrap_or_default().to_string(),
                                name: ou.name().unwrap_or_default().to_string(),
                            });
                            stack.push(p);
                        }
                    }
                    Err(e) => walk_error = Some(ce(e)),
                }
            }
        }
        Err(e) => walk_error = Some(ce(e)),
    }
    if let Some(e) = &walk_error {
        gap(
            sink,
            unit,
            Collection::Accounts,
            "organizations:ListAccountsForParent",
            e,
        );
        // Fall back to the flat list, without paths.
        if let Ok(list) = c
            .list_accounts()
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            for a in list
                .into_iter()
                .flat_map(|p| p.accounts.unwrap_or_default())
            {
                let id = a.id().unwrap_or_default().to_string();
                if !accounts.iter().any(|x| x.0 == id) {
                    accounts.push((
                        id,
                        a.name().unwrap_or_default().to_string(),
                        a.status()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        a.arn().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
    }

    // Tags and roles.
    let mut active = Vec::new();
    for (id, name, status, arn) in &accounts {
        let tags = match c.list_tags_for_resource().resource_id(id).send().await {
            Ok(out) => Val::Known(tag_map(
                out.tags()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string())),
            )),
            Err(e) => Val::unknown(format!("organizations:ListTagsForResource: {}", ce(e))),
        };
        let role = view.roles.get(id).cloned().or_else(|| {
            if let Val::Known(t) = &tags {
                if let Some(r) = t
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("phiguard:role"))
                    .map(|(_, v)| v.to_ascii_lowercase())
                    .filter(|v| ROLE_NAMES.contains(&v.as_str()))
                {
                    return Some(r);
                }
            }
            paths
                .get(id)
                .and_then(|p| p.iter().rev().find_map(|n| role_from_name(&n.name)))
        });
        if let Some(r) = &role {
            view.roles.insert(id.clone(), r.clone());
        }
        if status.eq_ignore_ascii_case("ACTIVE") {
            active.push(id.clone());
        }
        let path = match paths.get(id) {
            Some(p) => Val::Known(p.clone()),
            None => Val::unknown(
                "the account's place in the organization could not be read (organizations:ListAccountsForParent)",
            ),
        };
        let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
        let rid = inv.add_meta(
            "AWS::Organizations::Account",
            id,
            Origin::Live {
                arn: arn.clone(),
                account: id.clone(),
                region: "global".into(),
            },
            unit,
        );
        if let Val::Known(t) = &tags {
            inv.meta_mut(rid).tags = Val::Known(t.clone());
        }
        inv.meta_mut(rid).account = Val::Known(id.clone());
        inv.org_accounts.push(OrgAccount {
            rid,
            id: id.clone(),
            name: Val::Known(name.clone()),
            status: Val::Known(status.clone()),
            path,
            role: Val::Known(role),
            public_access_block: Val::unknown("the account was not audited"),
            tags,
            audited: false,
        });
    }
    view.accounts = Some(active);

    // Service control policies and their targets.
    match c
        .list_policies()
        .filter(aws_sdk_organizations::types::PolicyType::ServiceControlPolicy)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(pages) => {
            for p in pages
                .into_iter()
                .flat_map(|p| p.policies.unwrap_or_default())
            {
                let id = p.id().unwrap_or_default().to_string();
                let document = match c.describe_policy().policy_id(&id).send().await {
                    Ok(out) => match out.policy().and_then(|p| p.content()) {
                        Some(text) => match crate::policy::parse(text) {
                            Ok(d) => Val::Known(d),
                            Err(e) => {
                                Val::unknown(format!("the SCP's content could not be read: {e}"))
                            }
                        },
                        None => Val::unknown("organizations:DescribePolicy returned no content"),
                    },
                    Err(e) => Val::unknown(format!("organizations:DescribePolicy: {}", ce(e))),
                };
                let targets = match c
                    .list_targets_for_policy()
                    .policy_id(&id)
                    .into_paginator()
                    .send()
                    .collect::<Result<Vec<_>, _>>()
                    .await
                {
                    Ok(pages) => Val::Known(
                        pages
                            .iter()
                            .flat_map(|p| p.targets())
                            .filter_map(|t| t.target_id().map(str::to_string))
                            .collect(),
                    ),
                    Err(e) => {
                        Val::unknown(format!("organizations:ListTargetsForPolicy: {}", ce(e)))
                    }
                };
                let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
                let rid = inv.add_meta(
                    "AWS::Organizations::Policy",
                    p.name().unwrap_or(&id),
                    Origin::Live {
                        arn: p.arn().unwrap_or_default().to_string(),
                        account: caller.to_string(),
                        region: "global".into(),
                    },
                    unit,
                );
                inv.org_policies.push(OrgPolicy {
                    rid,
                    name: Val::Known(p.name().unwrap_or_default().to_string()),
                    policy_type: Val::Known("SERVICE_CONTROL_POLICY".into()),
                    document,
                    targets,
                });
            }
        }
        Err(e) => gap(
            sink,
            unit,
            Collection::OrgPolicies,
            "organizations:ListPolicies",
            &ce(e),
        ),
    }

    // The delegated administrator of GuardDuty, for MON-1.
    view.guardduty_admin = match c
        .list_delegated_administrators()
        .service_principal("guardduty.amazonaws.com")
        .send()
        .await
    {
        Ok(out) => Val::Known(
            out.delegated_administrators()
                .first()
                .and_then(|a| a.id().map(str::to_string)),
        ),
        Err(e) => Val::unknown(format!(
            "organizations:ListDelegatedAdministrators: {}",
            ce(e)
        )),
    };
    view
}

/// Credentials for a member account: `sts:AssumeRole` into `--role-name`.
pub async fn assume(
    base: &SdkConfig,
    rec: &Recorder,
    account: &str,
    partition: &str,
    opts: &AuditOptions,
) -> Result<SdkConfig, String> {
    let sts = client!(
        aws_sdk_sts,
        Scope0 {
            sdk: base.clone(),
            rec: rec.clone()
        }
    );
    let arn = format!("arn:{partition}:iam::{account}:role/{}", opts.role_name);
    let mut req = sts
        .assume_role()
        .role_arn(&arn)
        .role_session_name("phiguard-audit")
        .duration_seconds(3600);
    if let Some(x) = &opts.external_id {
        req = req.external_id(x);
    }
    let out = req
        .send()
        .await
        .map_err(|e| format!("could not assume {arn}: {}", ce(e)))?;
    let c = out
        .credentials()
        .ok_or_else(|| format!("sts:AssumeRole for {arn} returned no credentials"))?;
    let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
    let creds = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        "phiguard-assume-role",
    );
    Ok(base
        .clone()
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(creds))
        .build())
}
