//! `AWS::Logs::LogGroup`, and how other resources name a log group or bucket.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{Link, LogGroup, Val};

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

/// The log group name in a written name or ARN
/// (`arn:aws:logs:us-east-1:111122223333:log-group:/aws/flow:*`).
fn log_group_name(s: &str) -> &str {
    match s.split_once(":log-group:") {
        Some((_, rest)) => rest.strip_suffix(":*").unwrap_or(rest),
        None => s,
    }
}

/// A link to a log group: a resource of the estate stays as it is; a written
/// name or ARN becomes the estate's log group of that literal name, if any.
pub fn log_group_link(m: &Mapper, link: Val<Link>) -> Val<Link> {
    match link {
        Val::Known(Link::External(s)) => {
            let name = log_group_name(&s);
            match m
                .inv
                .log_groups
                .iter()
                .find(|g| g.name.known().is_some_and(|n| n == name))
            {
                Some(g) => Val::Known(Link::Resource(g.rid)),
                None => Val::Known(Link::External(s)),
            }
        }
        other => other,
    }
}

/// The bucket name in a written name or ARN (`arn:aws:s3:::logs-bucket/flow/`).
fn bucket_name(s: &str) -> &str {
    let s = s.strip_prefix("arn:aws:s3:::").unwrap_or(s);
    s.split('/').next().unwrap_or(s)
}

/// A link to a bucket: a resource of the estate stays as it is; a written
/// name or ARN becomes the estate's bucket of that literal name, if any.
pub fn bucket_link(m: &Mapper, link: Val<Link>) -> Val<Link> {
    match link {
        Val::Known(Link::External(s)) => {
            let name = bucket_name(&s);
            match m
                .inv
                .buckets
                .iter()
                .find(|b| b.name.known().is_some_and(|n| n == name))
            {
                Some(b) => Val::Known(Link::Resource(b.rid)),
                None => Val::Known(Link::External(s)),
            }
        }
        other => other,
    }
}
