//! `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::yaml::{NodeKind, Scalar};
use phiguard_model::{CodeValue, Credential, Database, KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"],
    map,
    finish: no_finish,
};

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
    let cv: &CodeValue = m
        .inv
        .code_values
        .iter()
        .find(|c| c.place == "Parameter" && c.name == name && m.inv.meta(c.rid).unit == unit)?;
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
    } else if is_cluster
        && p.get("EngineMode")
            .str_opt()?
            .known()
            .is_some_and(|m| m.as_deref() == Some("serverless"))
    {
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
    m.inv.databases.push(Database {
        rid: r.rid,
        is_cluster,
        engine: p.get("Engine").str_opt()?.and_then(|e| match e {
            Some(e) => Val::Known(e),
            None => Val::unknown("no Engine is set"),
        }),
        cluster,
        storage_encrypted,
        key: key(p.get("KmsKeyId"), "aws/rds"),
        master_password,
        port: super::db_port::port(p, r),
    });
    Ok(())
}
