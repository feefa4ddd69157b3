//! ElastiCache: replication groups, standalone cache clusters and serverless caches.

use crate::scope::{Scope, tag_map};
use crate::{all, client};
use futures::StreamExt;
use phiguard_model::{CacheCluster, CacheKind, Collection, KeyRef, TransitMode, Val};
use std::collections::BTreeMap;

fn key(k: Option<&str>) -> Val<KeyRef> {
    Val::Known(match k {
        Some(k) if !k.is_empty() => KeyRef::External(k.to_string()),
        _ => KeyRef::AwsOwned,
    })
}

/// Transit encryption as DescribeReplicationGroups and DescribeCacheClusters
/// report it; a group made before the mode existed and encrypted requires TLS.
fn transit(
    enabled: Option<bool>,
    mode: Option<&aws_sdk_elasticache::types::TransitEncryptionMode>,
) -> Val<TransitMode> {
    use aws_sdk_elasticache::types::TransitEncryptionMode as M;
    match (enabled.unwrap_or(false), mode) {
        (false, _) => Val::Known(TransitMode::Off),
        (true, None | Some(M::Required)) => Val::Known(TransitMode::Required),
        (true, Some(M::Preferred)) => Val::Known(TransitMode::Preferred),
        (true, Some(other)) => Val::unknown(format!(
            "transit encryption mode {} is not one phiguard knows",
            other.as_str()
        )),
    }
}

fn engine(e: Option<&str>) -> Val<String> {
    match e {
        Some(e) if !e.is_empty() => Val::Known(e.to_ascii_lowercase()),
        _ => Val::unknown("ElastiCache does not say the engine"),
    }
}

/// A cache's tags (for waivers); `None` when they cannot be read.
async fn tags(c: aws_sdk_elasticache::Client, arn: String) -> Option<BTreeMap<String, String>> {
    let o = c
        .list_tags_for_resource()
        .resource_name(&arn)
        .send()
        .await
        .ok()?;
    Some(tag_map(o.tag_list().iter().filter_map(|t| {
        Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))
    })))
}

pub async fn collect(s: Scope) {
    let c = client!(aws_sdk_elasticache, s);
    let mut found: Vec<(String, String, String, CacheCluster)> = Vec::new();
    let placeholder = phiguard_model::Rid(0);
    if let Some(list) = s.listed(
        Collection::Caches,
        "elasticache:DescribeReplicationGroups",
        all!(c.describe_replication_groups()),
    ) {
        for g in list {
            let id = g.replication_group_id().unwrap_or_default().to_string();
            let arn = g
                .arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("elasticache", &format!("replicationgroup:{id}")));
            let enc = g.at_rest_encryption_enabled().unwrap_or(false);
            // A key named means the disk is encrypted under it, whatever the flag says.
            let kms = g.kms_key_id().filter(|k| !k.is_empty());
            found.push((
                "AWS::ElastiCache::ReplicationGroup".into(),
                id,
                arn,
                CacheCluster {
                    rid: placeholder,
                    kind: CacheKind::ReplicationGroup,
                    engine: engine(g.engine()),
                    at_rest_encrypted: Val::Known(enc || kms.is_some()),
                    key: key(kms),
                    transit: transit(g.transit_encryption_enabled(), g.transit_encryption_mode()),
                },
            ));
        }
    }
    if let Some(list) = s.listed(
        Collection::Caches,
        "elasticache:DescribeCacheClusters",
        all!(c.describe_cache_clusters()),
    ) {
        // Members of a replication group are judged with their group.
        for cl in list
            .into_iter()
            .filter(|cl| cl.replication_group_id().is_none())
        {
            let id = cl.cache_cluster_id().unwrap_or_default().to_string();
            let arn = cl
                .arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("elasticache", &format!("cluster:{id}")));
            found.push((
                "AWS::ElastiCache::CacheCluster".into(),
                id,
                arn,
                CacheCluster {
                    rid: placeholder,
                    kind: CacheKind::Standalone,
                    engine: engine(cl.engine()),
                    at_rest_encrypted: Val::Known(cl.at_rest_encryption_enabled().unwrap_or(false)),
                    key: Val::Known(KeyRef::AwsOwned),
                    transit: transit(
                        cl.transit_encryption_enabled(),
                        cl.transit_encryption_mode(),
                    ),
                },
            ));
        }
    }
    if let Some(list) = s.listed(
        Collection::Caches,
        "elasticache:DescribeServerlessCaches",
        all!(c.describe_serverless_caches()),
    ) {
        for sc in list {
            let name = sc.serverless_cache_name().unwrap_or_default().to_string();
            let arn = sc
                .arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("elasticache", &format!("serverlesscache:{name}")));
            found.push((
                "AWS::ElastiCache::ServerlessCache".into(),
                name,
                arn,
                CacheCluster {
                    rid: placeholder,
                    kind: CacheKind::Serverless,
                    engine: engine(sc.engine()),
                    at_rest_encrypted: Val::Known(true),
                    key: key(sc.kms_key_id()),
                    transit: Val::Known(TransitMode::Required),
                },
            ));
        }
    }
    let arns: Vec<String> = found.iter().map(|(_, _, arn, _)| arn.clone()).collect();
    let tagged: Vec<Option<BTreeMap<String, String>>> = futures::stream::iter(arns)
        .map(|arn| tags(c.clone(), arn))
        .buffered(8)
        .collect()
        .await;
    for ((kind, name, arn, mut cache), t) in found.into_iter().zip(tagged) {
        cache.rid = s.add(&kind, &name, &arn, t);
        s.with(|inv| inv.cache_clusters.push(cache));
    }
}
