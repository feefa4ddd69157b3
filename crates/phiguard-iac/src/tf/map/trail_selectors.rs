//! The event selectors of `aws_cloudtrail`: what the trail records.
//!
//! `event_selector { read_write_type include_management_events data_resource
//! { type values } }` and `advanced_event_selector { field_selector { field
//! equals not_equals starts_with ... } }`, read as CloudFormation's
//! `EventSelectors` and `AdvancedEventSelectors` are. A data resource value
//! known only after apply that references a resource of the plan
//! (`"${aws_s3_bucket.phi.arn}/"`) names that resource.

use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::trail;
use phiguard_model::Val;
use phiguard_model::selectors::Acc;

/// A value as text; one known only after apply that references one resource
/// of the plan is `${address.attribute}`. `Err` says why it cannot be told.
fn value_text(p: P) -> Result<String, String> {
    if let Some(t) = p.text() {
        return Ok(t);
    }
    match p.v {
        Some(Value::Att(rid, attr)) if !attr.is_empty() => {
            Ok(format!("${{{}.{attr}}}", p.est.name(*rid)))
        }
        Some(Value::Att(rid, _)) | Some(Value::Ref(rid)) => {
            Ok(format!("${{{}}}", p.est.name(*rid)))
        }
        _ => Err(p
            .unknown_reason()
            .unwrap_or_else(|| "a selector value is known only after apply".to_string())),
    }
}

/// The texts of a list attribute (absent: none).
fn texts(p: P) -> R<Result<Vec<String>, String>> {
    if p.is_absent() {
        return Ok(Ok(vec![]));
    }
    let items = match p.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Err(r)),
    };
    Ok(items.into_iter().map(value_text).collect())
}

/// Whether a list holds an element known only after apply.
fn has_unknown(p: P) -> bool {
    matches!(p.list(), Ok(Val::Known(items)) if items.iter().any(|i| value_text(*i).is_err()))
}

/// The data resource values of type `ty` known only after apply, as the
/// resources of the plan they reference: the configuration tells which
/// resources the `values` of the trail's data resources reference, not which
/// element does, so this holds only when one data resource of that type has
/// such values.
fn referenced_values(
    sels: &[P],
    ty: &str,
    rid: phiguard_model::Rid,
    est: &crate::cfn::estate::Estate,
) -> Result<Vec<String>, String> {
    let kind = match ty {
        "AWS::S3::Object" => "aws_s3_bucket",
        "AWS::DynamoDB::Table" => "aws_dynamodb_table",
        _ => "",
    };
    let mut blocks = 0;
    for s in sels {
        if let Ok(Val::Known(drs)) = s.get("data_resource").list() {
            blocks += drs
                .iter()
                .filter(|d| d.get("type").text().is_some_and(|t| t == ty))
                .filter(|d| has_unknown(d.get("values")))
                .count();
        }
    }
    let to: Vec<String> = est
        .refs(rid, "event_selector.data_resource.values")
        .iter()
        .filter(|t| est.kind(**t) == kind)
        .map(|t| format!("${{{}}}", est.name(*t)))
        .collect();
    if blocks == 1 && !to.is_empty() {
        Ok(to)
    } else {
        Err(format!(
            "a {ty} data resource value is known only after apply"
        ))
    }
}

/// `event_selector` blocks. A data selector counts as full coverage only
/// when it records reads and writes (`read_write_type` defaults to `All`).
fn basic(sels: Vec<P>, acc: &mut Acc, rid: phiguard_model::Rid) -> R<Result<(), String>> {
    let all = sels.clone();
    for s in sels {
        let rw = match s.get("read_write_type").str_or("All")? {
            Val::Known(v) => v,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        // include_management_events defaults to true.
        let management = match s.get("include_management_events").bool_or(true)? {
            Val::Known(b) => b,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        if management {
            match texts(s.get("exclude_management_event_sources"))? {
                Ok(x) if x.is_empty() => {}
                Ok(x) => {
                    acc.partial.get_or_insert(format!(
                        "the trail excludes management events of {}",
                        x.join(", ")
                    ));
                }
                Err(r) => {
                    acc.partial.get_or_insert(r);
                }
            }
        }
        let drs = if s.get("data_resource").is_absent() {
            vec![]
        } else {
            match s.get("data_resource").list()? {
                Val::Known(d) => d,
                Val::Unknown(r) => return Ok(Err(r)),
            }
        };
        let mut data = Vec::new();
        for d in drs {
            let ty = match d.get("type").str_opt()? {
                Val::Known(Some(t)) => t,
                Val::Known(None) => return d.error("a data_resource needs a type"),
                Val::Unknown(r) => return Ok(Err(r)),
            };
            let values = match texts(d.get("values"))? {
                Ok(v) => v,
                Err(_) if has_unknown(d.get("values")) => {
                    let mut known: Vec<String> = match d.get("values").list()? {
                        Val::Known(items) => items
                            .into_iter()
                            .filter_map(|i| value_text(i).ok())
                            .collect(),
                        Val::Unknown(r) => return Ok(Err(r)),
                    };
                    match referenced_values(&all, &ty, rid, d.est) {
                        Ok(v) => known.extend(v),
                        Err(r) => return Ok(Err(r)),
                    }
                    known
                }
                Err(r) => return Ok(Err(r)),
            };
            data.push((ty, values));
        }
        trail::basic(
            acc,
            trail::Basic {
                read_write: rw,
                management,
                data,
            },
        );
    }
    Ok(Ok(()))
}

/// `advanced_event_selector` blocks: their `field_selector`s.
fn advanced(sels: Vec<P>, acc: &mut Acc) -> R<Result<(), String>> {
    trail::read_advanced(
        sels,
        acc,
        &trail::Spelling {
            field_selectors: "field_selector",
            field: "field",
            equals: "equals",
            not_equals: "not_equals",
            starts_with: "starts_with",
            exclusions: ["not_starts_with", "ends_with", "not_ends_with"],
        },
        &texts,
    )
}

pub use crate::joins::trail::Selected;

/// What a trail records. Terraform writes absent selector blocks as empty
/// lists; without selectors a trail records every management event, read
/// and write, and no data event.
pub fn selectors(p: P, rid: phiguard_model::Rid) -> R<Selected> {
    let set = |k: &'static str| {
        let b = p.get(k);
        !b.is_absent() && !matches!(b.list(), Ok(Val::Known(l)) if l.is_empty())
    };
    let mut acc = Acc::default();
    let res = if set("advanced_event_selector") {
        match p.get("advanced_event_selector").list()? {
            Val::Known(s) => advanced(s, &mut acc)?,
            Val::Unknown(r) => Err(r),
        }
    } else if set("event_selector") {
        match p.get("event_selector").list()? {
            Val::Known(s) => basic(s, &mut acc, rid)?,
            Val::Unknown(r) => Err(r),
        }
    } else {
        return Ok(trail::no_selectors());
    };
    Ok(trail::selected(acc, res))
}
