//! AWS Backup (vaults, plans, selections, restore testing), EKS, IAM Identity
//! Center and AWS Artifact agreements.

use crate::errors::ce;
use crate::scope::{Scope, epoch};
use crate::{all, client};
use phiguard_model::{
    Agreement, BackupPlan, BackupRule, BackupSelection, BackupVault, Collection, EksAddon,
    EksCluster, KeyRef, Link, NodeGroup, PermissionSet, PodIdentityAssociation, RestoreTestingPlan,
    Selector, SsoInstance, Val,
};

pub async fn backup(s: Scope) {
    let c = client!(aws_sdk_backup, s);
    if let Some(list) = s.listed(
        Collection::Backup,
        "backup:ListBackupVaults",
        all!(c.list_backup_vaults()),
    ) {
        for v in list {
            let name = v.backup_vault_name().unwrap_or_default().to_string();
            let arn = v
                .backup_vault_arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("backup", &format!("backup-vault:{name}")));
            let rid = s.add("AWS::Backup::BackupVault", &name, &arn, None);
            let vault = BackupVault {
                rid,
                name: Val::Known(name),
                key: Val::Known(match v.encryption_key_arn() {
                    Some(k) if !k.is_empty() => KeyRef::External(k.to_string()),
                    _ => KeyRef::AwsManaged("aws/backup".into()),
                }),
                locked: Val::Known(v.locked().unwrap_or(false)),
            };
            s.with(|inv| inv.backup_vaults.push(vault));
        }
    }
    let plans = match c
        .list_backup_plans()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(p) => p,
        Err(e) => {
            s.gap(Collection::Backup, "backup:ListBackupPlans", &ce(e));
            Vec::new()
        }
    };
    for p in plans {
        let id = p.backup_plan_id().unwrap_or_default().to_string();
        let name = p.backup_plan_name().unwrap_or(&id).to_string();
        let arn = p
            .backup_plan_arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("backup", &format!("backup-plan:{id}")));
        let rules = match c.get_backup_plan().backup_plan_id(&id).send().await {
            Ok(o) => Val::Known(
                o.backup_plan()
                    .map(|bp| {
                        bp.rules()
                            .iter()
                            .map(|r| BackupRule {
                                name: r.rule_name().to_string(),
                                copy_to: r
                                    .copy_actions()
                                    .iter()
                                    .map(|a| {
                                        Val::Known(Link::External(
                                            a.destination_backup_vault_arn().to_string(),
                                        ))
                                    })
                                    .collect(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            Err(e) => Val::unknown(format!("backup:GetBackupPlan: {}", ce(e))),
        };
        let rid = s.add("AWS::Backup::BackupPlan", &name, &arn, None);
        s.with(|inv| inv.backup_plans.push(BackupPlan { rid, rules }));
        match c
            .list_backup_selections()
            .backup_plan_id(&id)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            Ok(sels) => {
                for sel in sels {
                    let sid = sel.selection_id().unwrap_or_default().to_string();
                    let sname = sel.selection_name().unwrap_or(&sid).to_string();
                    let (select, exclude) = match c
                        .get_backup_selection()
                        .backup_plan_id(&id)
                        .selection_id(&sid)
                        .send()
                        .await
                    {
                        Ok(o) => match o.backup_selection() {
                            Some(b) => {
                                let mut sel: Vec<Selector> = b
                                    .resources()
                                    .iter()
                                    .map(|r| Selector::Pattern(r.clone()))
                                    .collect();
                                for t in b.list_of_tags() {
                                    sel.push(Selector::Tag {
                                        key: t.condition_key().to_string(),
                                        value: t.condition_value().to_string(),
                                    });
                                }
                                if let Some(conds) = b.conditions() {
                                    for t in conds.string_equals() {
                                        if let (Some(k), Some(v)) =
                                            (t.condition_key(), t.condition_value())
                                        {
                                            sel.push(Selector::Tag {
                                                key: k
                                                    .trim_start_matches("aws:ResourceTag/")
                                                    .to_string(),
                                                value: v.to_string(),
                                            });
                                        }
                                    }
                                }
                                let ex: Vec<Selector> = b
                                    .not_resources()
                                    .iter()
                                    .map(|r| Selector::Pattern(r.clone()))
                                    .collect();
                                (Val::Known(sel), Val::Known(ex))
                            }
                            None => (
                                Val::unknown("backup:GetBackupSelection returned nothing"),
                                Val::unknown("backup:GetBackupSelection returned nothing"),
                            ),
                        },
                        Err(e) => {
                            let e = ce(e);
                            (
                                Val::unknown(format!("backup:GetBackupSelection: {e}")),
                                Val::unknown(format!("backup:GetBackupSelection: {e}")),
                            )
                        }
                    };
                    let srid = s.add(
                        "AWS::Backup::BackupSelection",
                        &format!("{name}/{sname}"),
                        &format!("{arn}/selection/{sid}"),
                        None,
                    );
                    s.with(|inv| {
                        inv.backup_selections.push(BackupSelection {
                            rid: srid,
                            plan: Val::Known(Link::Resource(rid)),
                            select,
                            exclude,
                        })
                    });
                }
            }
            Err(e) => s.gap(Collection::Backup, "backup:ListBackupSelections", &ce(e)),
        }
    }
    restore_testing(&s, &c).await;
}

async fn restore_testing(s: &Scope, c: &aws_sdk_backup::Client) {
    let plans = match c
        .list_restore_testing_plans()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(p) => p,
        Err(e) => {
            s.gap(
                Collection::RestoreTesting,
                "backup:ListRestoreTestingPlans",
                &ce(e),
            );
            return;
        }
    };
    let jobs = c
        .list_restore_jobs()
        .by_status(aws_sdk_backup::types::RestoreJobStatus::Completed)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(ce);
    for p in plans {
        let name = p.restore_testing_plan_name().to_string();
        let arn = p.restore_testing_plan_arn().to_string();
        let schedule = match c
            .get_restore_testing_plan()
            .restore_testing_plan_name(&name)
            .send()
            .await
        {
            Ok(o) => match o.restore_testing_plan() {
                Some(tp) => Val::Known(tp.schedule_expression().to_string()),
                None => Val::unknown("backup:GetRestoreTestingPlan returned nothing"),
            },
            Err(e) => Val::unknown(format!("backup:GetRestoreTestingPlan: {}", ce(e))),
        };
        let last_success = match &jobs {
            Ok(j) => Val::Known(
                j.iter()
                    .filter(|j| {
                        j.created_by().and_then(|c| c.restore_testing_plan_arn())
                            == Some(arn.as_str())
                    })
                    .filter_map(|j| j.completion_date().map(epoch))
                    .max(),
            ),
            Err(e) => Val::unknown(format!("backup:ListRestoreJobs: {e}")),
        };
        let rid = s.add("AWS::Backup::RestoreTestingPlan", &name, &arn, None);
        s.with(|inv| {
            inv.restore_testing_plans.push(RestoreTestingPlan {
                rid,
                schedule,
                last_success,
            })
        });
    }
}

pub async fn eks(s: Scope) {
    let c = client!(aws_sdk_eks, s);
    let Some(names) = s.listed(Collection::Eks, "eks:ListClusters", all!(c.list_clusters())) else {
        return;
    };
    for n in names {
        let cl = match c.describe_cluster().name(&n).send().await {
            Ok(o) => o.cluster,
            Err(e) => {
                s.gap(Collection::Eks, "eks:DescribeCluster", &ce(e));
                continue;
            }
        };
        let Some(cl) = cl else { continue };
        let arn = cl
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("eks", &format!("cluster/{n}")));
        let tags = cl.tags().cloned().map(|t| t.into_iter().collect());
        let key = cl
            .encryption_config()
            .iter()
            .find(|e| e.resources().iter().any(|r| r == "secrets"))
            .and_then(|e| e.provider().and_then(|p| p.key_arn()))
            .map(|k| KeyRef::External(k.to_string()));
        let rid = s.add("AWS::EKS::Cluster", &n, &arn, tags);
        s.with(|inv| {
            inv.eks_clusters.push(EksCluster {
                rid,
                name: Val::Known(n.clone()),
                secrets_key: Val::Known(key),
            })
        });
        if let Some(list) = s.listed(
            Collection::Eks,
            "eks:ListAddons",
            all!(c.list_addons().cluster_name(&n)),
        ) {
            for a in list {
                let arid = s.add(
                    "AWS::EKS::Addon",
                    &format!("{n}/{a}"),
                    &s.arn("eks", &format!("addon/{n}/{a}")),
                    None,
                );
                s.with(|inv| {
                    inv.eks_addons.push(EksAddon {
                        rid: arid,
                        cluster: Val::Known(Link::Resource(rid)),
                        name: Val::Known(a),
                    })
                });
            }
        }
        match c
            .list_pod_identity_associations()
            .cluster_name(&n)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            Ok(list) => {
                for a in list {
                    let id = a.association_id().unwrap_or_default().to_string();
                    let role = match c
                        .describe_pod_identity_association()
                        .cluster_name(&n)
                        .association_id(&id)
                        .send()
                        .await
                    {
                        Ok(o) => match o.association().map(|x| x.role_arn()) {
                            Some(Some(r)) => Val::Known(Link::External(r.to_string())),
                            _ => Val::unknown("eks:DescribePodIdentityAssociation named no role"),
                        },
                        Err(e) => {
                            Val::unknown(format!("eks:DescribePodIdentityAssociation: {}", ce(e)))
                        }
                    };
                    let parn = a.association_arn().map(str::to_string).unwrap_or_else(|| {
                        s.arn("eks", &format!("podidentityassociation/{n}/{id}"))
                    });
                    let prid = s.add(
                        "AWS::EKS::PodIdentityAssociation",
                        &format!("{n}/{id}"),
                        &parn,
                        None,
                    );
                    s.with(|inv| {
                        inv.pod_identity_associations.push(PodIdentityAssociation {
                            rid: prid,
                            cluster: Val::Known(Link::Resource(rid)),
                            role,
                        })
                    });
                }
            }
            Err(e) => s.gap(Collection::Eks, "eks:ListPodIdentityAssociations", &ce(e)),
        }
        match c
            .list_nodegroups()
            .cluster_name(&n)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            Ok(list) => {
                for g in list {
                    let role = match c
                        .describe_nodegroup()
                        .cluster_name(&n)
                        .nodegroup_name(&g)
                        .send()
                        .await
                    {
                        Ok(o) => match o.nodegroup().and_then(|x| x.node_role()) {
                            Some(r) => Val::Known(Link::External(r.to_string())),
                            None => Val::unknown("eks:DescribeNodegroup named no node role"),
                        },
                        Err(e) => Val::unknown(format!("eks:DescribeNodegroup: {}", ce(e))),
                    };
                    let grid = s.add(
                        "AWS::EKS::Nodegroup",
                        &format!("{n}/{g}"),
                        &s.arn("eks", &format!("nodegroup/{n}/{g}")),
                        None,
                    );
                    s.with(|inv| {
                        inv.node_groups.push(NodeGroup {
                            rid: grid,
                            cluster: Val::Known(Link::Resource(rid)),
                            node_role: role,
                        })
                    });
                }
            }
            Err(e) => s.gap(Collection::Eks, "eks:ListNodegroups", &ce(e)),
        }
    }
}

/// `PT8H`, `PT1H30M` → seconds.
fn iso_secs(d: &str) -> Option<u32> {
    let t = d.strip_prefix("PT")?;
    let mut secs = 0u32;
    let mut num = String::new();
    for ch in t.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
        } else {
            let n: u32 = num.parse().ok()?;
            num.clear();
            secs += match ch {
                'H' => n * 3600,
                'M' => n * 60,
                'S' => n,
                _ => return None,
            };
        }
    }
    Some(secs)
}

pub async fn sso(s: Scope) {
    let c = client!(aws_sdk_ssoadmin, s);
    let Some(instances) = s.listed(
        Collection::Sso,
        "sso:ListInstances",
        all!(c.list_instances()),
    ) else {
        return;
    };
    for i in instances {
        let arn = i.instance_arn().unwrap_or_default().to_string();
        let rid = s.add("AWS::SSO::Instance", &arn, &arn, None);
        s.with(|inv| inv.sso_instances.push(SsoInstance { rid }));
        match c
            .list_permission_sets()
            .instance_arn(&arn)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            Ok(sets) => {
                for ps in sets {
                    let (name, secs) = match c
                        .describe_permission_set()
                        .instance_arn(&arn)
                        .permission_set_arn(&ps)
                        .send()
                        .await
                    {
                        Ok(o) => {
                            let p = o.permission_set();
                            let name = p.and_then(|p| p.name()).unwrap_or(&ps).to_string();
                            let secs = match p.and_then(|p| p.session_duration()) {
                                Some(d) => iso_secs(d).map(Val::Known).unwrap_or_else(|| {
                                    Val::unknown(format!("session duration {d} could not be read"))
                                }),
                                None => Val::Known(3600),
                            };
                            (name, secs)
                        }
                        Err(e) => (
                            ps.clone(),
                            Val::unknown(format!("sso:DescribePermissionSet: {}", ce(e))),
                        ),
                    };
                    let prid = s.add("AWS::SSO::PermissionSet", &name, &ps, None);
                    s.with(|inv| {
                        inv.permission_sets.push(PermissionSet {
                            rid: prid,
                            name: Val::Known(name),
                            session_secs: secs,
                        })
                    });
                }
            }
            Err(e) => s.gap(Collection::Sso, "sso:ListPermissionSets", &ce(e)),
        }
    }
}

pub async fn artifact(s: Scope) {
    let c = client!(aws_sdk_artifact, s);
    match c
        .list_customer_agreements()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(list) => {
            for a in list {
                let name = a.name().unwrap_or_default().to_string();
                let arn = a.arn().map(str::to_string).unwrap_or_default();
                let rid = s.add("AWS::Artifact::Agreement", &name, &arn, None);
                let ag = Agreement {
                    rid,
                    name: Val::Known(name),
                    state: Val::Known(
                        a.state()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                    ),
                    scope: Val::Known(
                        if a.organization_arn().is_some_and(|o| !o.is_empty()) {
                            "ORGANIZATION"
                        } else {
                            "ACCOUNT"
                        }
                        .to_string(),
                    ),
                };
                s.with(|inv| inv.agreements.push(ag));
            }
        }
        Err(e) => s.gap(
            Collection::Agreements,
            "artifact:ListCustomerAgreements",
            &ce(e),
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_durations() {
        assert_eq!(super::iso_secs("PT8H"), Some(28800));
        assert_eq!(super::iso_secs("PT1H30M"), Some(5400));
        assert_eq!(super::iso_secs("P1D"), None);
    }
}
