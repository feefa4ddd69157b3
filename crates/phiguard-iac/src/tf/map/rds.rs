//! `aws_db_instance`, `aws_rds_cluster` and `aws_rds_cluster_instance`, and
//! their parameter groups (`aws_db_parameter_group`,
//! `aws_rds_cluster_parameter_group`).

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::rds as j;
use phiguard_model::{Credential, Database, KeyRef, Link, Val};
use std::collections::BTreeMap;

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_rds_cluster_instance",
        "aws_db_parameter_group",
        "aws_rds_cluster_parameter_group",
    ],
    map,
    finish: j::finish,
};

/// `aws_db_parameter_group` / `aws_rds_cluster_parameter_group`: `name`,
/// `family`, and its `parameter` blocks.
fn parameter_group<'a>(m: &mut Mapper<'a>, r: &'a EvalRes, cluster: bool) -> R<()> {
    let p = m.props(r);
    let name = if omitted(p.get("name"), r.rid, "name") {
        Val::unknown("the group is named by Terraform (name_prefix or a generated name)")
    } else {
        p.get("name").str_opt()?.and_then(|n| match n {
            Some(n) => Val::Known(n.to_ascii_lowercase()),
            None => Val::unknown("no name is set"),
        })
    };
    j::parameter_group(m.inv, r.rid, cluster, name, p.get("family"), || {
        parameters(p)
    })
}

/// The parameters a group sets, by name.
fn parameters(p: P) -> R<Val<BTreeMap<String, Val<String>>>> {
    Ok(match p.get("parameter").list()? {
        Val::Known(items) => {
            let mut out = BTreeMap::new();
            let mut unknown = None;
            for i in items {
                match i.get("name").str_opt()? {
                    Val::Known(Some(n)) => {
                        let v = i.get("value").str_opt()?.and_then(|v| match v {
                            Some(v) => Val::Known(v),
                            None => Val::unknown(format!("parameter {n} has no value")),
                        });
                        out.insert(n, v);
                    }
                    Val::Known(None) => {}
                    Val::Unknown(why) => {
                        unknown.get_or_insert(why);
                    }
                }
            }
            match unknown {
                // A parameter whose name is known only after apply may be any of them.
                Some(why) => Val::Unknown(why),
                None => Val::Known(out),
            }
        }
        Val::Unknown(why) => Val::Unknown(why),
    })
}

/// The `aws_rds_cluster` of the same configuration whose identifier is `id`.
fn cluster_named(p: P, r: &EvalRes, id: &str) -> Option<phiguard_model::Rid> {
    p.est
        .resources
        .iter()
        .filter(|c| c.unit == r.unit && c.ty == "aws_rds_cluster")
        .find(|c| {
            let cp = p.est.props(c);
            ["id", "cluster_identifier"].iter().any(|a| {
                cp.get(a)
                    .v
                    .and_then(|v| v.as_lit())
                    .is_some_and(|v| v.eq_ignore_ascii_case(id))
            })
        })
        .map(|c| c.rid)
}

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
    match r.ty.as_str() {
        "aws_db_parameter_group" => return parameter_group(m, r, false),
        "aws_rds_cluster_parameter_group" => return parameter_group(m, r, true),
        _ => {}
    }
    let p = m.props(r);
    let is_cluster = r.ty == "aws_rds_cluster";
    let member = r.ty == "aws_rds_cluster_instance"
        || (!is_cluster && !omitted(p.get("cluster_identifier"), r.rid, "cluster_identifier"));
    let cluster = if member {
        Some(
            match link_to(p, "cluster_identifier", r.rid, &["aws_rds_cluster"]) {
                // A state records the cluster's identifier, not the reference.
                Val::Known(Link::External(id)) => match cluster_named(p, r, &id) {
                    Some(c) => Link::Resource(c),
                    None => Link::External(id),
                },
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
    } else if is_cluster && j::serverless_v1(p.get("engine_mode"))? {
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
    let engine = p.get("engine").str_opt()?.and_then(|e| match e {
        Some(e) => Val::Known(e),
        None => Val::unknown("no engine is set"),
    });
    let a = availability(p, r, is_cluster, member, &engine)?;
    m.inv.databases.push(Database {
        rid: r.rid,
        is_cluster,
        engine,
        cluster,
        storage_encrypted,
        key,
        master_password,
        engine_version: if omitted(p.get("engine_version"), r.rid, "engine_version") {
            Val::Known(None)
        } else {
            p.get("engine_version").str_opt()?
        },
        publicly_accessible: a.publicly_accessible,
        deletion_protection: a.deletion_protection,
        multi_az: a.multi_az,
        availability_zone: a.availability_zone,
        backup_retention_days: a.backup_retention_days,
        parameter_group: a.parameter_group,
        read_replica: a.read_replica,
        port: super::db_port::port(p, r),
    });
    Ok(())
}

fn availability(
    p: P,
    r: &EvalRes,
    is_cluster: bool,
    member: bool,
    engine: &Val<String>,
) -> R<j::Availability> {
    let rid = r.rid;
    let left_out = |k: &str| omitted(p.get(k), rid, k);
    let set =
        |k: &str| !left_out(k) && !matches!(p.get(k).list(), Ok(Val::Known(l)) if l.is_empty());
    let is_aurora = engine.as_ref().map(|e| j::aurora(e));
    // aws_db_instance and aws_rds_cluster_instance default publicly_accessible
    // to false and send it; aws_rds_cluster (Multi-AZ DB clusters only) sends
    // nothing when it is left out, and RDS then decides by the VPC.
    let publicly_accessible = match (is_cluster, &is_aurora) {
        (true, Val::Known(true)) => Val::Known(None),
        (true, Val::Unknown(why)) if left_out("publicly_accessible") => Val::Unknown(why.clone()),
        (true, _) if left_out("publicly_accessible") => Val::unknown(
            "publicly_accessible is not set: RDS then makes the Multi-AZ DB cluster public when the VPC of its subnets has an internet gateway, which the code does not tell; set it to false",
        ),
        _ if left_out("publicly_accessible") => Val::Known(Some(false)),
        _ => p.get("publicly_accessible").bool_or(false)?.map(Some),
    };
    let flag = |k: &str, default: bool| -> R<Val<bool>> {
        if left_out(k) {
            Ok(Val::Known(default))
        } else {
            p.get(k).bool_or(default)
        }
    };
    let deletion_protection = if member {
        j::from_cluster("deletion protection")
    } else {
        flag("deletion_protection", false)?
    };
    let multi_az = j::multi_az(member, is_cluster, is_aurora, p.get("engine_mode"), || {
        flag("multi_az", false)
    })?;
    let availability_zone = if is_cluster || left_out("availability_zone") {
        Val::Known(None)
    } else {
        p.get("availability_zone").str_opt()?
    };
    // A restore keeps its source's retention period unless one is set.
    let restored = set("snapshot_identifier") || set("restore_to_point_in_time");
    let read_replica = if is_cluster {
        set("replication_source_identifier")
    } else {
        !member && set("replicate_source_db")
    };
    let backup_retention_days = if member {
        j::from_cluster("its backup retention")
    } else if left_out("backup_retention_period") {
        if restored {
            Val::unknown(
                "backup_retention_period is not set: a restored database keeps its source's retention period, which the code does not show",
            )
        } else {
            // Not sent when left out: the RDS API's default, one day.
            Val::Known(1)
        }
    } else {
        p.get("backup_retention_period")
            .u32_opt()?
            .map(|n| n.unwrap_or(1))
    };
    let (attr, kind) = if is_cluster {
        (
            "db_cluster_parameter_group_name",
            "aws_rds_cluster_parameter_group",
        )
    } else if r.ty == "aws_rds_cluster_instance" {
        ("db_parameter_group_name", "aws_db_parameter_group")
    } else {
        ("parameter_group_name", "aws_db_parameter_group")
    };
    let parameter_group = if left_out(attr) {
        Val::Known(None)
    } else {
        link_to(p, attr, rid, &[kind]).map(Some)
    };
    Ok(j::Availability {
        publicly_accessible,
        deletion_protection,
        multi_az,
        availability_zone,
        backup_retention_days,
        parameter_group,
        read_replica: Val::Known(read_replica),
    })
}
