use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Amazon OpenSearch Service domain (OpenSearch or legacy
    /// Elasticsearch engine) has encryption at rest on, under a
    /// customer-managed KMS key: not off, and not the AWS-managed `aws/es`
    /// key. Every domain is judged, in PHI scope or not, as ENC-2 judges every
    /// bucket and ENC-4 every database: a search index is a copy of the data
    /// it indexes.
    ///
    /// ### Why
    /// Indexes, automated snapshots, logs and swap files of a search domain
    /// hold the PHI that was indexed. Encryption at rest can only be turned on
    /// once and never off or re-keyed; a customer-managed key puts every
    /// decrypt behind a key policy the organization controls and in its
    /// CloudTrail.
    ///
    /// ### Sources
    /// - Live: `es:DescribeDomains` `EncryptionAtRestOptions` (`Enabled`, `KmsKeyId`).
    /// - Terraform: `aws_opensearch_domain` / `aws_elasticsearch_domain`
    ///   `encrypt_at_rest` (`enabled`, `kms_key_id`).
    /// - CloudFormation: `AWS::OpenSearchService::Domain` / `AWS::Elasticsearch::Domain`
    ///   `EncryptionAtRestOptions` (`Enabled`, `KmsKeyId`).
    ///
    /// ### Defaults assumed
    /// - Without `EncryptionAtRestOptions` (or with `Enabled` left out), a
    ///   domain is not encrypted at rest: the feature encrypts a domain only
    ///   "if enabled" (Amazon OpenSearch Service Developer Guide, "Encryption
    ///   of data at rest for Amazon OpenSearch Service":
    ///   <https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html>).
    /// - Encryption on without `KmsKeyId` uses the AWS-managed key `aws/es`
    ///   (same page; the AWS CDK documents the same default, "uses default
    ///   aws/es KMS key":
    ///   <https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_opensearchservice.EncryptionAtRestOptions.html>).
    ///   Live, AWS names that key by its ARN; `kms:DescribeKey` (read by the
    ///   KMS collector) tells it is AWS-managed.
    /// - A key from a template parameter without a default, or a key ARN
    ///   outside the estate, is unknown: whether it is customer-managed cannot
    ///   be told.
    pub static RULE = {
        id: "ENC-14",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [SearchDomains, KmsKeys],
        scope: Resource,
        title: "OpenSearch domains are encrypted at rest with a customer-managed key",
        remediation: "Set EncryptionAtRestOptions (Terraform: encrypt_at_rest) with Enabled: true and KmsKeyId naming a customer-managed KMS key; a domain already encrypted under aws/es cannot change key and must be recreated (restore its indexes from a snapshot).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for d in &cx.inv.search_domains {
        match &d.encrypted {
            Val::Unknown(r) => cx.unknown(d.rid, r.clone()),
            Val::Known(false) => cx.fail(
                d.rid,
                "the domain is not encrypted at rest (EncryptionAtRestOptions.Enabled is false, the default)",
            ),
            Val::Known(true) => judge_cmk(cx, d.rid, "the domain", &d.key),
        }
    }
}
