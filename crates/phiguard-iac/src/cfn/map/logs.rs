//! `AWS::Logs::LogGroup`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{LogGroup, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::Logs::LogGroup"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    m.inv.log_groups.push(LogGroup {
        rid: r.rid,
        name: match p.get("LogGroupName").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => Val::unknown("the log group name is generated at deploy time"),
            Val::Unknown(r) => Val::Unknown(r),
        },
        // No KmsKeyId: the log group is encrypted by CloudWatch Logs' own
        // service keys, not a KMS key of the account.
        key: p.get("KmsKeyId").key_opt(),
        // No RetentionInDays: the events never expire.
        retention_days: p.get("RetentionInDays").u32_opt()?,
    });
    Ok(())
}
