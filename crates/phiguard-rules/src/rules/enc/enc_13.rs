use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every SageMaker notebook instance names a customer-managed KMS key
    /// (`KmsKeyId`) for its storage volume.
    ///
    /// ### Why
    /// Notebook instances are where data scientists copy data to explore it;
    /// their ML storage volume (`/home/ec2-user/SageMaker`) keeps it across
    /// restarts, and snapshots of it are taken when the instance stops. With
    /// a customer-managed key, reading that volume depends on a key policy
    /// the organization controls, and every use is in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `sagemaker:ListNotebookInstances`, `sagemaker:DescribeNotebookInstance` (`KmsKeyId`).
    /// - Terraform: `aws_sagemaker_notebook_instance.kms_key_id`.
    /// - CloudFormation: `AWS::SageMaker::NotebookInstance.KmsKeyId`.
    ///
    /// ### Defaults assumed
    /// - Without a KMS key, SageMaker encrypts a notebook instance's OS and ML
    ///   storage volumes with a system-managed key: encrypted, but not under a
    ///   key the account can restrict or audit. Amazon SageMaker AI Developer
    ///   Guide, "Notebook instances, SageMaker AI jobs, and Endpoints":
    ///   <https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html>.
    pub static RULE = {
        id: "ENC-13",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [NotebookInstances, KmsKeys],
        scope: Resource,
        title: "SageMaker notebook instances encrypt their storage with a customer-managed KMS key",
        remediation: "Set KmsKeyId on the notebook instance to a customer-managed key (the key of an existing instance cannot be changed: create a new instance with the key and move the notebooks).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for n in &inv.notebook_instances {
        match &n.key {
            Val::Unknown(r) => cx.unknown(n.rid, r.clone()),
            Val::Known(None) => cx.fail(
                n.rid,
                "the notebook instance names no KmsKeyId: SageMaker encrypts its storage with a system-managed key, not a customer-managed key",
            ),
            Val::Known(Some(k)) => judge_cmk(
                cx,
                n.rid,
                "the notebook instance's storage",
                &Val::Known(k.clone()),
            ),
        }
    }
}
