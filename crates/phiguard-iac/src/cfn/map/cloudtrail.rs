//! `AWS::CloudTrail::Trail`: scope, event selectors, integrity, delivery.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::logs::{bucket_link, log_group_link};
use crate::joins::trail;
use phiguard_model::selectors::Acc;
use phiguard_model::{Trail, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::CloudTrail::Trail"],
    map,
    finish,
};

/// Basic `EventSelectors` (`ReadWriteType` defaults to `All`,
/// `IncludeManagementEvents` to true).
fn basic(sels: Vec<P>, acc: &mut Acc) -> R<Result<(), String>> {
    for s in sels {
        let read_write = match s.get("ReadWriteType").str_or("All")? {
            Val::Known(v) => v,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        let management = match s.get("IncludeManagementEvents").bool_or(true)? {
            Val::Known(b) => b,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        let drs = match s.get("DataResources").list()? {
            Val::Known(d) => d,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        let mut data = Vec::new();
        for d in drs {
            let ty = match d.get("Type").str_opt()? {
                Val::Known(Some(t)) => t,
                Val::Known(None) => return d.error("a data resource needs a Type"),
                Val::Unknown(r) => return Ok(Err(r)),
            };
            let values: Vec<String> = match d.get("Values").list()? {
                Val::Known(vs) => vs.iter().filter_map(|v| v.text()).collect(),
                Val::Unknown(r) => return Ok(Err(r)),
            };
            data.push((ty, values));
        }
        trail::basic(
            acc,
            trail::Basic {
                read_write,
                management,
                data,
            },
        );
    }
    Ok(Ok(()))
}

/// `AdvancedEventSelectors`: their `FieldSelectors`.
fn advanced(sels: Vec<P>, acc: &mut Acc) -> R<Result<(), String>> {
    let texts = |p: P| -> R<Result<Vec<String>, String>> {
        Ok(match p.strings()? {
            Val::Known(v) => Ok(v),
            Val::Unknown(r) => Err(r),
        })
    };
    trail::read_advanced(
        sels,
        acc,
        &trail::Spelling {
            field_selectors: "FieldSelectors",
            field: "Field",
            equals: "Equals",
            not_equals: "NotEquals",
            starts_with: "StartsWith",
            exclusions: ["NotStartsWith", "EndsWith", "NotEndsWith"],
        },
        &texts,
    )
}

fn selectors(p: P) -> R<trail::Selected> {
    let basic_sel = p.get("EventSelectors");
    let adv_sel = p.get("AdvancedEventSelectors");
    if basic_sel.is_absent() && adv_sel.is_absent() {
        return Ok(trail::no_selectors());
    }
    let mut acc = Acc::default();
    let res = if !adv_sel.is_absent() {
        match adv_sel.list()? {
            Val::Known(s) => advanced(s, &mut acc)?,
            Val::Unknown(r) => Err(r),
        }
    } else {
        match basic_sel.list()? {
            Val::Known(s) => basic(s, &mut acc)?,
            Val::Unknown(r) => Err(r),
        }
    };
    Ok(trail::selected(acc, res))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    if p.get("IsLogging").is_absent() {
        return p.get("IsLogging").error("IsLogging is required");
    }
    if p.get("S3BucketName").is_absent() {
        return p.get("S3BucketName").error("S3BucketName is required");
    }
    let (management_events, s3_data, dynamodb_data) = selectors(p)?;
    let lg = p.get("CloudWatchLogsLogGroupArn");
    m.inv.trails.push(Trail {
        rid: r.rid,
        name: match p.get("TrailName").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => Val::unknown("the trail name is generated at deploy time"),
            Val::Unknown(r) => Val::Unknown(r),
        },
        organization: p.get("IsOrganizationTrail").bool_or(false)?,
        multi_region: p.get("IsMultiRegionTrail").bool_or(false)?,
        global_events: p.get("IncludeGlobalServiceEvents").bool_or(true)?,
        logging: p.get("IsLogging").bool_or(false)?,
        management_events,
        s3_data,
        dynamodb_data,
        log_validation: p.get("EnableLogFileValidation").bool_or(false)?,
        key: p.get("KMSKeyId").key_opt(),
        bucket: p.get("S3BucketName").link(),
        log_group: if lg.is_absent() {
            Val::Known(None)
        } else {
            lg.link().map(Some)
        },
        delivery_error: Val::unknown("delivery status is known only in the live account"),
    });
    Ok(())
}

/// Written bucket names and log group ARNs become links to the estate's
/// resources of that name.
fn finish(m: &mut Mapper) {
    for i in 0..m.inv.trails.len() {
        let bucket = bucket_link(m.inv, m.inv.trails[i].bucket.clone());
        let lg = match m.inv.trails[i].log_group.clone() {
            Val::Known(Some(l)) => log_group_link(m.inv, Val::Known(l)).map(Some),
            other => other,
        };
        m.inv.trails[i].bucket = bucket;
        m.inv.trails[i].log_group = lg;
    }
}
