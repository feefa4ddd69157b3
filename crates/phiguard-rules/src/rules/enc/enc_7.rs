use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::{KeyRef, Val};

declare_rule! {
    /// ### What it checks
    /// Every SQS queue in PHI scope encrypts messages at rest with SSE-KMS
    /// under a customer-managed key: not SSE-SQS (keys owned by SQS), not the
    /// AWS-managed `alias/aws/sqs` key, and not unencrypted.
    ///
    /// ### Why
    /// Messages on a queue are PHI at rest until they are consumed. With a
    /// customer-managed key, reading them needs both SQS and KMS permissions,
    /// the key policy decides who can decrypt, and every decrypt is logged in
    /// CloudTrail. SSE-SQS and `aws/sqs` leave the key's policy to AWS.
    ///
    /// ### Sources
    /// - Live: `sqs:GetQueueAttributes` (`KmsMasterKeyId`, `SqsManagedSseEnabled`).
    /// - Terraform: `aws_sqs_queue.kms_master_key_id` and `sqs_managed_sse_enabled`.
    /// - CloudFormation: `AWS::SQS::Queue.KmsMasterKeyId` and `SqsManagedSseEnabled`.
    ///
    /// A key referenced from the same estate is customer-managed;
    /// `alias/aws/sqs` is not; a key from a parameter without a default is unknown.
    ///
    /// ### Defaults assumed
    /// - A queue with neither a KMS key nor `SqsManagedSseEnabled` gets SSE-SQS:
    ///   since October 2022 SQS encrypts every queue created over HTTPS with
    ///   Signature Version 4 (as CloudFormation, Terraform and the SDKs create
    ///   them) with SQS-owned keys. AWS Compute Blog, "Announcing server-side
    ///   encryption with Amazon SQS-managed encryption keys (SSE-SQS) by default":
    ///   <https://aws.amazon.com/blogs/compute/announcing-server-side-encryption-with-amazon-simple-queue-service-managed-encryption-keys-sse-sqs-by-default/>;
    ///   Amazon SQS Developer Guide, "Encryption at rest":
    ///   <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html>.
    ///   Terraform's `sqs_managed_sse_enabled` is optional and computed, so a
    ///   plan that leaves it out gets the same default. `SqsManagedSseEnabled:
    ///   false` without a key leaves the queue unencrypted.
    pub static RULE = {
        id: "ENC-7",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Queues, KmsKeys],
        scope: Resource,
        title: "SQS queues in PHI scope are encrypted with a customer-managed KMS key",
        remediation: "Set KmsMasterKeyId (Terraform kms_master_key_id) on the queue to a customer-managed KMS key whose policy lets the queue's producers and consumers use it.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for q in &inv.queues {
        if !cx.phi_scoped(q.rid) {
            continue;
        }
        match &q.key {
            Val::Unknown(r) => cx.unknown(q.rid, r.clone()),
            Val::Known(None) => cx.fail(
                q.rid,
                "the queue is not encrypted at rest (SSE-SQS is off and no KMS key is set)",
            ),
            Val::Known(Some(KeyRef::AwsOwned)) => cx.fail(
                q.rid,
                "the queue is encrypted with SSE-SQS (keys owned by SQS, the default when no KMS key is set), not a customer-managed KMS key",
            ),
            Val::Known(Some(k)) => judge_cmk(cx, q.rid, "the queue", &Val::Known(k.clone())),
        }
    }
}
