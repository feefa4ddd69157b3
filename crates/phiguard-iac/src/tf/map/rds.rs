//! `aws_db_instance`, `aws_rds_cluster` and `aws_rds_cluster_instance`.

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
use phiguard_model::{Credential, Database, KeyRef, Link, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_rds_cluster_instance",
    ],
    map,
    finish: no_finish,
};

/// Where the master password comes from. Terraform's password attributes are
/// sensitive: phiguard never reads them, so a set password is unknown.
fn master_password(p: P, rid: phiguard_model::Rid, attr: &str) -> R<Val<Credential>> {
    match p.get("manage_master_user_password").bool_or(false)? {
        Val::Known(true) => return Ok(Val::Known(Credential::Managed)),
        Val::Known(false) => {}
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    }
    if omitted(p.get(attr), rid, attr) {
        return Ok(Val::Known(Credential::Absent));
    }
    // How the configuration writes it (the value itself is never read): a
    // literal, or a root module variable; a module's variable, a local or a
    // data source cannot be told apart from a secret store here.
    if let Some(e) = p.est.expr(rid, attr) {
        if e.constant {
            return Ok(Val::Known(Credential::Literal));
        }
        if let [var] = e.references.as_slice() {
            let is_root = p
                .est
                .get(rid)
                .is_some_and(|r| !r.logical_id.starts_with("module."));
            if is_root && var.starts_with("var.") && var.matches('.').count() == 1 {
                return Ok(Val::Known(Credential::Parameter {
                    name: var.clone(),
                    no_echo: true,
                }));
            }
        }
    }
    Ok(Val::unknown(format!(
        "{attr} is set in Terraform; whether it is a literal or comes from a secret store is not told by the plan (use manage_master_user_password)"
    )))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let is_cluster = r.ty == "aws_rds_cluster";
    let member = r.ty == "aws_rds_cluster_instance"
        || (!is_cluster && !omitted(p.get("cluster_identifier"), r.rid, "cluster_identifier"));
    let cluster = if member {
        Some(
            match link_to(p, "cluster_identifier", r.rid, &["aws_rds_cluster"]) {
                Val::Known(l) => l,
                Val::Unknown(why) => Link::External(why),
            },
        )
    } else {
        None
    };
    // storage_encrypted defaults to false (true for Aurora Serverless v1,
    // engine_mode "serverless"); a restore or a replica inherits its source's
    // encryption, and a global cluster member the global cluster's.
    let inherited: &[&str] = if is_cluster {
        &[
            "snapshot_identifier",
            "replication_source_identifier",
            "global_cluster_identifier",
            "restore_to_point_in_time",
            "s3_import",
        ]
    } else {
        &[
            "snapshot_identifier",
            "replicate_source_db",
            "restore_to_point_in_time",
            "s3_import",
        ]
    };
    let set = |k: &&str| {
        !omitted(p.get(k), r.rid, k)
            && !matches!(p.get(k).list(), Ok(Val::Known(l)) if l.is_empty())
    };
    let storage_encrypted = if member {
        Val::unknown("taken from the cluster")
    } else if is_cluster
        && p.get("engine_mode")
            .str_opt()?
            .known()
            .is_some_and(|m| m.as_deref() == Some("serverless"))
    {
        Val::Known(true)
    } else if omitted(p.get("storage_encrypted"), r.rid, "storage_encrypted") {
        match inherited.iter().find(|k| set(k)) {
            Some(src) => Val::unknown(format!(
                "storage encryption is inherited from the source named by {src}, which the plan does not show"
            )),
            None => Val::Known(false),
        }
    } else {
        p.get("storage_encrypted").bool_or(false)?
    };
    // An encrypted database without kms_key_id uses aws/rds.
    let key = if omitted(p.get("kms_key_id"), r.rid, "kms_key_id") {
        Val::Known(KeyRef::AwsManaged("aws/rds".into()))
    } else {
        p.get("kms_key_id").key_ref("aws/rds")
    };
    let master_password = if member {
        Val::Known(Credential::Absent)
    } else if is_cluster {
        master_password(p, r.rid, "master_password")?
    } else {
        master_password(p, r.rid, "password")?
    };
    m.inv.databases.push(Database {
        rid: r.rid,
        is_cluster,
        engine: p.get("engine").str_opt()?.and_then(|e| match e {
            Some(e) => Val::Known(e),
            None => Val::unknown("no engine is set"),
        }),
        cluster,
        storage_encrypted,
        key,
        master_password,
        port: super::db_port::port(p, r),
    });
    Ok(())
}
