//! `AWS::RDS::DBInstance`, `AWS::RDS::DBCluster`, and their parameter
//! groups (`AWS::RDS::DBParameterGroup`, `AWS::RDS::DBClusterParameterGroup`).

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::rds::{self as j, NTH_ZONE};
use crate::yaml::{Node, NodeKind, Scalar};
use phiguard_model::{CodeValue, Credential, Database, KeyRef, Val};
use std::collections::BTreeMap;

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBParameterGroup",
        "AWS::RDS::DBClusterParameterGroup",
    ],
    map,
    finish: j::finish,
};

/// RDS's default when `PubliclyAccessible` is left out depends on the VPC
/// (CreateDBInstance / CreateDBCluster API reference): public when the
/// subnets' VPC, or the default VPC without a subnet group, has an internet
/// gateway attached.
pub const PUBLIC_BY_VPC: &str = "PubliclyAccessible is not set: RDS then makes the database public when the VPC of its subnets (the default VPC when no DB subnet group is named) has an internet gateway, which the code does not tell; set it to false";

/// `AWS::RDS::DBParameterGroup` / `AWS::RDS::DBClusterParameterGroup`.
fn parameter_group<'a>(m: &mut Mapper<'a>, r: &'a EvalRes, cluster: bool) -> R<()> {
    let p = m.props(r);
    let name_prop = if cluster {
        "DBClusterParameterGroupName"
    } else {
        "DBParameterGroupName"
    };
    let name = p.get(name_prop).str_opt()?.and_then(|n| match n {
        Some(n) => Val::Known(n.to_ascii_lowercase()),
        None => Val::unknown(format!(
            "no {name_prop} is set: CloudFormation names the group"
        )),
    });
    j::parameter_group(m.inv, r.rid, cluster, name, p.get("Family"), || {
        parameters(p)
    })
}

/// The parameters a group sets, by name.
fn parameters(p: P) -> R<Val<BTreeMap<String, Val<String>>>> {
    let params = p.get("Parameters");
    Ok(match params.v {
        None | Some(Value::Null) | Some(Value::NoValue) => Val::Known(BTreeMap::new()),
        Some(Value::Map(entries)) => {
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let val = match v {
                    Value::Str(s) | Value::Num(s) => Val::Known(s.clone()),
                    Value::Bool(b) => Val::Known(b.to_string()),
                    Value::Null | Value::NoValue => continue,
                    _ => Val::unknown(format!("parameter {k} is known only at deploy time")),
                };
                out.insert(k.clone(), val);
            }
            Val::Known(out)
        }
        Some(_) => match params.unknown_reason() {
            Some(why) => Val::Unknown(why),
            None => return params.error("expected a mapping of parameter names to values"),
        },
    })
}

/// The KMS key a property names, `aws_default` when absent. An ARN built with
/// `!Sub` from pseudo parameters only (`arn:${AWS::Partition}:kms:...:alias/aws/rds`)
/// still names an AWS-managed alias.
pub fn key(p: P, aws_default: &str) -> Val<KeyRef> {
    if let Some(Value::Expr(s, refs)) = p.v
        && refs.is_empty()
        && let Some((_, alias)) = s.rsplit_once(":alias/")
        && alias.starts_with("aws/")
    {
        return Val::Known(KeyRef::AwsManaged(alias.to_string()));
    }
    p.key_ref(aws_default)
}

/// Is a string a CloudFormation dynamic reference to a secret store?
pub fn dynamic_reference(s: &str) -> bool {
    s.contains("{{resolve:secretsmanager:") || s.contains("{{resolve:ssm-secure:")
}

/// The parameter a raw property node names with `!Ref` / `{Ref: ...}`.
fn ref_param(m: &Mapper, r: &EvalRes, prop: &str) -> Option<(String, bool)> {
    let n = r.node.as_ref()?.get(prop)?;
    let name = match (&n.tag, &n.kind) {
        (Some(t), NodeKind::Scalar(Scalar::Str(s))) if t == "Ref" => s.clone(),
        (None, NodeKind::Map(e)) if e.len() == 1 && e[0].0 == "Ref" => e[0].2.as_str()?.to_string(),
        _ => return None,
    };
    let unit = r.unit;
    // Parameters are in the inventory before any resource is mapped.
    let before = m.before();
    let cv: &CodeValue = before
        .code_values
        .iter()
        .find(|c| c.place == "Parameter" && c.name == name && before.meta(c.rid).unit == unit)?;
    Some((name, cv.no_echo.unwrap_or(false)))
}

fn master_password(m: &Mapper, r: &EvalRes, p: P) -> R<Val<Credential>> {
    match p.get("ManageMasterUserPassword").bool_or(false)? {
        Val::Known(true) => return Ok(Val::Known(Credential::Managed)),
        Val::Known(false) => {}
        Val::Unknown(why) => return Ok(Val::Unknown(why)),
    }
    let pw = p.get("MasterUserPassword");
    if pw.is_absent() {
        return Ok(Val::Known(Credential::Absent));
    }
    if let Some((name, no_echo)) = ref_param(m, r, "MasterUserPassword") {
        return Ok(Val::Known(Credential::Parameter { name, no_echo }));
    }
    if let Some(t) = pw.text().filter(|t| dynamic_reference(t)) {
        return Ok(Val::Known(Credential::SecretReference(t)));
    }
    Ok(match pw.v {
        Some(Value::Str(_)) | Some(Value::Num(_)) => Val::Known(Credential::Literal),
        _ => Val::Unknown(
            pw.unknown_reason()
                .unwrap_or_else(|| "MasterUserPassword is built at deploy time".into()),
        ),
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    match r.ty.as_str() {
        "AWS::RDS::DBParameterGroup" => return parameter_group(m, r, false),
        "AWS::RDS::DBClusterParameterGroup" => return parameter_group(m, r, true),
        _ => {}
    }
    let p = m.props(r);
    let is_cluster = r.ty == "AWS::RDS::DBCluster";
    let cluster = if is_cluster || p.get("DBClusterIdentifier").is_absent() {
        None
    } else {
        match p.get("DBClusterIdentifier").link() {
            Val::Known(l) => Some(l),
            Val::Unknown(why) => Some(phiguard_model::Link::External(why)),
        }
    };
    // StorageEncrypted defaults to false for instances and for Aurora
    // clusters; Aurora Serverless v1 (EngineMode serverless) is always
    // encrypted; a restore or a replica inherits its source's encryption.
    // A cluster joined to a global database takes the global cluster's setting.
    let inherited: &[&str] = if is_cluster {
        &[
            "SnapshotIdentifier",
            "SourceDBClusterIdentifier",
            "GlobalClusterIdentifier",
        ]
    } else {
        &[
            "DBSnapshotIdentifier",
            "SourceDBInstanceIdentifier",
            "SourceDBClusterIdentifier",
        ]
    };
    let storage_encrypted = if cluster.is_some() {
        Val::unknown("taken from the cluster")
    } else if is_cluster && j::serverless_v1(p.get("EngineMode"))? {
        Val::Known(true)
    } else if p.get("StorageEncrypted").is_absent()
        && let Some(src) = inherited.iter().find(|k| !p.get(k).is_absent())
    {
        Val::unknown(format!(
            "storage encryption is inherited from the source named by {src}, which the template does not show"
        ))
    } else {
        p.get("StorageEncrypted").bool_or(false)?
    };
    let master_password = if cluster.is_some() {
        Val::Known(Credential::Absent)
    } else {
        master_password(m, r, p)?
    };
    let engine = p.get("Engine").str_opt()?.and_then(|e| match e {
        Some(e) => Val::Known(e),
        None => Val::unknown("no Engine is set"),
    });
    let mut availability = availability(p, is_cluster, cluster.is_some(), &engine)?;
    if !availability.availability_zone.is_known()
        && let Some(zone) = nth_zone(r)
    {
        availability.availability_zone = Val::Known(Some(zone));
    }
    m.inv.databases.push(Database {
        rid: r.rid,
        is_cluster,
        engine,
        cluster,
        storage_encrypted,
        key: key(p.get("KmsKeyId"), "aws/rds"),
        master_password,
        engine_version: p.get("EngineVersion").str_opt()?,
        publicly_accessible: availability.publicly_accessible,
        deletion_protection: availability.deletion_protection,
        multi_az: availability.multi_az,
        availability_zone: availability.availability_zone,
        backup_retention_days: availability.backup_retention_days,
        parameter_group: availability.parameter_group,
        read_replica: availability.read_replica,
        port: super::db_port::port(p, r),
    });
    Ok(())
}

/// An intrinsic's argument: `!Name arg` or `{"Fn::Name": arg}`.
fn intrinsic(n: &Node, name: &str) -> Option<Node> {
    if n.tag.as_deref() == Some(name) {
        return Some(Node {
            tag: None,
            ..n.clone()
        });
    }
    match &n.kind {
        NodeKind::Map(e) if e.len() == 1 && e[0].0 == format!("Fn::{name}") => Some(e[0].2.clone()),
        _ => None,
    }
}

/// `AvailabilityZone: !Select [n, !GetAZs ""]` (or `!GetAZs` of
/// `AWS::Region`): the n-th zone of the stack's region, known by name only at
/// deploy time. `Fn::GetAZs` lists distinct zones, so different indices are
/// different zones, which is all the Multi-AZ judgement needs.
fn nth_zone(r: &EvalRes) -> Option<String> {
    let args = intrinsic(r.node.as_ref()?.get("AvailabilityZone")?, "Select")?;
    let NodeKind::Seq(items) = &args.kind else {
        return None;
    };
    let [idx, list] = items.as_slice() else {
        return None;
    };
    let i: usize = idx.as_str()?.trim().parse().ok()?;
    let region = intrinsic(list, "GetAZs")?;
    let this_region = match &region.kind {
        NodeKind::Scalar(Scalar::Str(s)) if region.tag.is_none() => s.is_empty(),
        NodeKind::Scalar(Scalar::Str(s)) => {
            region.tag.as_deref() == Some("Ref") && s == "AWS::Region"
        }
        NodeKind::Map(_) => region.get("Ref").and_then(|v| v.as_str()) == Some("AWS::Region"),
        _ => false,
    };
    this_region.then(|| format!("{NTH_ZONE}{i}"))
}

fn availability(p: P, is_cluster: bool, member: bool, engine: &Val<String>) -> R<j::Availability> {
    let set = |k: &str| !p.get(k).is_absent();
    let is_aurora = engine.as_ref().map(|e| j::aurora(e));
    let pa = p.get("PubliclyAccessible");
    let publicly_accessible = match (is_cluster, &is_aurora) {
        // An Aurora cluster has no such setting: each instance has its own.
        (true, Val::Known(true)) => Val::Known(None),
        _ if pa.is_absent() => match (is_cluster, &is_aurora) {
            (true, Val::Unknown(why)) => Val::Unknown(why.clone()),
            _ => Val::unknown(PUBLIC_BY_VPC),
        },
        _ => pa.bool_or(false)?.map(Some),
    };
    let deletion_protection = if member {
        j::from_cluster("deletion protection")
    } else {
        p.get("DeletionProtection").bool_or(false)?
    };
    let multi_az = j::multi_az(member, is_cluster, is_aurora, p.get("EngineMode"), || {
        p.get("MultiAZ").bool_or(false)
    })?;
    let availability_zone = if is_cluster {
        Val::Known(None)
    } else {
        p.get("AvailabilityZone").str_opt()?
    };
    // A restore inherits the retention period of its source (RDS user guide,
    // "Backup retention period"); a new database keeps backups one day.
    let restored = if is_cluster {
        set("SnapshotIdentifier") || set("SourceDBClusterIdentifier")
    } else {
        set("DBSnapshotIdentifier")
            || set("SourceDbiResourceId")
            || set("SourceDBInstanceAutomatedBackupsArn")
            || set("RestoreTime")
            || set("UseLatestRestorableTime")
    };
    let read_replica = if is_cluster {
        set("ReplicationSourceIdentifier")
    } else {
        (set("SourceDBInstanceIdentifier") || set("SourceDBClusterIdentifier")) && !restored
    };
    let retention = p.get("BackupRetentionPeriod");
    let backup_retention_days = if member {
        j::from_cluster("its backup retention")
    } else {
        match retention.u32_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) if restored => Val::unknown(
                "BackupRetentionPeriod is not set: a restored database keeps its source's retention period, which the template does not show",
            ),
            Val::Known(None) => Val::Known(1),
            Val::Unknown(why) => Val::Unknown(why),
        }
    };
    let group = p.get(if is_cluster {
        "DBClusterParameterGroupName"
    } else {
        "DBParameterGroupName"
    });
    let parameter_group = if group.is_absent() {
        Val::Known(None)
    } else {
        group.link().map(Some)
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
