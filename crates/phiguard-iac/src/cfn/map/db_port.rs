//! The port of an `AWS::RDS::DBInstance` or `AWS::RDS::DBCluster`.

use crate::cfn::estate::EvalRes;
use crate::cfn::props::P;
use crate::joins::ports::db_port;
use phiguard_model::Val;

/// `Port`; without it, the engine's default, or the source's port for a
/// restore or a replica. An instance of a cluster takes the cluster's.
pub fn port(p: P, r: &EvalRes) -> Val<Option<u16>> {
    let is_cluster = r.ty == "AWS::RDS::DBCluster";
    let member = !is_cluster && !p.get("DBClusterIdentifier").is_absent();
    let inherited: &[&str] = if is_cluster {
        &["SnapshotIdentifier", "SourceDBClusterIdentifier"]
    } else {
        &[
            "DBSnapshotIdentifier",
            "SourceDBInstanceIdentifier",
            "SourceDBClusterIdentifier",
            "SourceDBInstanceAutomatedBackupsArn",
        ]
    };
    let engine = match p.get("Engine").str_opt() {
        Ok(Val::Known(Some(e))) => Val::Known(e),
        Ok(Val::Known(None)) => Val::unknown("no Engine is set"),
        Ok(Val::Unknown(why)) => Val::Unknown(why),
        Err(e) => Val::Unknown(e.message),
    };
    let written = p
        .get("Port")
        .u32_opt()
        .unwrap_or_else(|e| Val::Unknown(e.message));
    let src = inherited.iter().find(|k| !p.get(k).is_absent()).copied();
    db_port(member, written, &engine, src)
}
