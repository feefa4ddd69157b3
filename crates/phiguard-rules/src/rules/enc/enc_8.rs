use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every SNS topic in PHI scope encrypts messages at rest with a
    /// customer-managed KMS key: not the AWS-managed `alias/aws/sns` key, and
    /// not unencrypted.
    ///
    /// ### Why
    /// SNS stores each message until every subscriber has it. With a
    /// customer-managed key, the key policy decides who can publish and read
    /// encrypted messages, and every use of the key is logged in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `sns:GetTopicAttributes` (`KmsMasterKeyId`).
    /// - Terraform: `aws_sns_topic.kms_master_key_id`.
    /// - CloudFormation: `AWS::SNS::Topic.KmsMasterKeyId`.
    ///
    /// A key referenced from the same estate is customer-managed;
    /// `alias/aws/sns` is not; a key from a parameter without a default is unknown.
    ///
    /// ### Defaults assumed
    /// - A topic without `KmsMasterKeyId` is not encrypted at rest: SNS
    ///   encrypts a topic's messages only under the KMS key the topic names.
    ///   Amazon SNS Developer Guide, "Encryption at rest":
    ///   <https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html>.
    pub static RULE = {
        id: "ENC-8",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Topics, KmsKeys],
        scope: Resource,
        title: "SNS topics in PHI scope are encrypted with a customer-managed KMS key",
        remediation: "Set KmsMasterKeyId (Terraform kms_master_key_id) on the topic to a customer-managed KMS key whose policy lets the publishers and the subscribing services use it.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for t in &inv.topics {
        if !cx.phi_scoped(t.rid) {
            continue;
        }
        match &t.key {
            Val::Unknown(r) => cx.unknown(t.rid, r.clone()),
            Val::Known(None) => cx.fail(
                t.rid,
                "the topic is not encrypted at rest (no KmsMasterKeyId: SNS does not encrypt a topic by default)",
            ),
            Val::Known(Some(k)) => judge_cmk(cx, t.rid, "the topic", &Val::Known(k.clone())),
        }
    }
}
