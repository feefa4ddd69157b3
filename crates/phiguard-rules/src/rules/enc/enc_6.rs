use crate::util::keys::key_users;
use crate::{Cx, declare_rule};
use phiguard_model::{Effect, KeyState, Statement, Val};

declare_rule! {
    /// ### What it checks
    /// 1. No KMS key policy allows everyone (`Principal: "*"`, `{"AWS": "*"}`,
    ///    or `NotPrincipal`) unless the statement is restricted to the
    ///    organization or an account by a positive condition on
    ///    `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`,
    ///    `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths` or
    ///    `kms:CallerAccount`.
    /// 2. No key that a resource of the estate uses (a bucket, volume, table,
    ///    database, secret, log group, trail, cluster, backup vault, file
    ///    system, container repository, notebook instance, cache, warehouse,
    ///    queue, topic or stream that names it) is disabled or pending
    ///    deletion.
    ///
    /// ### Why
    /// A key policy open to every AWS principal hands decryption of PHI to
    /// anyone who can reach the data. A disabled or deleted key makes the PHI it
    /// protects unreadable: an availability failure, and after deletion, a
    /// permanent loss.
    ///
    /// ### Sources
    /// - Live: `kms:GetKeyPolicy`, `kms:DescribeKey` `KeyState`.
    /// - Terraform: `aws_kms_key.policy`, `is_enabled`, and the resources that reference the key.
    /// - CloudFormation: `AWS::KMS::Key.KeyPolicy` and `Enabled` (default `true`), and
    ///   the resources that reference the key. A template cannot schedule a key's
    ///   deletion, so "pending deletion" comes from other sources.
    pub static RULE = {
        id: "ENC-6",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [KmsKeys, Buckets, EbsVolumes, EbsDefaults, Databases, DynamoTables, Secrets, LogGroups, Trails, Eks, Backup, SearchDomains, EfsFileSystems, Ecr, NotebookInstances, Caches, Warehouses, Queues, Topics, Streams],
        scope: Resource,
        title: "KMS key policies are not open to everyone, and no key in use is disabled or pending deletion",
        remediation: "Restrict Principal \"*\" statements with aws:PrincipalOrgID (or aws:PrincipalAccount / kms:CallerAccount), and enable (or cancel the deletion of) every key that protects data.",
        check: check,
    }
}

/// Condition keys that restrict a statement to the organization or to accounts.
const RESTRICTING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "kms:calleraccount",
];

/// An Allow that reaches every principal without a restricting condition.
fn open_to_everyone(s: &Statement) -> bool {
    if s.effect != Effect::Allow {
        return false;
    }
    if !(s.principal_is_wildcard() || s.not_principal.is_some()) {
        return false;
    }
    !s.conditions.iter().any(|c| {
        let op = c.operator.to_ascii_lowercase();
        RESTRICTING.contains(&c.key.to_ascii_lowercase().as_str())
            && op.contains("string")
            && !op.contains("not")
            && !op.ends_with("ifexists")
            && !c.values.is_empty()
            // A pattern (`o-*`) bounds nothing: every value must be exact.
            && c.values.iter().all(|v| !v.contains(['*', '?']))
    })
}

fn check(cx: &mut Cx) {
    let users_by_key = key_users(cx.inv);
    for k in &cx.inv.kms_keys {
        let mut fails = Vec::new();
        let mut unknowns = Vec::new();
        match &k.policy {
            Val::Known(doc) => {
                let open: Vec<String> = doc
                    .statements
                    .iter()
                    .filter(|s| open_to_everyone(s))
                    .map(|s| s.sid.clone().unwrap_or_else(|| "(no Sid)".into()))
                    .collect();
                if !open.is_empty() {
                    fails.push(format!(
                        "the key policy allows every principal without an organization or account condition (statement {})",
                        open.join(", ")
                    ));
                }
            }
            Val::Unknown(r) => unknowns.push(r.clone()),
        }
        if let Some(users) = users_by_key.get(&k.rid) {
            let names: Vec<&str> = users
                .iter()
                .map(|u| cx.inv.meta(*u).name.as_str())
                .collect();
            match &k.state {
                Val::Known(KeyState::Disabled) => fails.push(format!(
                    "the key is disabled but protects {}",
                    names.join(", ")
                )),
                Val::Known(KeyState::PendingDeletion) => fails.push(format!(
                    "the key is pending deletion but protects {}",
                    names.join(", ")
                )),
                Val::Known(_) => {}
                Val::Unknown(r) => unknowns.push(r.clone()),
            }
        }
        if !fails.is_empty() {
            cx.fail(k.rid, fails.join("; "));
        } else if !unknowns.is_empty() {
            cx.unknown(k.rid, unknowns.join("; "));
        } else {
            cx.pass(
                k.rid,
                "the key policy is not open to everyone, and the key is usable by what it protects",
            );
        }
    }
}
