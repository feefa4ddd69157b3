use crate::{Cx, declare_rule};
use phiguard_model::{KeyManager, Val};

declare_rule! {
    /// ### What it checks
    /// Every customer-managed symmetric KMS key (`SYMMETRIC_DEFAULT`, used for
    /// `ENCRYPT_DECRYPT`) has automatic key rotation enabled.
    ///
    /// ### Why
    /// Rotating the key material limits how much PHI a single compromised key
    /// version can expose, and auditors expect it for keys that protect ePHI.
    /// AWS-managed keys rotate by themselves; asymmetric and HMAC keys cannot
    /// rotate automatically and are not judged.
    ///
    /// ### Sources
    /// - Live: `kms:GetKeyRotationStatus`.
    /// - Terraform: `aws_kms_key.enable_key_rotation` (default `false`).
    /// - CloudFormation: `AWS::KMS::Key.EnableKeyRotation` (default `false`).
    ///
    /// ### Example
    /// ```yaml
    /// PhiKey:
    ///   Type: AWS::KMS::Key
    ///   Properties:
    ///     EnableKeyRotation: true
    /// ```
    pub static RULE = {
        id: "ENC-1",
        control: AtRestEncryption,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [KmsKeys],
        scope: Resource,
        title: "Customer-managed symmetric KMS keys rotate automatically",
        remediation: "Enable automatic rotation on the key (EnableKeyRotation: true / enable_key_rotation = true).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for k in &cx.inv.kms_keys {
        match (&k.manager, &k.symmetric) {
            (Val::Known(KeyManager::Aws), _) | (_, Val::Known(false)) => continue,
            (Val::Unknown(r), _) | (_, Val::Unknown(r)) => {
                cx.unknown(k.rid, r.clone());
                continue;
            }
            _ => {}
        }
        cx.judge(
            k.rid,
            k.rotation_enabled.clone(),
            "automatic key rotation is enabled",
            "automatic key rotation is not enabled",
        );
    }
}
