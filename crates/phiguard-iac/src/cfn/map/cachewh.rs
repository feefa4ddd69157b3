//! ElastiCache (`AWS::ElastiCache::ReplicationGroup`, `CacheCluster`,
//! `ServerlessCache`) and Redshift (`AWS::Redshift::Cluster` with its
//! `ClusterParameterGroup`, `AWS::RedshiftServerless::Namespace`).

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::cachewh::{self as j, GroupSpelling};
use phiguard_model::{CacheCluster, CacheKind, KeyRef, TransitMode, Val, Warehouse};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ServerlessCache",
        "AWS::Redshift::Cluster",
        "AWS::Redshift::ClusterParameterGroup",
        "AWS::RedshiftServerless::Namespace",
    ],
    map,
    finish: no_finish,
};

/// The key a `KmsKeyId` names; omitted, the service's own key.
fn key(p: P) -> Val<KeyRef> {
    if p.is_absent() {
        Val::Known(KeyRef::AwsOwned)
    } else {
        super::rds::key(p, "")
    }
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "AWS::ElastiCache::ReplicationGroup" => {
            let engine = j::engine(p.get("Engine").str_opt()?);
            let valkey = matches!(&engine, Val::Known(e) if e == "valkey");
            let global = !p.get("GlobalReplicationGroupId").is_absent();
            let at_rest = if !p.get("AtRestEncryptionEnabled").is_absent() {
                p.get("AtRestEncryptionEnabled").bool_or(false)?
            } else if global {
                Val::unknown(
                    "the group joins a global datastore (GlobalReplicationGroupId), whose at-rest encryption the template does not show",
                )
            } else if valkey {
                // The API turns it on for Valkey; CloudFormation documents false.
                Val::unknown(
                    "AtRestEncryptionEnabled is omitted on a Valkey group: the ElastiCache API turns it on for Valkey, CloudFormation documents false",
                )
            } else {
                j::at_rest_default(&engine)
            };
            let enabled = if p.get("TransitEncryptionEnabled").is_absent() && valkey {
                Val::unknown(
                    "TransitEncryptionEnabled is omitted on a Valkey group, which CloudFormation requires to set (cfn-lint E3704)",
                )
            } else {
                p.get("TransitEncryptionEnabled").bool_or(false)?
            };
            let transit = j::transit(enabled, p.get("TransitEncryptionMode").str_opt()?);
            m.inv.cache_clusters.push(CacheCluster {
                rid: r.rid,
                kind: CacheKind::ReplicationGroup,
                engine,
                at_rest_encrypted: at_rest,
                key: key(p.get("KmsKeyId")),
                transit,
            });
        }
        "AWS::ElastiCache::CacheCluster" => {
            let engine = j::engine(p.get("Engine").str_opt()?);
            m.inv.cache_clusters.push(CacheCluster {
                rid: r.rid,
                kind: CacheKind::Standalone,
                engine,
                at_rest_encrypted: Val::Known(false),
                key: Val::Known(KeyRef::AwsOwned),
                transit: j::transit(
                    p.get("TransitEncryptionEnabled").bool_or(false)?,
                    Val::Known(None),
                ),
            });
        }
        "AWS::ElastiCache::ServerlessCache" => {
            m.inv.cache_clusters.push(CacheCluster {
                rid: r.rid,
                kind: CacheKind::Serverless,
                engine: j::engine(p.get("Engine").str_opt()?),
                at_rest_encrypted: Val::Known(true),
                key: key(p.get("KmsKeyId")),
                transit: Val::Known(TransitMode::Required),
            });
        }
        "AWS::Redshift::Cluster" => {
            let encrypted = if p.get("Encrypted").is_absent()
                && !p.get("SnapshotIdentifier").is_absent()
            {
                Val::unknown(
                    "the cluster is restored from the snapshot named by SnapshotIdentifier, whose encryption the template does not show",
                )
            } else {
                p.get("Encrypted").bool_or(true)?
            };
            let named = p.get("ClusterParameterGroupName");
            let named = (!named.is_absent()).then(|| named.link());
            let (parameter_group, require_ssl) =
                j::cluster_group(named, &j::groups(m.est, &GROUPS)?);
            m.inv.warehouses.push(Warehouse {
                rid: r.rid,
                serverless: false,
                encrypted,
                key: key(p.get("KmsKeyId")),
                parameter_group,
                require_ssl,
                publicly_accessible: p.get("PubliclyAccessible").bool_or(false)?,
            });
        }
        "AWS::RedshiftServerless::Namespace" => {
            let w = j::serverless_namespace(r.rid, key(p.get("KmsKeyId")));
            m.inv.warehouses.push(w);
        }
        // Parameter groups are read with the clusters that name them.
        _ => {}
    }
    Ok(())
}

/// How a template spells a Redshift parameter group.
const GROUPS: GroupSpelling = GroupSpelling {
    ty: "AWS::Redshift::ClusterParameterGroup",
    name: "ParameterGroupName",
    parameters: "Parameters",
    parameter_name: "ParameterName",
    parameter_value: "ParameterValue",
    missing_label: "",
};
