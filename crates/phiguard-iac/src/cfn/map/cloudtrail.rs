//! `AWS::CloudTrail::Trail`: scope, event selectors, integrity, delivery.

use super::logs::{bucket_link, log_group_link};
use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use phiguard_model::selectors::Acc;
use phiguard_model::{DataCoverage, ReadWrite, Trail, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::CloudTrail::Trail"],
    map,
    finish,
};

/// Basic `EventSelectors`. A data selector counts as full coverage only when
/// it records reads and writes (`ReadWriteType` defaults to `All`).
fn basic(sels: Vec<P>, acc: &mut Acc) -> R<Result<(), String>> {
    for s in sels {
        let rw = match s.get("ReadWriteType").str_or("All")? {
            Val::Known(v) => v,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        // IncludeManagementEvents defaults to true.
        match s.get("IncludeManagementEvents").bool_or(true)? {
            Val::Known(true) => acc.rw(&rw),
            Val::Known(false) => {}
            Val::Unknown(r) => return Ok(Err(r)),
        }
        let drs = match s.get("DataResources").list()? {
            Val::Known(d) => d,
            Val::Unknown(r) => return Ok(Err(r)),
        };
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
            acc.data_resources(&ty, &rw, values);
        }
    }
    Ok(Ok(()))
}

/// `AdvancedEventSelectors`: field selectors on `eventCategory`,
/// `resources.type`, `readOnly`, `resources.ARN`, ...
fn advanced(sels: Vec<P>, acc: &mut Acc) -> R<Result<(), String>> {
    for s in sels {
        let fields = match s.get("FieldSelectors").list()? {
            Val::Known(f) => f,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        let mut category = None;
        let mut rtype = None;
        let mut read_only = None;
        let mut arns: Vec<String> = Vec::new();
        let mut narrowed = false;
        for f in fields {
            let field = match f.get("Field").str_opt()? {
                Val::Known(Some(n)) => n,
                Val::Known(None) => return f.error("a field selector needs a Field"),
                Val::Unknown(r) => return Ok(Err(r)),
            };
            let equals = match f.get("Equals").strings()? {
                Val::Known(v) => v,
                Val::Unknown(r) => return Ok(Err(r)),
            };
            let not_equals = match f.get("NotEquals").strings()? {
                Val::Known(v) => v,
                Val::Unknown(r) => return Ok(Err(r)),
            };
            // `readOnly NotEquals true` keeps only writes, and the reverse.
            let negated_read_only = not_equals
                .first()
                .map(|v| if v == "true" { "false" } else { "true" }.to_string());
            match field.as_str() {
                "eventCategory" | "resources.type"
                    if !not_equals.is_empty() || equals.len() > 1 =>
                {
                    return Ok(Err(format!(
                        "an advanced event selector on {field} with several or excluded values"
                    )));
                }
                "eventCategory" => category = equals.first().cloned(),
                "resources.type" => rtype = equals.first().cloned(),
                "readOnly" if equals.len() > 1 || not_equals.len() > 1 => {
                    // Both true and false: every event.
                }
                "readOnly" => read_only = equals.first().cloned().or(negated_read_only),
                "resources.ARN" => {
                    let starts = match f.get("StartsWith").strings()? {
                        Val::Known(v) => v,
                        Val::Unknown(r) => return Ok(Err(r)),
                    };
                    arns.extend(equals);
                    arns.extend(starts);
                    narrowed = true;
                    if ["NotEquals", "NotStartsWith", "EndsWith", "NotEndsWith"]
                        .iter()
                        .any(|k| !f.get(k).is_absent())
                    {
                        arns.push("resources.ARN with exclusions".to_string());
                    }
                }
                // eventName, eventSource, NotEquals, ...: only some events.
                other => {
                    arns.push(format!("events filtered on {other}"));
                    narrowed = true;
                }
            }
        }
        acc.advanced(
            category.as_deref(),
            rtype.as_deref(),
            read_only.as_deref(),
            narrowed,
            arns,
        );
    }
    Ok(Ok(()))
}

type Selected = (Val<ReadWrite>, Val<DataCoverage>, Val<DataCoverage>);

fn selectors(p: P) -> R<Selected> {
    let basic_sel = p.get("EventSelectors");
    let adv_sel = p.get("AdvancedEventSelectors");
    if basic_sel.is_absent() && adv_sel.is_absent() {
        // No selectors: management events, read and write; no data events.
        return Ok((
            Val::Known(ReadWrite::All),
            Val::Known(DataCoverage::None),
            Val::Known(DataCoverage::None),
        ));
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
    Ok(match res {
        Ok(()) => (
            acc.management_events(),
            Val::Known(acc.s3.done()),
            Val::Known(acc.ddb.done()),
        ),
        Err(r) => (Val::unknown(&r), Val::unknown(&r), Val::unknown(r)),
    })
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
        let bucket = bucket_link(m, m.inv.trails[i].bucket.clone());
        let lg = match m.inv.trails[i].log_group.clone() {
            Val::Known(Some(l)) => log_group_link(m, Val::Known(l)).map(Some),
            other => other,
        };
        m.inv.trails[i].bucket = bucket;
        m.inv.trails[i].log_group = lg;
    }
}
