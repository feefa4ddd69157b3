//! `aws_cloudtrail`: where the trail delivers, for the retention rules.

use super::{key_opt, link_to};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::R;
use phiguard_model::{Link, Trail, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_cloudtrail"],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let (management_events, s3_data, dynamodb_data) = super::trail_selectors::selectors(p, r.rid)?;
    let bucket = link_to(p, "s3_bucket_name", r.rid, &["aws_s3_bucket"]);
    let lg = p.get("cloud_watch_logs_group_arn");
    m.inv.trails.push(Trail {
        rid: r.rid,
        name: match p.get("name").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => return p.get("name").error("name is required"),
            Val::Unknown(r) => Val::Unknown(r),
        },
        organization: p.get("is_organization_trail").bool_or(false)?,
        multi_region: p.get("is_multi_region_trail").bool_or(false)?,
        global_events: p.get("include_global_service_events").bool_or(true)?,
        logging: p.get("enable_logging").bool_or(true)?,
        management_events,
        s3_data,
        dynamodb_data,
        log_validation: p.get("enable_log_file_validation").bool_or(false)?,
        key: key_opt(p, "kms_key_id"),
        bucket,
        log_group: if lg.is_absent() {
            Val::Known(None)
        } else {
            link_to(
                p,
                "cloud_watch_logs_group_arn",
                r.rid,
                &["aws_cloudwatch_log_group"],
            )
            .map(Some)
        },
        delivery_error: Val::unknown("delivery status is known only in the live account"),
    });
    Ok(())
}

/// A written bucket name becomes a link to the estate's bucket of that name;
/// a written log group ARN, to the estate's log group of that name.
fn finish(m: &mut Mapper) {
    for i in 0..m.inv.trails.len() {
        if m.est.get(m.inv.trails[i].rid).is_some() {
            if let Val::Known(Some(l)) = m.inv.trails[i].log_group.clone() {
                m.inv.trails[i].log_group =
                    crate::joins::logs::log_group_link(m.inv, Val::Known(l)).map(Some);
            }
        }
        if let Val::Known(Link::External(name)) = &m.inv.trails[i].bucket {
            if let Some(b) = m
                .inv
                .buckets
                .iter()
                .find(|b| b.name.known().is_some_and(|n| n == name))
            {
                m.inv.trails[i].bucket = Val::Known(Link::Resource(b.rid));
            }
        }
    }
}
