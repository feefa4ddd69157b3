use crate::util::keys::customer_managed;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every EKS cluster encrypts Kubernetes secrets (envelope encryption)
    /// with a customer-managed KMS key: an `EncryptionConfig` entry whose
    /// `Resources` include `secrets`, with `Provider.KeyArn` naming a
    /// customer-managed key. No such entry fails.
    ///
    /// ### Why
    /// Kubernetes secrets hold database passwords and API tokens that open
    /// PHI. Envelope encryption under a customer-managed key puts them behind
    /// a key policy and logs every decrypt in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `eks:DescribeCluster` `encryptionConfig`.
    /// - Terraform: `aws_eks_cluster.encryption_config` (`resources`, `provider.key_arn`).
    /// - CloudFormation: `AWS::EKS::Cluster.EncryptionConfig` (`Resources`, `Provider.KeyArn`).
    ///
    /// ### Defaults assumed
    /// - Without an `EncryptionConfig`, clusters on Kubernetes 1.28 or later
    ///   still envelope-encrypt all Kubernetes API data, with an AWS-owned
    ///   key (Amazon EKS User Guide, "Default envelope encryption for all
    ///   Kubernetes API Data":
    ///   <https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html>).
    ///   An AWS-owned key is not customer-managed: no key policy of the
    ///   account restricts it and its use is not in the account's CloudTrail,
    ///   so the finding stands, and its message says so.
    pub static RULE = {
        id: "EKS-4",
        control: WorkloadAccess,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Eks, KmsKeys],
        scope: Resource,
        title: "EKS clusters encrypt Kubernetes secrets with a customer-managed KMS key",
        remediation: "Add EncryptionConfig with Resources [secrets] and Provider.KeyArn naming a customer-managed KMS key.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for c in &cx.inv.eks_clusters {
        match &c.secrets_key {
            Val::Unknown(r) => cx.unknown(c.rid, r.clone()),
            Val::Known(None) => cx.fail(
                c.rid,
                "Kubernetes secrets are not envelope-encrypted with a customer-managed KMS key (since Kubernetes 1.28, EKS envelope-encrypts all Kubernetes API data with an AWS-owned key by default, which no key policy of yours controls and whose use CloudTrail does not log in your account)",
            ),
            Val::Known(Some(k)) => {
                let (v, desc) = customer_managed(cx.inv, &Val::Known(k.clone()));
                cx.judge(
                    c.rid,
                    v,
                    format!("Kubernetes secrets are encrypted with customer-managed {desc}"),
                    format!(
                        "Kubernetes secrets are encrypted with {desc}, not a customer-managed key"
                    ),
                );
            }
        }
    }
}
