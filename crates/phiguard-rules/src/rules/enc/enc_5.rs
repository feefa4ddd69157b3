use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// Every DynamoDB table is encrypted with SSE-KMS under a customer-managed
    /// key: not the AWS-owned key DynamoDB uses by default, and not the
    /// AWS-managed `aws/dynamodb` key.
    ///
    /// ### Why
    /// With the default AWS-owned key, nobody in the account can restrict or
    /// audit the use of the key that protects PHI; with a customer-managed key
    /// the key policy decides, and every use is logged in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `dynamodb:DescribeTable` `SSEDescription`.
    /// - Terraform: `aws_dynamodb_table.server_side_encryption` (`enabled`, `kms_key_arn`).
    /// - CloudFormation: `AWS::DynamoDB::Table.SSESpecification` (no `SSESpecification`
    ///   or `SSEEnabled: false` is the AWS-owned key; `SSEEnabled: true` without
    ///   `KMSMasterKeyId` is `aws/dynamodb`), and `AWS::DynamoDB::GlobalTable`, whose
    ///   replicas name their keys in `Replicas[].SSESpecification.KMSMasterKeyId`.
    pub static RULE = {
        id: "ENC-5",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [DynamoTables, KmsKeys],
        scope: Resource,
        title: "DynamoDB tables use SSE-KMS with a customer-managed key",
        remediation: "Set SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: <customer-managed key> } on the table (for global tables, a key on every replica).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for t in &cx.inv.dynamo_tables {
        judge_cmk(cx, t.rid, "the table", &t.key);
    }
}
