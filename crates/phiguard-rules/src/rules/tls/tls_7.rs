use crate::util::exposure::denies_insecure_transport;
use crate::{Cx, declare_rule};
use phiguard_model::{PolicyDoc, Rid, Val};

declare_rule! {
    /// ### What it checks
    /// Every SQS queue and SNS topic in PHI scope has a resource policy with a
    /// `Deny` for every principal (`Principal: "*"`) where `Bool`
    /// `aws:SecureTransport` is `false`, covering the actions that carry
    /// messages: `sqs:SendMessage` and `sqs:ReceiveMessage` on a queue (as
    /// `sqs:*` or `*` do), `sns:Publish` on a topic. A queue without a policy,
    /// or a topic with only SNS's default policy, fails.
    ///
    /// ### Why
    /// SQS and SNS answer plain HTTP on their public endpoints unless the
    /// resource policy refuses it; only such a Deny guarantees that PHI in a
    /// message never travels unencrypted, whichever client sends or reads it
    /// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html>,
    /// <https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html>).
    ///
    /// ### Sources
    /// - Live: `sqs:GetQueueAttributes` (`Policy`), `sns:GetTopicAttributes` (`Policy`).
    /// - Terraform: `aws_sqs_queue.policy` and `aws_sqs_queue_policy`, joined to
    ///   the queue by `queue_url`; `aws_sns_topic.policy` and `aws_sns_topic_policy`,
    ///   joined to the topic by `arn`.
    /// - CloudFormation: `AWS::SQS::QueuePolicy` (`Queues`) and
    ///   `AWS::SQS::QueueInlinePolicy` (`Queue`); `AWS::SNS::TopicPolicy` (`Topics`)
    ///   and `AWS::SNS::TopicInlinePolicy` (`TopicArn`).
    ///
    /// A policy whose queue or topic is known only at deploy time may be the
    /// policy of any queue or topic that has none: those are unknown, not failed.
    ///
    /// ### Defaults assumed
    /// - A queue without a policy has none; a topic without one has SNS's
    ///   default policy (the owner account, by `AWS:SourceOwner`, on the
    ///   topic's actions). Neither refuses plain HTTP. Amazon SNS Developer
    ///   Guide, "Example cases for Amazon SNS access control":
    ///   <https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html>.
    pub static RULE = {
        id: "TLS-7",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Queues, Topics],
        scope: Resource,
        title: "SQS queues and SNS topics in PHI scope refuse requests without TLS",
        remediation: "Add a statement to the queue or topic policy: Effect Deny, Principal \"*\", Action sqs:* (or sns:Publish), Resource the queue or topic ARN, Condition Bool aws:SecureTransport \"false\".",
        check: check,
    }
}

/// The actions that carry a queue's messages in and out.
const QUEUE_ACTIONS: &[&str] = &["sqs:SendMessage", "sqs:ReceiveMessage"];
/// The action that carries a message into a topic.
const TOPIC_ACTIONS: &[&str] = &["sns:Publish"];

fn judge(
    cx: &mut Cx,
    rid: Rid,
    what: &str,
    none: &str,
    actions: &[&str],
    policy: &Val<Option<PolicyDoc>>,
) {
    match policy {
        Val::Unknown(r) => cx.unknown(rid, r.clone()),
        Val::Known(None) => cx.fail(rid, none),
        Val::Known(Some(doc)) => cx.judge(
            rid,
            Val::Known(denies_insecure_transport(doc, actions)),
            format!("the {what} policy denies {} where aws:SecureTransport is false", actions.join(" and ")),
            format!(
                "the {what} policy has no Deny for every principal on {} where aws:SecureTransport is false",
                actions.join(" and ")
            ),
        ),
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for q in &inv.queues {
        if cx.phi_scoped(q.rid) {
            judge(
                cx,
                q.rid,
                "queue",
                "the queue has no queue policy, so requests over plain HTTP are allowed",
                QUEUE_ACTIONS,
                &q.policy,
            );
        }
    }
    for t in &inv.topics {
        if cx.phi_scoped(t.rid) {
            judge(
                cx,
                t.rid,
                "topic",
                "the topic has only SNS's default policy, which does not refuse plain HTTP",
                TOPIC_ACTIONS,
                &t.policy,
            );
        }
    }
}
