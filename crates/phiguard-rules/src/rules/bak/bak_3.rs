use crate::util::keys::customer_managed;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every backup vault is encrypted with a customer-managed KMS key (not
    /// the AWS-managed `aws/backup` key) and is under Vault Lock.
    ///
    /// ### Why
    /// Backups are a full copy of the PHI. A customer-managed key keeps the
    /// key policy in the organization's hands; Vault Lock stops anyone,
    /// including an attacker with administrator rights, from deleting recovery
    /// points or shortening their retention.
    ///
    /// ### Sources
    /// - Live: `backup:DescribeBackupVault` (`EncryptionKeyArn`, `Locked`).
    /// - Terraform: `aws_backup_vault.kms_key_arn`, `aws_backup_vault_lock_configuration`.
    /// - CloudFormation: `AWS::Backup::BackupVault` `EncryptionKeyArn` (default:
    ///   `aws/backup`) and `LockConfiguration`.
    pub static RULE = {
        id: "BAK-3",
        control: DisasterRecovery,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Backup, KmsKeys],
        scope: Resource,
        title: "Backup vaults use a customer-managed key and Vault Lock",
        remediation: "Set EncryptionKeyArn to a customer-managed KMS key (a vault's key is fixed at creation) and add a LockConfiguration.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for v in &cx.inv.backup_vaults {
        let (cmk, desc) = customer_managed(cx.inv, &v.key);
        let mut bad = Vec::new();
        let mut unknown = None;
        match cmk {
            Val::Known(false) => bad.push(format!(
                "is encrypted with {desc}, not a customer-managed key"
            )),
            Val::Unknown(r) => unknown = Some(r),
            Val::Known(true) => {}
        }
        match &v.locked {
            Val::Known(false) => bad.push("it has no Vault Lock".to_string()),
            Val::Unknown(r) => {
                unknown.get_or_insert(r.clone());
            }
            Val::Known(true) => {}
        }
        if !bad.is_empty() {
            cx.fail(v.rid, bad.join("; "));
        } else if let Some(r) = unknown {
            cx.unknown(v.rid, r);
        } else {
            cx.pass(
                v.rid,
                format!("the vault is encrypted with customer-managed {desc} and has Vault Lock"),
            );
        }
    }
}
