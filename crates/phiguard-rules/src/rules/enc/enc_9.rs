use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Kinesis data stream in PHI scope encrypts records at rest with a
    /// customer-managed KMS key: not the AWS-managed `alias/aws/kinesis` key,
    /// and not unencrypted.
    ///
    /// ### Why
    /// A stream keeps every record for its retention period (a day to a
    /// year). With a customer-managed key, reading PHI from the stream needs
    /// both Kinesis and KMS permissions, and every decrypt is logged in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `kinesis:DescribeStreamSummary` (`EncryptionType`, `KeyId`).
    /// - Terraform: `aws_kinesis_stream.encryption_type` and `kms_key_id`.
    /// - CloudFormation: `AWS::Kinesis::Stream.StreamEncryption` (`EncryptionType`, `KeyId`).
    ///
    /// A key referenced from the same estate is customer-managed;
    /// `alias/aws/kinesis` is not; a key from a parameter without a default is unknown.
    ///
    /// ### Defaults assumed
    /// - A stream is not encrypted until server-side encryption is started
    ///   (`EncryptionType` `NONE`): without `StreamEncryption` CloudFormation
    ///   creates (or, when the property is removed, turns) the stream
    ///   unencrypted, and Terraform's `encryption_type` defaults to `NONE`.
    ///   AWS CloudFormation, `AWS::Kinesis::Stream`:
    ///   <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kinesis-stream.html>;
    ///   Amazon Kinesis Data Streams Developer Guide, "What is server-side encryption":
    ///   <https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html>.
    pub static RULE = {
        id: "ENC-9",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Streams, KmsKeys],
        scope: Resource,
        title: "Kinesis data streams in PHI scope are encrypted with a customer-managed KMS key",
        remediation: "Set StreamEncryption { EncryptionType: KMS, KeyId: <customer-managed key> } on the stream (Terraform encryption_type = \"KMS\" and kms_key_id).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for s in &inv.streams {
        if !cx.phi_scoped(s.rid) {
            continue;
        }
        match &s.key {
            Val::Unknown(r) => cx.unknown(s.rid, r.clone()),
            Val::Known(None) => cx.fail(
                s.rid,
                "the stream is not encrypted at rest (EncryptionType NONE, the default until encryption is started)",
            ),
            Val::Known(Some(k)) => judge_cmk(cx, s.rid, "the stream", &Val::Known(k.clone())),
        }
    }
}
