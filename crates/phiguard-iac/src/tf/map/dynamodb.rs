//! `aws_dynamodb_table`.

use super::{block, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{DynamoTable, KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_dynamodb_table"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // Without `server_side_encryption { enabled = true }` DynamoDB encrypts
    // with an AWS-owned key; enabled without `kms_key_arn`, with `aws/dynamodb`.
    let key = match block(p, "server_side_encryption")? {
        Val::Unknown(why) => Val::Unknown(why),
        Val::Known(None) => Val::Known(KeyRef::AwsOwned),
        Val::Known(Some(sse)) => match sse.get("enabled").bool_or(false)? {
            Val::Unknown(why) => Val::Unknown(why),
            Val::Known(false) => Val::Known(KeyRef::AwsOwned),
            Val::Known(true) => {
                let k = sse.get("kms_key_arn");
                if omitted(k, r.rid, "server_side_encryption.kms_key_arn") {
                    Val::Known(KeyRef::AwsManaged("aws/dynamodb".into()))
                } else {
                    k.key_ref("aws/dynamodb")
                }
            }
        },
    };
    m.inv.dynamo_tables.push(DynamoTable { rid: r.rid, key });
    Ok(())
}
