//! CloudTrail trails (status and selectors) and CloudWatch log groups.

use crate::errors::ce;
use crate::scope::{Scope, tag_map};
use crate::{all, client};
use futures::StreamExt;
use phiguard_model::selectors::Acc;
use phiguard_model::{Collection, DataCoverage, KeyRef, Link, LogGroup, ReadWrite, Trail, Val};

type Selected = (Val<ReadWrite>, Val<DataCoverage>, Val<DataCoverage>);

fn selected(
    o: &aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> Selected {
    let mut acc = Acc::default();
    let adv = o.advanced_event_selectors();
    if !adv.is_empty() {
        for sel in adv {
            let (mut category, mut rtype, mut read_only) = (None, None, None);
            let mut narrowed = false;
            let mut narrowing = Vec::new();
            for f in sel.field_selectors() {
                let equals: Vec<String> = f.equals().to_vec();
                match f.field() {
                    "eventCategory" | "resources.type"
                        if equals.len() != 1 || !f.not_equals().is_empty() =>
                    {
                        let why = format!(
                            "an advanced event selector on {} with several or excluded values",
                            f.field()
                        );
                        return (Val::unknown(&why), Val::unknown(&why), Val::unknown(why));
                    }
                    "eventCategory" => category = equals.first().cloned(),
                    "resources.type" => rtype = equals.first().cloned(),
                    "readOnly" if equals.len() > 1 => {}
                    "readOnly" => {
                        read_only = equals.first().cloned().or_else(|| {
                            f.not_equals()
                                .first()
                                .map(|v| if v == "true" { "false" } else { "true" }.to_string())
                        })
                    }
                    "resources.ARN" => {
                        narrowed = true;
                        narrowing.extend(equals);
                        narrowing.extend(f.starts_with().iter().cloned());
                        if !f.not_equals().is_empty()
                            || !f.not_starts_with().is_empty()
                            || !f.ends_with().is_empty()
                            || !f.not_ends_with().is_empty()
                        {
                            narrowing.push("resources.ARN with exclusions".into());
                        }
                    }
                    other => {
                        narrowed = true;
                        narrowing.push(format!("events filtered on {other}"));
                    }
                }
            }
            acc.advanced(
                category.as_deref(),
                rtype.as_deref(),
                read_only.as_deref(),
                narrowed,
                narrowing,
            );
        }
    } else {
        let basic = o.event_selectors();
        if basic.is_empty() {
            return (
                Val::Known(ReadWrite::None),
                Val::Known(DataCoverage::None),
                Val::Known(DataCoverage::None),
            );
        }
        for sel in basic {
            let rw = sel
                .read_write_type()
                .map(|r| r.as_str())
                .unwrap_or("All")
                .to_string();
            if sel.include_management_events().unwrap_or(true) {
                acc.rw(&rw);
            }
            for d in sel.data_resources() {
                acc.data_resources(d.r#type().unwrap_or_default(), &rw, d.values().to_vec());
            }
        }
    }
    (
        acc.management_events(),
        Val::Known(acc.s3.done()),
        Val::Known(acc.ddb.done()),
    )
}

pub async fn cloudtrail(s: Scope) {
    let c = client!(aws_sdk_cloudtrail, s);
    let trails = match c
        .describe_trails()
        .include_shadow_trails(false)
        .send()
        .await
    {
        Ok(o) => o.trail_list.unwrap_or_default(),
        Err(e) => {
            s.gap(Collection::Trails, "cloudtrail:DescribeTrails", &ce(e));
            return;
        }
    };
    for t in trails {
        let name = t.name().unwrap_or_default().to_string();
        let arn = t
            .trail_arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("cloudtrail", &format!("trail/{name}")));
        let (logging, delivery_error) = match c.get_trail_status().name(&arn).send().await {
            Ok(st) => (
                Val::Known(st.is_logging().unwrap_or(false)),
                Val::Known(
                    st.latest_delivery_error()
                        .filter(|e| !e.is_empty())
                        .map(str::to_string),
                ),
            ),
            Err(e) => {
                let e = ce(e);
                (
                    Val::unknown(format!("cloudtrail:GetTrailStatus: {e}")),
                    Val::unknown(format!("cloudtrail:GetTrailStatus: {e}")),
                )
            }
        };
        let (management_events, s3_data, dynamodb_data) =
            match c.get_event_selectors().trail_name(&arn).send().await {
                Ok(o) => selected(&o),
                Err(e) => {
                    let why = format!("cloudtrail:GetEventSelectors: {}", ce(e));
                    (Val::unknown(&why), Val::unknown(&why), Val::unknown(why))
                }
            };
        let bucket = t.s3_bucket_name().unwrap_or_default();
        let rid = s.add("AWS::CloudTrail::Trail", &name, &arn, None);
        let trail = Trail {
            rid,
            name: Val::Known(name.clone()),
            organization: Val::Known(t.is_organization_trail().unwrap_or(false)),
            multi_region: Val::Known(t.is_multi_region_trail().unwrap_or(false)),
            global_events: Val::Known(t.include_global_service_events().unwrap_or(false)),
            logging,
            management_events,
            s3_data,
            dynamodb_data,
            log_validation: Val::Known(t.log_file_validation_enabled().unwrap_or(false)),
            key: Val::Known(t.kms_key_id().map(|k| KeyRef::External(k.to_string()))),
            bucket: Val::Known(Link::External(format!("arn:{}:s3:::{bucket}", s.partition))),
            log_group: Val::Known(
                t.cloud_watch_logs_log_group_arn()
                    .map(|a| Link::External(a.trim_end_matches(":*").to_string())),
            ),
            delivery_error,
        };
        s.with(|inv| inv.trails.push(trail));
    }
}

pub async fn logs(s: Scope) {
    let c = client!(aws_sdk_cloudwatchlogs, s);
    if let Some(list) = s.listed(
        Collection::LogGroups,
        "logs:DescribeLogGroups",
        all!(c.describe_log_groups()),
    ) {
        // Tags decide PHI scope (ENC-12): one ListTagsForResource per group,
        // a few at a time.
        let arns: Vec<String> = list
            .iter()
            .map(|g| {
                g.arn()
                    .map(|a| a.trim_end_matches(":*").to_string())
                    .unwrap_or_else(|| {
                        let name = g.log_group_name().unwrap_or_default();
                        s.arn("logs", &format!("log-group:{name}"))
                    })
            })
            .collect();
        let calls: Vec<_> = arns
            .iter()
            .map(|arn| c.list_tags_for_resource().resource_arn(arn).send())
            .collect();
        let answers: Vec<_> = futures::stream::iter(calls).buffered(4).collect().await;
        let tags = answers.into_iter().map(|r| {
            r.map(|o| {
                let t = o.tags.unwrap_or_default();
                tag_map(t)
            })
            .map_err(ce)
        });
        for ((g, arn), tags) in list.into_iter().zip(arns).zip(tags) {
            let name = g.log_group_name().unwrap_or_default().to_string();
            let rid = match tags {
                Ok(t) => s.add("AWS::Logs::LogGroup", &name, &arn, Some(t)),
                Err(e) => {
                    let rid = s.add("AWS::Logs::LogGroup", &name, &arn, None);
                    s.with(|inv| {
                        inv.meta_mut(rid).tags =
                            Val::unknown(format!("logs:ListTagsForResource: {e}"))
                    });
                    rid
                }
            };
            let lg = LogGroup {
                rid,
                name: Val::Known(name),
                key: Val::Known(g.kms_key_id().map(|k| KeyRef::External(k.to_string()))),
                retention_days: Val::Known(g.retention_in_days().map(|d| d as u32)),
            };
            s.with(|inv| inv.log_groups.push(lg));
        }
    }
}
