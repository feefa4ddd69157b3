//! What a CloudTrail trail records, from its event selectors: basic
//! selectors (`ReadWriteType`, `IncludeManagementEvents`, data resources)
//! and advanced ones (field selectors on `eventCategory`, `resources.type`,
//! `readOnly`, `resources.ARN`, ...).

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
