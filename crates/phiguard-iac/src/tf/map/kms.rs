//! `aws_kms_key` (aliases, `aws_kms_alias`, are resolved by the estate).

use super::omitted;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{KeyManager, KeyRef, KeyState, KmsKey, PolicyDoc, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_kms_key", "aws_kms_external_key"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // `key_spec` replaced `customer_master_key_spec`; both default to SYMMETRIC_DEFAULT.
    let spec = if p.get("key_spec").is_absent() {
        p.get("customer_master_key_spec")
            .str_or("SYMMETRIC_DEFAULT")?
    } else {
        p.get("key_spec").str_or("SYMMETRIC_DEFAULT")?
    };
    let usage = p.get("key_usage").str_or("ENCRYPT_DECRYPT")?;
    let symmetric = match (spec, usage) {
        (Val::Known(s), Val::Known(u)) => {
            Val::Known(s == "SYMMETRIC_DEFAULT" && u == "ENCRYPT_DECRYPT")
        }
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r),
    };
    let policy = if omitted(p.get("policy"), r.rid, "policy") {
        // Without a policy, AWS applies the default key policy: the account
        // root has full access.
        Val::Known(PolicyDoc::default())
    } else {
        p.get("policy").policy()?
    };
    let state = match p.get("is_enabled").bool_or(true)? {
        Val::Known(true) => Val::Known(KeyState::Enabled),
        Val::Known(false) => Val::Known(KeyState::Disabled),
        Val::Unknown(r) => Val::Unknown(r),
    };
    let aliases = m
        .est
        .of_type("aws_kms_alias")
        .filter(|a| {
            matches!(m.est.props(a).get("target_key_id").key_ref(""),
                Val::Known(KeyRef::Key(k)) if k == r.rid)
        })
        .filter_map(|a| m.est.props(a).get("name").text())
        .collect();
    let key_id = match p.get("key_id").str_opt()? {
        Val::Known(Some(k)) => Val::Known(k),
        Val::Known(None) => Val::unknown("the key id is assigned at apply time"),
        Val::Unknown(r) => Val::Unknown(r),
    };
    // Imported key material is its own resource type; a key in a custom key
    // store names the store.
    let origin = if r.ty == "aws_kms_external_key" {
        Val::Known("EXTERNAL".to_string())
    } else {
        match (
            p.get("custom_key_store_id").str_opt()?,
            p.get("xks_key_id").str_opt()?,
        ) {
            (_, Val::Known(Some(x))) if !x.is_empty() => Val::Known("EXTERNAL_KEY_STORE".into()),
            (Val::Known(Some(s)), _) if !s.is_empty() => Val::Known("AWS_CLOUDHSM".into()),
            (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r),
            _ => Val::Known("AWS_KMS".into()),
        }
    };
    m.inv.kms_keys.push(KmsKey {
        rid: r.rid,
        key_id,
        manager: Val::Known(KeyManager::Customer),
        symmetric,
        origin,
        // Terraform's default: rotation off.
        rotation_enabled: p.get("enable_key_rotation").bool_or(false)?,
        policy,
        state,
        aliases,
    });
    Ok(())
}
