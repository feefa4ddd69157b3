//! `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use phiguard_model::{DynamoTable, KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"],
    map,
    finish: no_finish,
};

/// Whether `SSESpecification.SSEEnabled` is on. Omitted (or false), DynamoDB
/// encrypts with an AWS-owned key; on, with KMS (`SSEType` can only be `KMS`).
fn sse_enabled(p: P) -> R<Val<bool>> {
    p.get("SSESpecification").get("SSEEnabled").bool_or(false)
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let key = match sse_enabled(p)? {
        Val::Unknown(reason) => Val::Unknown(reason),
        Val::Known(false) => Val::Known(KeyRef::AwsOwned),
        Val::Known(true) if r.ty == "AWS::DynamoDB::Table" => p
            .get("SSESpecification")
            .get("KMSMasterKeyId")
            .key_ref("aws/dynamodb"),
        Val::Known(true) => global_table_key(p)?,
    };
    m.inv.dynamo_tables.push(DynamoTable { rid: r.rid, key });
    Ok(())
}

/// A global table names its key per replica (`Replicas[].SSESpecification.KMSMasterKeyId`);
/// a replica without one uses `aws/dynamodb`. The model holds one key per
/// table: the first replica without a key if any (the weakest), else the first
/// replica's key.
fn global_table_key(p: P) -> R<Val<KeyRef>> {
    let replicas = match p.get("Replicas").list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let keys: Vec<Val<KeyRef>> = replicas
        .iter()
        .map(|rep| {
            rep.get("SSESpecification")
                .get("KMSMasterKeyId")
                .key_ref("aws/dynamodb")
        })
        .collect();
    if let Some(k) = keys
        .iter()
        .find(|k| matches!(k, Val::Known(KeyRef::AwsManaged(_))))
    {
        return Ok(k.clone());
    }
    if let Some(k) = keys.iter().find(|k| !k.is_known()) {
        return Ok(k.clone());
    }
    Ok(keys
        .into_iter()
        .next()
        .unwrap_or(Val::Known(KeyRef::AwsManaged("aws/dynamodb".into()))))
}
