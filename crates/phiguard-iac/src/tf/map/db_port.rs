//! The port of an `aws_db_instance`, `aws_rds_cluster` or
//! `aws_rds_cluster_instance`.

use super::omitted;
use crate::cfn::estate::EvalRes;
use crate::cfn::props::P;
use crate::joins::ports::db_port;
use phiguard_model::Val;

/// `port`; left out (the provider computes it), the engine's default, or
/// the source's port for a restore or a replica. An instance of a cluster
/// takes the cluster's.
pub fn port(p: P, r: &EvalRes) -> Val<Option<u16>> {
    let is_cluster = r.ty == "aws_rds_cluster";
    let set = |k: &&str| {
        !omitted(p.get(k), r.rid, k)
            && !matches!(p.get(k).list(), Ok(Val::Known(l)) if l.is_empty())
    };
    let member = r.ty == "aws_rds_cluster_instance" || (!is_cluster && set(&"cluster_identifier"));
    let inherited: &[&str] = if is_cluster {
        &["snapshot_identifier", "restore_to_point_in_time"]
    } else {
        &[
            "snapshot_identifier",
            "replicate_source_db",
            "restore_to_point_in_time",
        ]
    };
    let engine = match p.get("engine").str_opt() {
        Ok(Val::Known(Some(e))) => Val::Known(e),
        Ok(Val::Known(None)) => Val::unknown("no engine is set"),
        Ok(Val::Unknown(why)) => Val::Unknown(why),
        Err(e) => Val::Unknown(e.message),
    };
    let written = if omitted(p.get("port"), r.rid, "port") {
        Val::Known(None)
    } else {
        p.get("port")
            .u32_opt()
            .unwrap_or_else(|e| Val::Unknown(e.message))
    };
    let src = inherited.iter().find(|k| set(k)).copied();
    db_port(member, written, &engine, src)
}
