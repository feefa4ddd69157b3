//! `AWS::KMS::Key` (aliases are resolved by the estate).

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{KeyManager, KeyState, KmsKey, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::KMS::Key"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let spec = p.get("KeySpec").str_or("SYMMETRIC_DEFAULT")?;
    let usage = p.get("KeyUsage").str_or("ENCRYPT_DECRYPT")?;
    let symmetric = match (spec, usage) {
        (Val::Known(s), Val::Known(u)) => {
            Val::Known(s == "SYMMETRIC_DEFAULT" && u == "ENCRYPT_DECRYPT")
        }
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r),
    };
    let policy = if p.get("KeyPolicy").is_absent() {
        // Without a KeyPolicy, CloudFormation applies the default policy: the
        // account root has full access.
        Val::Known(phiguard_model::PolicyDoc::default())
    } else {
        p.get("KeyPolicy").policy()?
    };
    let state = match p.get("Enabled").bool_or(true)? {
        Val::Known(true) => Val::Known(KeyState::Enabled),
        Val::Known(false) => Val::Known(KeyState::Disabled),
        Val::Unknown(r) => Val::Unknown(r),
    };
    let aliases = m
        .est
        .aliases_targeting(r.rid)
        .iter()
        .filter(|a| m.est.kind(**a) == "AWS::KMS::Alias")
        .filter_map(|a| m.est.get(*a))
        .filter_map(|a| m.est.props(a).get("AliasName").text())
        .collect();
    m.inv.kms_keys.push(KmsKey {
        rid: r.rid,
        key_id: Val::unknown("assigned at deploy time"),
        manager: Val::Known(KeyManager::Customer),
        symmetric,
        origin: p.get("Origin").str_or("AWS_KMS")?,
        rotation_enabled: p.get("EnableKeyRotation").bool_or(false)?,
        policy,
        state,
        aliases,
    });
    Ok(())
}
