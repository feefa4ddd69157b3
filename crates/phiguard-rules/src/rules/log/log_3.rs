use crate::util::trails::judged_trails;
use crate::{Cx, declare_rule};
use phiguard_model::{DataCoverage, Rid, Val};

declare_rule! {
    /// ### What it checks
    /// The organization trail (or every trail, when there is no organization
    /// trail) records data events, read and write, for S3 objects and
    /// DynamoDB tables: for all of them, or at least for every bucket and
    /// table of the estate in PHI scope.
    ///
    /// ### Why
    /// Management events say who changed a bucket; only data events say who
    /// read which object holding PHI. Without them, an access report for a
    /// patient's records cannot be produced.
    ///
    /// ### Sources
    /// - Live: `cloudtrail:GetEventSelectors` (`DataResources`, or advanced selectors on `resources.type`).
    /// - Terraform: `aws_cloudtrail.event_selector.data_resource` or `advanced_event_selector`.
    /// - CloudFormation: `AWS::CloudTrail::Trail.EventSelectors[].DataResources`
    ///   (`AWS::S3::Object` / `AWS::DynamoDB::Table`, values `arn:aws:s3` / `arn:aws:dynamodb`
    ///   for all) or `AdvancedEventSelectors` (`eventCategory = Data`, `resources.type`).
    ///   A trail with no selectors records no data events.
    ///
    /// A selector limited to read-only or write-only events, or to some ARNs,
    /// covers only the PHI-scope resources it names (matched by bucket name or
    /// by a reference such as `${PhiBucket.Arn}/`).
    pub static RULE = {
        id: "LOG-3",
        control: AuditTrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, Buckets, DynamoTables],
        scope: Resource,
        title: "The organization trail records S3 and DynamoDB data events",
        remediation: "Add data event selectors for AWS::S3::Object (arn:aws:s3) and AWS::DynamoDB::Table (arn:aws:dynamodb), read and write.",
        check: check,
    }
}

/// Does a written selector value name the resource (by logical id reference or literal name)?
fn names(cx: &Cx, value: &str, rid: Rid, literal: Option<&str>) -> bool {
    let logical = &cx.inv.meta(rid).name;
    value.contains(&format!("${{{logical}}}"))
        || value.contains(&format!("${{{logical}."))
        || literal.is_some_and(|n| {
            value.contains(&format!(":::{n}/"))
                || value.ends_with(&format!(":::{n}"))
                || value.contains(&format!(":table/{n}"))
        })
}

/// The verdict for one service: `Known(Ok)` covered, `Known(Err(msg))` not.
fn coverage(
    cx: &Cx,
    what: &str,
    cov: &Val<DataCoverage>,
    resources: &[(Rid, Option<String>)],
) -> Val<Result<(), String>> {
    let values = match cov {
        Val::Unknown(r) => return Val::Unknown(r.clone()),
        Val::Known(DataCoverage::All) => return Val::Known(Ok(())),
        Val::Known(DataCoverage::None) => {
            return Val::Known(Err(format!("records no {what} data events")));
        }
        Val::Known(DataCoverage::Some(v)) => v,
    };
    let mut unknown = None;
    let mut uncovered = Vec::new();
    let mut in_scope = 0;
    for (rid, name) in resources {
        match cx.in_phi_scope(*rid) {
            Val::Known(false) => continue,
            Val::Unknown(r) => {
                unknown.get_or_insert(r);
                continue;
            }
            Val::Known(true) => {}
        }
        in_scope += 1;
        if !values.iter().any(|v| names(cx, v, *rid, name.as_deref())) {
            uncovered.push(cx.inv.meta(*rid).name.clone());
        }
    }
    if !uncovered.is_empty() {
        return Val::Known(Err(format!(
            "records {what} data events only for {} (not for {} in PHI scope)",
            values.join(", "),
            uncovered.join(", ")
        )));
    }
    if let Some(r) = unknown {
        return Val::Unknown(r);
    }
    if in_scope == 0 {
        return Val::Known(Err(format!(
            "records {what} data events only for {}, and no {what} resource of the estate is in PHI scope to show that is enough",
            values.join(", ")
        )));
    }
    Val::Known(Ok(()))
}

fn check(cx: &mut Cx) {
    let buckets: Vec<(Rid, Option<String>)> = cx
        .inv
        .buckets
        .iter()
        .map(|b| (b.rid, b.name.known().cloned()))
        .collect();
    let tables: Vec<(Rid, Option<String>)> =
        cx.inv.dynamo_tables.iter().map(|t| (t.rid, None)).collect();
    for t in judged_trails(cx.inv) {
        let s3 = coverage(cx, "S3", &t.s3_data, &buckets);
        let ddb = coverage(cx, "DynamoDB", &t.dynamodb_data, &tables);
        let fails: Vec<String> = [&s3, &ddb]
            .iter()
            .filter_map(|v| match v {
                Val::Known(Err(m)) => Some(m.clone()),
                _ => None,
            })
            .collect();
        if !fails.is_empty() {
            cx.fail(t.rid, format!("the trail {}", fails.join("; ")));
        } else if let Some(r) = s3.reason().or(ddb.reason()) {
            cx.unknown(t.rid, r.to_string());
        } else {
            cx.pass(
                t.rid,
                "the trail records S3 and DynamoDB data events, read and write",
            );
        }
    }
}
