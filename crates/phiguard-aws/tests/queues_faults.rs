//! SQS, SNS and Kinesis reads that fail, served by the mock AWS of `common`:
//! a queue whose attributes are denied is unknown (never unencrypted), a
//! denied topic listing is a gap its rules report, and a stream whose tags
//! cannot be read has an unknown PHI scope.

mod common;

use common::*;
use phiguard_model::{Collection, KeyRef, Val};
use phiguard_rules::{Config, Outcome, RunOptions};

#[test]
fn denied_queue_topic_and_stream_reads_are_unknown() {
    let mock = Mock::new(|r| {
        if let Some(b) = basics(r) {
            return Some(b);
        }
        match (r.service.as_str(), r.op.as_str()) {
            ("sqs", "ListQueues") => json(&format!(
                r#"{{"QueueUrls":["https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/intake"]}}"#
            )),
            ("sqs", "ListQueueTags") => json(r#"{"Tags":{"phi":"true"}}"#),
            ("kinesis", "ListStreams") => {
                json(r#"{"StreamNames":["events"],"HasMoreStreams":false}"#)
            }
            ("kinesis", "DescribeStreamSummary") => json(&format!(
                r#"{{"StreamDescriptionSummary":{{"StreamName":"events","StreamARN":"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/events","StreamStatus":"ACTIVE","RetentionPeriodHours":24,"StreamCreationTimestamp":1764000000,"EnhancedMonitoring":[],"EncryptionType":"KMS","KeyId":"alias/aws/kinesis","OpenShardCount":1}}}}"#
            )),
            // GetQueueAttributes, ListTopics and ListTagsForStream are denied.
            _ => None,
        }
    });
    let audit = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(phiguard_aws::audit(&options(&mock)))
        .expect("the audit runs");
    let inv = &audit.inventory;

    assert_eq!(inv.queues.len(), 1, "{:#?}", inv.gaps);
    let q = &inv.queues[0];
    assert_eq!(q.name, Val::Known("intake".into()));
    assert!(
        q.key
            .reason()
            .is_some_and(|r| r.contains("sqs:GetQueueAttributes")),
        "{:?}",
        q.key
    );
    assert!(!q.policy.is_known());
    assert_eq!(inv.meta(q.rid).tags.known().unwrap()["phi"], "true");

    assert!(inv.topics.is_empty());
    assert!(
        inv.gaps
            .iter()
            .any(|g| g.collection == Collection::Topics && g.operation == "sns:ListTopics"),
        "{:#?}",
        inv.gaps
    );

    assert_eq!(inv.streams.len(), 1);
    let s = &inv.streams[0];
    assert_eq!(
        s.key,
        Val::Known(Some(KeyRef::AwsManaged("aws/kinesis".into())))
    );
    assert!(
        inv.meta(s.rid)
            .tags
            .reason()
            .is_some_and(|r| r.contains("kinesis:ListTagsForStream")),
        "{:?}",
        inv.meta(s.rid).tags
    );

    let f = phiguard_rules::run(
        inv,
        &Config::default(),
        &RunOptions {
            complete: true,
            today: "2026-11-30".into(),
            ..Default::default()
        },
    );
    let outcomes = |rule: &str| -> Vec<Outcome> {
        f.iter()
            .filter(|x| x.rule == rule)
            .map(|x| x.outcome)
            .collect()
    };
    for rule in ["ENC-7", "ENC-8", "ENC-9", "TLS-7"] {
        let o = outcomes(rule);
        assert!(!o.is_empty(), "{rule} says nothing");
        assert!(o.iter().all(|o| *o == Outcome::Unknown), "{rule}: {o:?}");
    }
}
