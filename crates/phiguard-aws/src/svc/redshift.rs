//! Redshift provisioned clusters, with the `require_ssl` of each cluster's
//! parameter group.

use crate::scope::{Scope, tag_map};
use crate::{all, client};
use phiguard_model::{Collection, KeyRef, Val, Warehouse};
use std::collections::BTreeMap;

/// The `require_ssl` a group's parameters hold.
fn require_ssl(params: &[aws_sdk_redshift::types::Parameter]) -> Val<bool> {
    let Some(p) = params.iter().find(|p| {
        p.parameter_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("require_ssl"))
    }) else {
        return Val::unknown("the parameter group does not list require_ssl");
    };
    match p.parameter_value().map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if v == "true" || v == "on" || v == "1" => Val::Known(true),
        Some(v) if v == "false" || v == "off" || v == "0" => Val::Known(false),
        other => Val::unknown(format!(
            "require_ssl is {:?}, not true or false",
            other.unwrap_or_default()
        )),
    }
}

pub async fn collect(s: Scope) {
    let c = client!(aws_sdk_redshift, s);
    let Some(clusters) = s.listed(
        Collection::Warehouses,
        "redshift:DescribeClusters",
        all!(c.describe_clusters()),
    ) else {
        return;
    };
    // Each parameter group is read once, however many clusters use it.
    let mut groups: BTreeMap<String, Val<bool>> = BTreeMap::new();
    for cl in &clusters {
        for g in cl.cluster_parameter_groups() {
            let Some(name) = g.parameter_group_name() else {
                continue;
            };
            if groups.contains_key(name) {
                continue;
            }
            let v = match all!(c.describe_cluster_parameters().parameter_group_name(name)) {
                Ok(params) => require_ssl(&params),
                Err(e) => {
                    s.gap(
                        Collection::Warehouses,
                        "redshift:DescribeClusterParameters",
                        &e,
                    );
                    Val::unknown(format!(
                        "the parameters of group {name} could not be read: {}",
                        e.reason
                    ))
                }
            };
            groups.insert(name.to_string(), v);
        }
    }
    for cl in clusters {
        let id = cl.cluster_identifier().unwrap_or_default();
        let arn = s.arn("redshift", &format!("cluster:{id}"));
        let t = tag_map(
            cl.tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))),
        );
        let rid = s.add("AWS::Redshift::Cluster", id, &arn, Some(t));
        let encrypted = cl.encrypted().unwrap_or(false);
        let (parameter_group, require_ssl) = match cl.cluster_parameter_groups().first() {
            None => (
                Val::unknown("DescribeClusters names no parameter group"),
                Val::unknown("DescribeClusters names no parameter group for the cluster"),
            ),
            Some(g) => {
                let name = g.parameter_group_name().unwrap_or_default().to_string();
                let v = groups
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| Val::unknown("the parameter group was not read"));
                // A value of true not yet applied does not protect the cluster yet.
                let v = match (v, g.parameter_apply_status()) {
                    (Val::Known(true), Some(st)) if st.eq_ignore_ascii_case("pending-reboot") => {
                        Val::unknown(format!(
                            "parameter group {name} sets require_ssl to true, but the change waits for a reboot of the cluster"
                        ))
                    }
                    (v, _) => v,
                };
                (Val::Known(Some(name)), v)
            }
        };
        let w = Warehouse {
            rid,
            serverless: false,
            encrypted: Val::Known(encrypted),
            key: Val::Known(match cl.kms_key_id() {
                Some(k) if !k.is_empty() => KeyRef::External(k.to_string()),
                _ => KeyRef::AwsOwned,
            }),
            parameter_group,
            require_ssl,
            publicly_accessible: Val::Known(cl.publicly_accessible().unwrap_or(false)),
        };
        s.with(|inv| inv.warehouses.push(w));
    }
}
