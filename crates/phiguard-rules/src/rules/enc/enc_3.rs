use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every EBS volume is encrypted with a customer-managed KMS key, and EBS
    /// encryption by default is on (with a customer-managed default key) in
    /// every account and region where the source reports it.
    ///
    /// ### Why
    /// EBS volumes hold the disks of the instances that process PHI. An
    /// unencrypted volume, or one under the AWS-managed `aws/ebs` key, leaves
    /// access to the data to EC2 permissions alone, with no key policy to
    /// restrict or audit it.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeVolumes`, `ec2:GetEbsEncryptionByDefault`, `ec2:GetEbsDefaultKmsKeyId`.
    /// - Terraform: `aws_ebs_volume` (`encrypted`, `kms_key_id`), `aws_ebs_encryption_by_default`.
    /// - CloudFormation: `AWS::EC2::Volume` (`Encrypted` default `false`; without
    ///   `KmsKeyId` an encrypted volume uses `aws/ebs`). Encryption by default is an
    ///   account setting with no CloudFormation resource. One custom resource is
    ///   credited for it: `Custom::PhiguardEbsEncryptionByDefault`, which
    ///   `phiguard generate` writes, when its `ServiceToken` is a Lambda function
    ///   of the same templates whose inline code calls both
    ///   `EnableEbsEncryptionByDefault` and `ModifyEbsDefaultKmsKeyId` (boto3's
    ///   `enable_ebs_encryption_by_default` and `modify_ebs_default_kms_key_id`)
    ///   with the resource's `KmsKeyId`; that key is judged as the default key. The
    ///   same type backed by other code, or by a function outside the templates,
    ///   is unknown. Without that resource a template says nothing about the
    ///   setting, and it is judged only from other sources.
    ///
    /// ### Defaults assumed
    /// - With EBS encryption by default on in an account and region, EC2
    ///   encrypts every new volume there (and copies of unencrypted snapshots),
    ///   with the default KMS key of the region (`aws/ebs` unless
    ///   `ModifyEbsDefaultKmsKeyId` named another), even when `Encrypted` is
    ///   false or left out. A volume written without encryption therefore
    ///   fails only where the estate cannot show encryption by default on, and
    ///   the finding says so. A live volume that `DescribeVolumes` reports
    ///   unencrypted fails whatever the setting: it applies only to volumes
    ///   created after it was turned on. Amazon EBS User Guide, "Encryption by default":
    ///   <https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html>.
    pub static RULE = {
        id: "ENC-3",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [EbsVolumes, EbsDefaults, KmsKeys],
        scope: Resource,
        title: "EBS volumes are encrypted with a customer-managed KMS key",
        remediation: "Set Encrypted: true and KmsKeyId to a customer-managed key on every volume, and turn on EBS encryption by default with a customer-managed default key in every approved region.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for v in &cx.inv.ebs_volumes {
        match &v.encrypted {
            Val::Unknown(r) => cx.unknown(v.rid, r.clone()),
            // A volume that exists (live) and is not encrypted stays so:
            // encryption by default applies only to volumes created after it.
            Val::Known(false)
                if matches!(
                    cx.inv.meta(v.rid).origin,
                    phiguard_model::Origin::Live { .. }
                ) =>
            {
                cx.fail(v.rid, "the volume is not encrypted");
            }
            Val::Known(false) => {
                // With encryption by default on, EC2 encrypts every new volume
                // whatever `Encrypted` says; say what the estate shows of it.
                let defaults: Vec<&Val<bool>> = cx
                    .inv
                    .ebs_defaults
                    .iter()
                    .filter(|d| cx.inv.same_place(d.rid, v.rid))
                    .map(|d| &d.enabled)
                    .collect();
                if let Some(d) = cx
                    .inv
                    .ebs_defaults
                    .iter()
                    .find(|d| cx.inv.same_place(d.rid, v.rid) && d.enabled == Val::Known(true))
                {
                    let key = d.key.clone();
                    judge_cmk(
                        cx,
                        v.rid,
                        "the volume (Encrypted false or left out, but encryption by default is on in its account and region)",
                        &key,
                    );
                } else if !defaults.is_empty() && defaults.iter().all(|e| **e == Val::Known(false))
                {
                    cx.fail(
                        v.rid,
                        "the volume is not encrypted, and EBS encryption by default is off in its account and region",
                    );
                } else {
                    cx.fail(
                        v.rid,
                        "the volume is not encrypted as written (Encrypted false or left out); EC2 would encrypt it if EBS encryption by default were on in its account and region, but this estate does not show that setting (an account setting: aws_ebs_encryption_by_default in Terraform, none in CloudFormation), so set Encrypted: true",
                    );
                }
            }
            Val::Known(true) => judge_cmk(cx, v.rid, "the volume", &v.key),
        }
    }
    for d in &cx.inv.ebs_defaults {
        match &d.enabled {
            Val::Unknown(r) => cx.unknown(d.rid, r.clone()),
            Val::Known(false) => cx.fail(d.rid, "EBS encryption by default is off"),
            Val::Known(true) => judge_cmk(cx, d.rid, "EBS encryption by default", &d.key),
        }
    }
}
