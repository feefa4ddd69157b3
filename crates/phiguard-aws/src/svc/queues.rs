//! SQS queues, SNS topics and Kinesis data streams: encryption at rest,
//! resource policies and tags. Reads metadata only, never a message or a record.

use crate::errors::{CallError, ce};
use crate::scope::{Scope, tag_map};
use crate::{all, client};
use phiguard_model::{Collection, KeyRef, PolicyDoc, Queue, Stream, Topic, Val};
use std::collections::BTreeMap;

/// A resource policy as the service returns it; `None` when there is none.
fn policy(what: &str, text: Option<&str>) -> Val<Option<PolicyDoc>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Val::Known(None),
        Some(t) => match crate::policy::parse(t) {
            Ok(d) => Val::Known(Some(d)),
            Err(e) => Val::unknown(format!("the {what} policy could not be read: {e}")),
        },
    }
}

/// A key id, ARN or alias as the service returns it (resolved to the
/// estate's keys, or to `aws/*`, after collection).
fn key(k: Option<&str>) -> Option<KeyRef> {
    k.filter(|k| !k.is_empty())
        .map(|k| KeyRef::External(k.to_string()))
}

/// Tags, or why they could not be read (then PHI scope is unknown).
fn tags(op: &str, r: Result<BTreeMap<String, String>, CallError>) -> Val<BTreeMap<String, String>> {
    match r {
        Ok(t) => Val::Known(t),
        Err(e) => Val::unknown(format!("{op}: {e}")),
    }
}

pub async fn sqs(s: Scope) {
    let c = client!(aws_sdk_sqs, s);
    let Some(urls) = s.listed(Collection::Queues, "sqs:ListQueues", all!(c.list_queues())) else {
        return;
    };
    for url in urls {
        let name = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(&url)
            .to_string();
        let attrs = c
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
            .send()
            .await
            .map_err(ce);
        let t = c
            .list_queue_tags()
            .queue_url(&url)
            .send()
            .await
            .map_err(ce)
            .map(|o| tag_map(o.tags().cloned().unwrap_or_default()));
        let (arn, key_v, policy_v) = match attrs {
            Ok(o) => {
                use aws_sdk_sqs::types::QueueAttributeName as A;
                let a = o.attributes().cloned().unwrap_or_default();
                let get = |k: A| a.get(&k).map(String::as_str);
                // A KMS key wins; otherwise SSE-SQS when SqsManagedSseEnabled is true.
                let k = key(get(A::KmsMasterKeyId)).or_else(|| {
                    (get(A::SqsManagedSseEnabled) == Some("true")).then_some(KeyRef::AwsOwned)
                });
                (
                    get(A::QueueArn).map(str::to_string),
                    Val::Known(k),
                    policy("queue", get(A::Policy)),
                )
            }
            Err(e) => {
                let why = format!("sqs:GetQueueAttributes: {e}");
                (None, Val::unknown(why.clone()), Val::unknown(why))
            }
        };
        let arn = arn.unwrap_or_else(|| s.arn("sqs", &name));
        let rid = s.add("AWS::SQS::Queue", &name, &arn, None);
        s.with(|inv| {
            inv.meta_mut(rid).tags = tags("sqs:ListQueueTags", t);
            inv.queues.push(Queue {
                rid,
                name: Val::Known(name),
                key: key_v,
                policy: policy_v,
            })
        });
    }
}

pub async fn sns(s: Scope) {
    let c = client!(aws_sdk_sns, s);
    let Some(list) = s.listed(Collection::Topics, "sns:ListTopics", all!(c.list_topics())) else {
        return;
    };
    for t in list {
        let Some(arn) = t.topic_arn().map(str::to_string) else {
            continue;
        };
        let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
        let attrs = c
            .get_topic_attributes()
            .topic_arn(&arn)
            .send()
            .await
            .map_err(ce);
        let tg = c
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .map_err(ce)
            .map(|o| tag_map(o.tags().iter().map(|t| (t.key(), t.value()))));
        let (key_v, policy_v) = match attrs {
            Ok(o) => {
                let a = o.attributes().cloned().unwrap_or_default();
                (
                    Val::Known(key(a.get("KmsMasterKeyId").map(String::as_str))),
                    policy("topic", a.get("Policy").map(String::as_str)),
                )
            }
            Err(e) => {
                let why = format!("sns:GetTopicAttributes: {e}");
                (Val::unknown(why.clone()), Val::unknown(why))
            }
        };
        let rid = s.add("AWS::SNS::Topic", &name, &arn, None);
        s.with(|inv| {
            inv.meta_mut(rid).tags = tags("sns:ListTagsForResource", tg);
            inv.topics.push(Topic {
                rid,
                name: Val::Known(name),
                key: key_v,
                policy: policy_v,
            })
        });
    }
}

/// Every tag of a stream (`ListTagsForStream` pages by the last key).
async fn stream_tags(
    c: &aws_sdk_kinesis::Client,
    name: &str,
) -> Result<BTreeMap<String, String>, CallError> {
    let mut out = BTreeMap::new();
    let mut start: Option<String> = None;
    loop {
        let o = c
            .list_tags_for_stream()
            .stream_name(name)
            .set_exclusive_start_tag_key(start.clone())
            .send()
            .await
            .map_err(ce)?;
        for t in o.tags() {
            out.insert(t.key().to_string(), t.value().unwrap_or("").to_string());
        }
        match o.tags().last() {
            Some(last) if o.has_more_tags() => start = Some(last.key().to_string()),
            _ => return Ok(out),
        }
    }
}

pub async fn kinesis(s: Scope) {
    let c = client!(aws_sdk_kinesis, s);
    let pages = c
        .list_streams()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(ce);
    let Some(pages) = s.listed(Collection::Streams, "kinesis:ListStreams", pages) else {
        return;
    };
    let mut names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.stream_names().iter().cloned())
        .collect();
    names.dedup();
    for name in names {
        let summary = c
            .describe_stream_summary()
            .stream_name(&name)
            .send()
            .await
            .map_err(ce);
        let tg = stream_tags(&c, &name).await;
        let (arn, key_v) = match summary {
            Ok(o) => match o.stream_description_summary() {
                Some(d) => {
                    let kms = d.encryption_type().map(|t| t.as_str()) == Some("KMS");
                    (
                        Some(d.stream_arn().to_string()),
                        Val::Known(if kms {
                            // A KMS stream without a key id uses Kinesis's aws/kinesis key.
                            Some(
                                key(d.key_id()).unwrap_or(KeyRef::AwsManaged("aws/kinesis".into())),
                            )
                        } else {
                            None
                        }),
                    )
                }
                None => (
                    None,
                    Val::unknown("kinesis:DescribeStreamSummary returned no summary"),
                ),
            },
            Err(e) => (
                None,
                Val::unknown(format!("kinesis:DescribeStreamSummary: {e}")),
            ),
        };
        let arn = arn.unwrap_or_else(|| s.arn("kinesis", &format!("stream/{name}")));
        let rid = s.add("AWS::Kinesis::Stream", &name, &arn, None);
        s.with(|inv| {
            inv.meta_mut(rid).tags = tags("kinesis:ListTagsForStream", tg);
            inv.streams.push(Stream {
                rid,
                name: Val::Known(name),
                key: key_v,
            })
        });
    }
}
