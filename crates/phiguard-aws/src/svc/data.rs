//! RDS, DynamoDB, Secrets Manager and Lambda.

use crate::errors::ce;
use crate::scope::{Scope, epoch, tag_map};
use crate::{all, client};
use phiguard_model::{
    Collection, Credential, Database, DbParameterGroup, DynamoTable, KeyRef, Link, Rid, Secret,
    Val, Workload,
};
use std::collections::BTreeMap;

/// RDS tags (`Key`/`Value` pairs) as a map.
pub(super) fn rds_tags(t: &[aws_sdk_rds::types::Tag]) -> BTreeMap<String, String> {
    tag_map(
        t.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))),
    )
}

fn db_key(k: Option<&str>, encrypted: bool) -> Val<KeyRef> {
    Val::Known(match k {
        Some(k) if encrypted => KeyRef::External(k.to_string()),
        _ => KeyRef::AwsManaged("aws/rds".into()),
    })
}

/// A boolean the API reports, unknown when it does not.
fn reported(v: Option<bool>, op: &str, field: &str) -> Val<bool> {
    match v {
        Some(b) => Val::Known(b),
        None => Val::unknown(format!("{op} did not report {field}")),
    }
}

/// The group a database names: the estate's group of that name, or the name
/// (an engine default group `default.<family>`, or one that could not be read).
fn group_link(
    groups: &BTreeMap<(bool, String), Rid>,
    cluster: bool,
    name: Option<&str>,
) -> Val<Option<Link>> {
    Val::Known(
        name.map(|n| match groups.get(&(cluster, n.to_ascii_lowercase())) {
            Some(rid) => Link::Resource(*rid),
            None => Link::External(n.to_string()),
        }),
    )
}

/// The DB parameter groups and DB cluster parameter groups of the region
/// other than the engine defaults (`default.*`, whose values follow from the
/// engine version), each with the parameters a user set (`Source=user`).
async fn parameter_groups(s: &Scope, c: &aws_sdk_rds::Client) -> BTreeMap<(bool, String), Rid> {
    let mut out = BTreeMap::new();
    if let Some(list) = s.listed(
        Collection::DbParameterGroups,
        "rds:DescribeDBParameterGroups",
        all!(c.describe_db_parameter_groups()),
    ) {
        for g in list {
            let Some(name) = g.db_parameter_group_name().filter(|n| !is_default_group(n)) else {
                continue;
            };
            let params = all!(
                c.describe_db_parameters()
                    .db_parameter_group_name(name)
                    .source("user")
            );
            let parameters = user_parameters(s, "rds:DescribeDBParameters", params);
            let group = (
                name,
                g.db_parameter_group_arn(),
                g.db_parameter_group_family(),
            );
            record_group(s, &mut out, false, group, parameters);
        }
    }
    if let Some(list) = s.listed(
        Collection::DbParameterGroups,
        "rds:DescribeDBClusterParameterGroups",
        all!(c.describe_db_cluster_parameter_groups()),
    ) {
        for g in list {
            let Some(name) = g
                .db_cluster_parameter_group_name()
                .filter(|n| !is_default_group(n))
            else {
                continue;
            };
            let params = all!(
                c.describe_db_cluster_parameters()
                    .db_cluster_parameter_group_name(name)
                    .source("user")
            );
            let parameters = user_parameters(s, "rds:DescribeDBClusterParameters", params);
            let group = (
                name,
                g.db_cluster_parameter_group_arn(),
                g.db_parameter_group_family(),
            );
            record_group(s, &mut out, true, group, parameters);
        }
    }
    out
}

/// Records one parameter group (`cluster`: a DB cluster parameter group),
/// given as (name, ARN, family), in the inventory and in `out`.
fn record_group(
    s: &Scope,
    out: &mut BTreeMap<(bool, String), Rid>,
    cluster: bool,
    (name, arn, family_name): (&str, Option<&str>, Option<&str>),
    parameters: Val<BTreeMap<String, Val<String>>>,
) {
    let (kind, arn_kind) = if cluster {
        ("AWS::RDS::DBClusterParameterGroup", "cluster-pg")
    } else {
        ("AWS::RDS::DBParameterGroup", "pg")
    };
    let arn = arn
        .map(str::to_string)
        .unwrap_or_else(|| s.arn("rds", &format!("{arn_kind}:{name}")));
    let rid = s.add(kind, name, &arn, None);
    let group = DbParameterGroup {
        rid,
        name: Val::Known(name.to_ascii_lowercase()),
        cluster,
        family: family(family_name),
        parameters,
    };
    s.with(|inv| inv.db_parameter_groups.push(group));
    out.insert((cluster, name.to_ascii_lowercase()), rid);
}

/// An engine default group (`default.postgres16`).
pub fn is_default_group(name: &str) -> bool {
    name.to_ascii_lowercase().starts_with("default.")
}

fn family(f: Option<&str>) -> Val<String> {
    match f {
        Some(f) => Val::Known(f.to_ascii_lowercase()),
        None => Val::unknown("the API did not report the group's family"),
    }
}

/// The parameters a user set, or why they could not be read (also a gap).
fn user_parameters(
    s: &Scope,
    op: &str,
    r: Result<Vec<aws_sdk_rds::types::Parameter>, crate::errors::CallError>,
) -> Val<BTreeMap<String, Val<String>>> {
    match r {
        Ok(v) => Val::Known(
            v.into_iter()
                .filter_map(|p| {
                    let n = p.parameter_name?;
                    let v = match p.parameter_value {
                        Some(v) => Val::Known(v),
                        None => Val::unknown(format!("{op} reported no value for {n}")),
                    };
                    Some((n, v))
                })
                .collect(),
        ),
        Err(e) => {
            s.gap(Collection::DbParameterGroups, op, &e);
            Val::unknown(format!("{op}: {}", e.reason))
        }
    }
}

/// The port the database listens on (a database still being created may
/// report none yet).
fn db_port(port: Option<i32>) -> Val<Option<u16>> {
    match port.and_then(|p| u16::try_from(p).ok()).filter(|p| *p > 0) {
        Some(p) => Val::Known(Some(p)),
        None => Val::unknown("RDS reports no port for the database yet"),
    }
}

pub async fn rds(s: Scope) {
    let c = client!(aws_sdk_rds, s);
    let groups = parameter_groups(&s, &c).await;
    if let Some(list) = s.listed(
        Collection::Databases,
        "rds:DescribeDBClusters",
        all!(c.describe_db_clusters()),
    ) {
        for d in list {
            let id = d.db_cluster_identifier().unwrap_or_default();
            let arn = d
                .db_cluster_arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("rds", &format!("cluster:{id}")));
            let t = rds_tags(d.tag_list());
            let rid = s.add("AWS::RDS::DBCluster", id, &arn, Some(t));
            let enc = d.storage_encrypted().unwrap_or(false);
            let db = Database {
                rid,
                is_cluster: true,
                engine: Val::Known(d.engine().unwrap_or_default().to_string()),
                cluster: None,
                storage_encrypted: Val::Known(enc),
                key: db_key(d.kms_key_id(), enc),
                master_password: Val::Known(if d.master_user_secret().is_some() {
                    Credential::Managed
                } else {
                    Credential::Literal
                }),
                engine_version: Val::Known(d.engine_version().map(str::to_string)),
                publicly_accessible: if d.engine().is_some_and(|e| e.starts_with("aurora")) {
                    Val::Known(None)
                } else {
                    reported(d.publicly_accessible(), CLUSTERS, "PubliclyAccessible").map(Some)
                },
                deletion_protection: reported(
                    d.deletion_protection(),
                    CLUSTERS,
                    "DeletionProtection",
                ),
                multi_az: reported(d.multi_az(), CLUSTERS, "MultiAZ"),
                availability_zone: Val::Known(None),
                backup_retention_days: retention(d.backup_retention_period(), CLUSTERS),
                parameter_group: group_link(&groups, true, d.db_cluster_parameter_group()),
                read_replica: Val::Known(d.replication_source_identifier().is_some()),
                port: db_port(d.port()),
            };
            s.with(|inv| inv.databases.push(db));
        }
    }
    if let Some(list) = s.listed(
        Collection::Databases,
        "rds:DescribeDBInstances",
        all!(c.describe_db_instances()),
    ) {
        for d in list {
            let id = d.db_instance_identifier().unwrap_or_default();
            let arn = d
                .db_instance_arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("rds", &format!("db:{id}")));
            let t = rds_tags(d.tag_list());
            let rid = s.add("AWS::RDS::DBInstance", id, &arn, Some(t));
            let enc = d.storage_encrypted().unwrap_or(false);
            let cluster = d
                .db_cluster_identifier()
                .map(|c| Link::External(s.arn("rds", &format!("cluster:{c}"))));
            let master = if cluster.is_some() {
                Credential::Absent
            } else if d.master_user_secret().is_some() {
                Credential::Managed
            } else {
                Credential::Literal
            };
            let db = Database {
                rid,
                is_cluster: false,
                engine: Val::Known(d.engine().unwrap_or_default().to_string()),
                cluster,
                storage_encrypted: Val::Known(enc),
                key: db_key(d.kms_key_id(), enc),
                master_password: Val::Known(master),
                engine_version: Val::Known(d.engine_version().map(str::to_string)),
                publicly_accessible: reported(
                    d.publicly_accessible(),
                    INSTANCES,
                    "PubliclyAccessible",
                )
                .map(Some),
                deletion_protection: reported(
                    d.deletion_protection(),
                    INSTANCES,
                    "DeletionProtection",
                ),
                multi_az: reported(d.multi_az(), INSTANCES, "MultiAZ"),
                availability_zone: Val::Known(d.availability_zone().map(str::to_string)),
                backup_retention_days: retention(d.backup_retention_period(), INSTANCES),
                parameter_group: group_link(
                    &groups,
                    false,
                    d.db_parameter_groups()
                        .first()
                        .and_then(|g| g.db_parameter_group_name()),
                ),
                read_replica: Val::Known(
                    d.read_replica_source_db_instance_identifier().is_some()
                        || d.read_replica_source_db_cluster_identifier().is_some(),
                ),
                port: db_port(d.endpoint().and_then(|e| e.port()).or(d.db_instance_port())),
            };
            s.with(|inv| inv.databases.push(db));
        }
    }
}

const CLUSTERS: &str = "rds:DescribeDBClusters";
const INSTANCES: &str = "rds:DescribeDBInstances";

fn retention(days: Option<i32>, op: &str) -> Val<u32> {
    match days {
        Some(d) => Val::Known(d.max(0) as u32),
        None => Val::unknown(format!("{op} did not report BackupRetentionPeriod")),
    }
}

pub async fn dynamodb(s: Scope) {
    let c = client!(aws_sdk_dynamodb, s);
    let Some(names) = s.listed(
        Collection::DynamoTables,
        "dynamodb:ListTables",
        all!(c.list_tables()),
    ) else {
        return;
    };
    for n in names {
        let t = match c.describe_table().table_name(&n).send().await {
            Ok(o) => o.table,
            Err(e) => {
                s.gap(Collection::DynamoTables, "dynamodb:DescribeTable", &ce(e));
                continue;
            }
        };
        let Some(t) = t else { continue };
        let arn = t
            .table_arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("dynamodb", &format!("table/{n}")));
        let tags = match c.list_tags_of_resource().resource_arn(&arn).send().await {
            Ok(o) => Some(tag_map(o.tags().iter().map(|t| (t.key(), t.value())))),
            Err(_) => None,
        };
        let key = match t.sse_description() {
            Some(d) if d.status().map(|s| s.as_str()) == Some("ENABLED") => {
                match d.kms_master_key_arn() {
                    Some(k) => KeyRef::External(k.to_string()),
                    None => KeyRef::AwsManaged("aws/dynamodb".into()),
                }
            }
            _ => KeyRef::AwsOwned,
        };
        let rid = s.add("AWS::DynamoDB::Table", &n, &arn, tags);
        s.with(|inv| {
            inv.dynamo_tables.push(DynamoTable {
                rid,
                key: Val::Known(key),
            })
        });
    }
}

pub async fn secrets(s: Scope) {
    let c = client!(aws_sdk_secretsmanager, s);
    match c
        .list_secrets()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(pages) => {
            for x in pages
                .into_iter()
                .flat_map(|p| p.secret_list.unwrap_or_default())
            {
                let name = x.name().unwrap_or_default();
                let arn = x
                    .arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| s.arn("secretsmanager", &format!("secret:{name}")));
                let t = tag_map(x.tags().iter().filter_map(|t| {
                    Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))
                }));
                let rid = s.add("AWS::SecretsManager::Secret", name, &arn, Some(t));
                let rotation = x.rotation_enabled().unwrap_or(false);
                let days = x.rotation_rules().and_then(|r| {
                    r.automatically_after_days().map(|d| d as u32).or_else(|| {
                        r.schedule_expression()
                            .and_then(phiguard_model::schedule::max_interval_days)
                    })
                });
                let secret = Secret {
                    rid,
                    name: Val::Known(name.to_string()),
                    key: Val::Known(match x.kms_key_id() {
                        Some(k) if !k.is_empty() => KeyRef::External(k.to_string()),
                        _ => KeyRef::AwsManaged("aws/secretsmanager".into()),
                    }),
                    rotation_enabled: Val::Known(rotation),
                    rotation_days: Val::Known(if rotation { days } else { None }),
                    last_rotated: Val::Known(x.last_rotated_date().map(epoch)),
                    policy: super::exposure::secret_policy(&c, &arn).await,
                };
                s.with(|inv| inv.secrets.push(secret));
            }
        }
        Err(e) => s.gap(Collection::Secrets, "secretsmanager:ListSecrets", &ce(e)),
    }
}

pub async fn lambda(s: Scope) {
    let c = client!(aws_sdk_lambda, s);
    if let Some(list) = s.listed(
        Collection::Workloads,
        "lambda:ListFunctions",
        all!(c.list_functions()),
    ) {
        for f in list {
            let name = f.function_name().unwrap_or_default();
            let arn = f
                .function_arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("lambda", &format!("function:{name}")));
            let rid = s.add("AWS::Lambda::Function", name, &arn, None);
            let state = f
                .state()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "Active".into());
            s.with(|inv| {
                inv.workloads.push(Workload {
                    rid,
                    state: Val::Known(state),
                })
            });
            super::exposure::lambda_function(&s, &c, rid, name).await;
        }
    }
}
