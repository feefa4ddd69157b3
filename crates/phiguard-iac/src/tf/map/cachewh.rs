//! ElastiCache (`aws_elasticache_replication_group`, `aws_elasticache_cluster`,
//! `aws_elasticache_serverless_cache`) and Redshift (`aws_redshift_cluster`
//! with its `aws_redshift_parameter_group`, `aws_redshiftserverless_namespace`).

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
use crate::joins::cachewh::{self as j, GroupSpelling};
use phiguard_model::{CacheCluster, CacheKind, KeyRef, Rid, TransitMode, Val, Warehouse};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_elasticache_replication_group",
        "aws_elasticache_cluster",
        "aws_elasticache_serverless_cache",
        "aws_redshift_cluster",
        "aws_redshift_parameter_group",
        "aws_redshiftserverless_namespace",
    ],
    map,
    finish: no_finish,
};

/// The key a `kms_key_id` names; omitted, the service's own key (Redshift
/// Serverless reports that one as `AWS_OWNED_KMS_KEY`).
fn key(p: P, rid: Rid) -> Val<KeyRef> {
    let k = p.get("kms_key_id");
    if omitted(k, rid, "kms_key_id")
        || matches!(k.v.and_then(|v| v.as_lit()), Some("" | "AWS_OWNED_KMS_KEY"))
    {
        Val::Known(KeyRef::AwsOwned)
    } else {
        k.key_ref("")
    }
}

/// A boolean attribute, `default` when the configuration leaves it out.
fn flag(p: P, rid: Rid, attr: &str, default: Val<bool>) -> R<Val<bool>> {
    if omitted(p.get(attr), rid, attr) {
        Ok(default)
    } else {
        p.get(attr).bool_or(false)
    }
}

/// A string attribute, `None` when the configuration leaves it out (a state
/// records an unset string as empty).
fn text(p: P, rid: Rid, attr: &str) -> R<Val<Option<String>>> {
    if omitted(p.get(attr), rid, attr) {
        Ok(Val::Known(None))
    } else {
        Ok(p.get(attr).str_opt()?.map(|s| s.filter(|s| !s.is_empty())))
    }
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let rid = r.rid;
    match r.ty.as_str() {
        "aws_elasticache_replication_group" => {
            let engine = j::engine(text(p, rid, "engine")?);
            let default = if omitted(
                p.get("global_replication_group_id"),
                rid,
                "global_replication_group_id",
            ) {
                j::at_rest_default(&engine)
            } else {
                Val::unknown(
                    "the group joins a global datastore (global_replication_group_id), whose at-rest encryption the plan does not show",
                )
            };
            let at_rest = flag(p, rid, "at_rest_encryption_enabled", default)?;
            let enabled = flag(p, rid, "transit_encryption_enabled", Val::Known(false))?;
            let transit = j::transit(enabled, text(p, rid, "transit_encryption_mode")?);
            m.inv.cache_clusters.push(CacheCluster {
                rid,
                kind: CacheKind::ReplicationGroup,
                engine,
                at_rest_encrypted: at_rest,
                key: key(p, rid),
                transit,
            });
        }
        "aws_elasticache_cluster" => {
            // A member of a replication group is judged with its group.
            if !omitted(p.get("replication_group_id"), rid, "replication_group_id") {
                return Ok(());
            }
            let engine = j::engine(text(p, rid, "engine")?);
            let enabled = flag(p, rid, "transit_encryption_enabled", Val::Known(false))?;
            m.inv.cache_clusters.push(CacheCluster {
                rid,
                kind: CacheKind::Standalone,
                engine,
                at_rest_encrypted: Val::Known(false),
                key: Val::Known(KeyRef::AwsOwned),
                transit: j::transit(enabled, Val::Known(None)),
            });
        }
        "aws_elasticache_serverless_cache" => {
            m.inv.cache_clusters.push(CacheCluster {
                rid,
                kind: CacheKind::Serverless,
                engine: j::engine(text(p, rid, "engine")?),
                at_rest_encrypted: Val::Known(true),
                key: key(p, rid),
                transit: Val::Known(TransitMode::Required),
            });
        }
        "aws_redshift_cluster" => {
            let restored = !omitted(p.get("snapshot_identifier"), rid, "snapshot_identifier");
            let default = if restored {
                Val::unknown(
                    "the cluster is restored from the snapshot named by snapshot_identifier, whose encryption the plan does not show",
                )
            } else {
                Val::Known(true)
            };
            let encrypted = flag(p, rid, "encrypted", default)?;
            let attr = "cluster_parameter_group_name";
            let named = (!omitted(p.get(attr), rid, attr))
                .then(|| link_to(p, attr, rid, &["aws_redshift_parameter_group"]));
            let (parameter_group, require_ssl) =
                j::cluster_group(named, &j::groups(m.est, &GROUPS)?);
            m.inv.warehouses.push(Warehouse {
                rid,
                serverless: false,
                encrypted,
                key: key(p, rid),
                parameter_group,
                require_ssl,
                publicly_accessible: flag(
                    p,
                    rid,
                    "publicly_accessible",
                    Val::unknown("publicly_accessible is left to the provider's default"),
                )?,
            });
        }
        "aws_redshiftserverless_namespace" => {
            let w = j::serverless_namespace(rid, key(p, rid));
            m.inv.warehouses.push(w);
        }
        // Parameter groups are read with the clusters that name them.
        _ => {}
    }
    Ok(())
}

/// How a configuration spells a Redshift parameter group (`parameter` blocks).
const GROUPS: GroupSpelling = GroupSpelling {
    ty: "aws_redshift_parameter_group",
    name: "name",
    parameters: "parameter",
    parameter_name: "name",
    parameter_value: "value",
    missing_label: "parameter ",
};
