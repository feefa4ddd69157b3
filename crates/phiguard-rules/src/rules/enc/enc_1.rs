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
    /// ### Not applicable
    /// Keys with imported key material (`Origin: EXTERNAL`) and keys in a
    /// custom key store (AWS CloudHSM or an external key store) cannot rotate
    /// automatically: `EnableKeyRotation` is refused for them, so they are not
    /// judged (rotate imported material by importing new material on demand).
    /// AWS KMS Developer Guide, "Rotate AWS KMS keys" (automatic rotation is
    /// supported only for symmetric encryption keys with key material that
    /// KMS generates):
    /// <https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html>.
    ///
    /// ### Sources
    /// - Live: `kms:GetKeyRotationStatus`.
    /// - Terraform: `aws_kms_key.enable_key_rotation` (default `false`).
    /// - CloudFormation: `AWS::KMS::Key.EnableKeyRotation` (default `false`),
    ///   `AWS::KMS::Key.Origin` (default `AWS_KMS`).
    /// - Terraform: `aws_kms_external_key` (imported material) and
    ///   `aws_kms_key.custom_key_store_id` / `xks_key_id` are not applicable.
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
            _ if k.origin.known().is_some_and(|o| o != "AWS_KMS") => continue,
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
