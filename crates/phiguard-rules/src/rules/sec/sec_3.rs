use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// Every Secrets Manager secret is encrypted with a customer-managed KMS
    /// key, not the AWS-managed `aws/secretsmanager` key.
    ///
    /// ### Why
    /// Secrets guard the way to PHI. A customer-managed key lets the key
    /// policy, not only IAM, decide who can read them, logs every decrypt,
    /// and is required to share a secret across accounts.
    ///
    /// ### Sources
    /// - Live: `secretsmanager:DescribeSecret` (`KmsKeyId`).
    /// - Terraform: `aws_secretsmanager_secret.kms_key_id`.
    /// - CloudFormation: `AWS::SecretsManager::Secret.KmsKeyId` (default: `aws/secretsmanager`).
    pub static RULE = {
        id: "SEC-3",
        control: SecretManagement,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Secrets, KmsKeys],
        scope: Resource,
        title: "Secrets are encrypted with a customer-managed key",
        remediation: "Set KmsKeyId (kms_key_id) on the secret to a customer-managed KMS key.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for s in &cx.inv.secrets {
        judge_cmk(cx, s.rid, "the secret", &s.key);
    }
}
