use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::{KeyRef, Val};

declare_rule! {
    /// ### What it checks
    /// Every Redshift provisioned cluster is encrypted under a
    /// customer-managed KMS key, and so is every Redshift Serverless namespace.
    /// A cluster encrypted with the key Redshift picks when none is named
    /// (`KmsKeyId` omitted) fails: it is encrypted, but not with a key the
    /// organization controls. Every warehouse is judged, whatever its tags, as
    /// ENC-4 judges every database.
    ///
    /// ### Why
    /// A warehouse gathers PHI from many systems, with its snapshots and
    /// cross-Region copies. A customer-managed key makes every decrypt depend
    /// on a key policy the organization controls, logs it in CloudTrail, and
    /// lets the key be disabled to cut access to every copy at once.
    ///
    /// ### Sources
    /// - Live: `redshift:DescribeClusters` (`Encrypted`, `KmsKeyId`). Redshift
    ///   Serverless namespaces are not read by the live audit.
    /// - Terraform: `aws_redshift_cluster` (`encrypted`, `kms_key_id`),
    ///   `aws_redshiftserverless_namespace` (`kms_key_id`).
    /// - CloudFormation: `AWS::Redshift::Cluster` (`Encrypted`, `KmsKeyId`),
    ///   `AWS::RedshiftServerless::Namespace` (`KmsKeyId`).
    ///
    /// ### Defaults assumed
    /// - `Encrypted` defaults to `true`, and a request that sets it to `false`
    ///   fails: new clusters are always encrypted (Redshift API Reference,
    ///   CreateCluster: <https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html>).
    ///   An omitted `Encrypted` therefore reads as encrypted; an explicit
    ///   `false` fails (an existing cluster can still be unencrypted, and the
    ///   live audit reports it).
    /// - Without `KmsKeyId`, Redshift encrypts with its default key, never a
    ///   customer-managed one ("If you don't provide a KmsKeyId, we encrypt
    ///   with the default key", ModifyCluster:
    ///   <https://docs.aws.amazon.com/redshift/latest/APIReference/API_ModifyCluster.html>).
    /// - A Serverless namespace is always encrypted; without `KmsKeyId` it
    ///   uses an AWS-owned key, never a customer-managed one (the AWS Config rule
    ///   `redshift-serverless-namespace-cmk-encryption` judges the same:
    ///   <https://docs.aws.amazon.com/config/latest/developerguide/redshift-serverless-namespace-cmk-encryption.html>).
    /// - A cluster restored from a snapshot without `Encrypted` takes the
    ///   snapshot's encryption: unknown.
    pub static RULE = {
        id: "ENC-16",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Warehouses, KmsKeys],
        scope: Resource,
        title: "Redshift clusters are encrypted with a customer-managed key",
        remediation: "Set Encrypted: true and KmsKeyId naming a customer-managed key on the Redshift cluster (Redshift migrates an existing cluster to the new key when KmsKeyId is modified), and KmsKeyId on every Redshift Serverless namespace.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for w in &cx.inv.warehouses {
        let what = if w.serverless {
            "the Redshift Serverless namespace"
        } else {
            "the Redshift cluster"
        };
        match &w.encrypted {
            Val::Unknown(r) => cx.unknown(w.rid, r.clone()),
            Val::Known(false) => cx.fail(w.rid, format!("{what} is not encrypted")),
            Val::Known(true) if matches!(w.key, Val::Known(KeyRef::AwsOwned)) => cx.fail(
                w.rid,
                if w.serverless {
                    format!(
                        "{what} is encrypted with an AWS-owned key (no KmsKeyId), not a customer-managed key"
                    )
                } else {
                    format!(
                        "{what} is encrypted with the key Redshift picks when none is named (no KmsKeyId), not a customer-managed key"
                    )
                },
            ),
            Val::Known(true) => judge_cmk(cx, w.rid, what, &w.key),
        }
    }
}
