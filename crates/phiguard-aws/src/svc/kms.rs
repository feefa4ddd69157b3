//! KMS keys of a region: manager, spec, state, rotation, policy, aliases, tags.

use crate::errors::ce;
use crate::scope::{Scope, tag_map};
use crate::{all, client};
use phiguard_model::{Collection, KeyManager, KeyState, KmsKey, Val};
use std::collections::BTreeMap;

pub async fn collect(s: Scope) {
    let c = client!(aws_sdk_kms, s);
    let Some(keys) = s.listed(Collection::KmsKeys, "kms:ListKeys", all!(c.list_keys())) else {
        return;
    };
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(list) = s.listed(
        Collection::KmsKeys,
        "kms:ListAliases",
        all!(c.list_aliases()),
    ) {
        for a in list {
            if let (Some(k), Some(n)) = (a.target_key_id(), a.alias_name()) {
                aliases
                    .entry(k.to_string())
                    .or_default()
                    .push(n.to_string());
            }
        }
    }
    for k in keys {
        let Some(id) = k.key_id().map(str::to_string) else {
            continue;
        };
        let meta = match c.describe_key().key_id(&id).send().await {
            Ok(o) => o.key_metadata,
            Err(e) => {
                s.gap(Collection::KmsKeys, "kms:DescribeKey", &ce(e));
                continue;
            }
        };
        let Some(m) = meta else { continue };
        // An `alias/aws/*` key is AWS-managed whatever else is said of it.
        let aws_alias = aliases
            .get(&id)
            .is_some_and(|a| a.iter().any(|n| n.starts_with("alias/aws/")));
        let manager = match m.key_manager().map(|m| m.as_str()) {
            Some("AWS") => KeyManager::Aws,
            _ if aws_alias => KeyManager::Aws,
            _ => KeyManager::Customer,
        };
        // A SYMMETRIC_DEFAULT key is always an ENCRYPT_DECRYPT key.
        let symmetric = m.key_spec().map(|s| s.as_str()) == Some("SYMMETRIC_DEFAULT");
        let state = match m.key_state().map(|s| s.as_str()) {
            Some("Enabled") => KeyState::Enabled,
            Some("Disabled") => KeyState::Disabled,
            Some("PendingDeletion") => KeyState::PendingDeletion,
            Some(o) => KeyState::Other(o.to_string()),
            None => KeyState::Other("unknown".into()),
        };
        let origin = m
            .origin()
            .map(|o| o.as_str().to_string())
            .unwrap_or_else(|| "AWS_KMS".to_string());
        let live = matches!(state, KeyState::Enabled | KeyState::Disabled);
        let rotation = if manager == KeyManager::Aws {
            Val::Known(true)
        } else if !symmetric || origin != "AWS_KMS" {
            // Imported material and custom key stores cannot rotate automatically.
            Val::Known(false)
        } else if !live {
            Val::unknown(
                "the key is pending deletion or unavailable, so its rotation cannot be read",
            )
        } else {
            match c.get_key_rotation_status().key_id(&id).send().await {
                Ok(o) => Val::Known(o.key_rotation_enabled()),
                Err(e) => Val::unknown(format!("kms:GetKeyRotationStatus: {}", ce(e))),
            }
        };
        let policy = match c
            .get_key_policy()
            .key_id(&id)
            .policy_name("default")
            .send()
            .await
        {
            Ok(o) => match o.policy() {
                Some(p) => crate::policy::parse(p).map(Val::Known).unwrap_or_else(|e| {
                    Val::unknown(format!("the key policy could not be read: {e}"))
                }),
                None => Val::unknown("kms:GetKeyPolicy returned no policy"),
            },
            Err(e) => Val::unknown(format!("kms:GetKeyPolicy: {}", ce(e))),
        };
        let tags = if manager == KeyManager::Customer {
            match c.list_resource_tags().key_id(&id).send().await {
                Ok(o) => Some(tag_map(
                    o.tags().iter().map(|t| (t.tag_key(), t.tag_value())),
                )),
                Err(_) => None,
            }
        } else {
            Some(BTreeMap::new())
        };
        let arn = m
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("kms", &format!("key/{id}")));
        let rid = s.add("AWS::KMS::Key", &id, &arn, tags);
        let al = aliases.remove(&id).unwrap_or_default();
        s.with(|inv| {
            inv.kms_keys.push(KmsKey {
                rid,
                key_id: Val::Known(id.clone()),
                manager: Val::Known(manager),
                symmetric: Val::Known(symmetric),
                origin: Val::Known(origin),
                rotation_enabled: rotation,
                policy,
                state: Val::Known(state),
                aliases: al,
            })
        });
    }
}
