//! RDS, DynamoDB, Secrets Manager and Lambda.

use crate::errors::ce;
use crate::scope::{Scope, epoch, tag_map};
use crate::{all, client};
use phiguard_model::{
    Collection, Credential, Database, DynamoTable, KeyRef, Link, Secret, Val, Workload,
};

fn db_key(k: Option<&str>, encrypted: bool) -> Val<KeyRef> {
    Val::Known(match k {
        Some(k) if encrypted => KeyRef::External(k.to_string()),
        _ => KeyRef::AwsManaged("aws/rds".into()),
    })
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
            let t =
                tag_map(d.tag_list().iter().filter_map(|t| {
                    Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))
                }));
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
            let t =
                tag_map(d.tag_list().iter().filter_map(|t| {
                    Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))
                }));
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
                port: db_port(d.endpoint().and_then(|e| e.port()).or(d.db_instance_port())),
            };
            s.with(|inv| inv.databases.push(db));
        }
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
