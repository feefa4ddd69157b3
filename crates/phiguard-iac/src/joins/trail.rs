//! What a CloudTrail trail records, from its event selectors: basic
//! selectors (`ReadWriteType`, `IncludeManagementEvents`, data resources)
//! and advanced ones (field selectors on `eventCategory`, `resources.type`,
//! `readOnly`, `resources.ARN`, ...).

use crate::cfn::props::{P, R};
use phiguard_model::selectors::Acc;
use phiguard_model::{DataCoverage, ReadWrite, Val};

/// A basic event selector, as written.
pub struct Basic {
    /// `All` (the default), `ReadOnly` or `WriteOnly`.
    pub read_write: String,
    /// Whether it records management events (default true).
    pub management: bool,
    /// Its data resources: type and values.
    pub data: Vec<(String, Vec<String>)>,
}

/// A field selector of an advanced event selector, as written.
pub struct Field {
    pub field: String,
    pub equals: Vec<String>,
    pub not_equals: Vec<String>,
    pub starts_with: Vec<String>,
    /// Whether it excludes ARNs (`NotEquals`, `NotStartsWith`, `EndsWith`,
    /// `NotEndsWith`).
    pub excluded: bool,
}

/// Management events recorded, S3 and DynamoDB data coverage.
pub type Selected = (Val<ReadWrite>, Val<DataCoverage>, Val<DataCoverage>);

/// A trail without selectors records every management event, read and
/// write, and no data event.
pub fn no_selectors() -> Selected {
    (
        Val::Known(ReadWrite::All),
        Val::Known(DataCoverage::None),
        Val::Known(DataCoverage::None),
    )
}

/// A data selector counts as full coverage only when it records reads and
/// writes.
pub fn basic(acc: &mut Acc, s: Basic) {
    if s.management {
        acc.rw(&s.read_write);
    }
    for (ty, values) in s.data {
        acc.data_resources(&ty, &s.read_write, values);
    }
}

/// One advanced event selector. `Err` says why what it records cannot be
/// told.
pub fn advanced(acc: &mut Acc, fields: Vec<Field>) -> Result<(), String> {
    let mut category = None;
    let mut rtype = None;
    let mut read_only = None;
    let mut arns: Vec<String> = Vec::new();
    let mut narrowed = false;
    for f in fields {
        // `readOnly NotEquals true` keeps only writes, and the reverse.
        let negated_read_only = f
            .not_equals
            .first()
            .map(|v| if v == "true" { "false" } else { "true" }.to_string());
        match f.field.as_str() {
            "eventCategory" | "resources.type"
                if !f.not_equals.is_empty() || f.equals.len() > 1 =>
            {
                return Err(format!(
                    "an advanced event selector on {} with several or excluded values",
                    f.field
                ));
            }
            "eventCategory" => category = f.equals.first().cloned(),
            "resources.type" => rtype = f.equals.first().cloned(),
            "readOnly" if f.equals.len() > 1 || f.not_equals.len() > 1 => {
                // Both true and false: every event.
            }
            "readOnly" => read_only = f.equals.first().cloned().or(negated_read_only),
            "resources.ARN" => {
                arns.extend(f.equals);
                arns.extend(f.starts_with);
                narrowed = true;
                if f.excluded {
                    arns.push("resources.ARN with exclusions".to_string());
                }
            }
            // eventName, eventSource, ...: only some events.
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
    Ok(())
}

/// What the selectors read into `acc` record; `Err` when it cannot be told.
pub fn selected(mut acc: Acc, res: Result<(), String>) -> Selected {
    match res {
        Ok(()) => (
            acc.management_events(),
            Val::Known(acc.s3.done()),
            Val::Known(acc.ddb.done()),
        ),
        Err(r) => (Val::unknown(&r), Val::unknown(&r), Val::unknown(r)),
    }
}

/// How a source spells an advanced selector's parts.
pub struct Spelling {
    pub field_selectors: &'static str,
    pub field: &'static str,
    pub equals: &'static str,
    pub not_equals: &'static str,
    pub starts_with: &'static str,
    /// The other ARN operators, which exclude ARNs.
    pub exclusions: [&'static str; 3],
}

/// A list of texts read by the source's rules; `Err` says why it cannot be
/// told.
pub type Texts<'a> = dyn Fn(P<'a>) -> R<Result<Vec<String>, String>>;

/// Reads advanced event selectors, spelled as `sp` says, into `acc`.
pub fn read_advanced<'a>(
    sels: Vec<P<'a>>,
    acc: &mut Acc,
    sp: &Spelling,
    texts: &Texts<'a>,
) -> R<Result<(), String>> {
    for s in sels {
        let fields = match s.get(sp.field_selectors).list()? {
            Val::Known(f) => f,
            Val::Unknown(r) => return Ok(Err(r)),
        };
        let mut out = Vec::new();
        for f in fields {
            let field = match f.get(sp.field).str_opt()? {
                Val::Known(Some(n)) => n,
                Val::Known(None) => {
                    return f.error(format!("a field selector needs a {}", sp.field));
                }
                Val::Unknown(r) => return Ok(Err(r)),
            };
            let list = |k: &'static str| texts(f.get(k));
            let equals = match list(sp.equals)? {
                Ok(v) => v,
                Err(r) => return Ok(Err(r)),
            };
            let not_equals = match list(sp.not_equals)? {
                Ok(v) => v,
                Err(r) => return Ok(Err(r)),
            };
            let (mut starts_with, mut excluded) = (vec![], false);
            if field == "resources.ARN" {
                starts_with = match list(sp.starts_with)? {
                    Ok(v) => v,
                    Err(r) => return Ok(Err(r)),
                };
                excluded = !not_equals.is_empty();
                // An exclusion set, even to values known only at deploy,
                // leaves some objects out.
                for k in sp.exclusions {
                    excluded |= match list(k)? {
                        Ok(v) => !v.is_empty(),
                        Err(_) => true,
                    };
                }
            }
            out.push(Field {
                field,
                equals,
                not_equals,
                starts_with,
                excluded,
            });
        }
        if let Err(r) = advanced(acc, out) {
            return Ok(Err(r));
        }
    }
    Ok(Ok(()))
}
