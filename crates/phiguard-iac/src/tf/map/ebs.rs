//! `aws_ebs_volume`, and the account settings `aws_ebs_encryption_by_default`
//! with `aws_ebs_default_kms_key`.

use super::omitted;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{EbsDefaults, EbsVolume, KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_ebs_volume", "aws_ebs_encryption_by_default"],
    map,
    finish: no_finish,
};

/// Whether two units set the same account's settings in the same region:
/// the same plan, or plans whose aws provider names one account
/// (`allowed_account_ids`) and one region, and the same ones. Encryption by
/// default and the default key are account settings per region, often set
/// by a baseline configuration apart from the workloads.
fn same_place(m: &Mapper, a: u32, b: u32) -> bool {
    if a == b {
        return true;
    }
    let place = |u: u32| {
        let unit = m.before().units.get(u as usize)?;
        match (&unit.account, &unit.region) {
            (Val::Known(acct), Val::Known(region)) => Some((acct.clone(), region.clone())),
            _ => None,
        }
    };
    place(a).is_some_and(|p| Some(p) == place(b))
}

/// The key of the estate's `aws_ebs_default_kms_key` for the unit's account
/// and region (`aws/ebs` without one).
fn default_key(m: &Mapper, unit: u32) -> Val<KeyRef> {
    match m
        .est
        .of_type("aws_ebs_default_kms_key")
        .find(|k| same_place(m, k.unit, unit))
    {
        Some(k) => m.est.props(k).get("key_arn").key_ref("aws/ebs"),
        None => Val::Known(KeyRef::AwsManaged("aws/ebs".into())),
    }
}

/// Encryption by default turned on in the same plan or state, or in another
/// for the same account and region.
fn default_on(m: &Mapper, unit: u32) -> bool {
    m.est
        .of_type("aws_ebs_encryption_by_default")
        .filter(|d| same_place(m, d.unit, unit))
        .any(|d| {
            m.est
                .props(d)
                .get("enabled")
                .bool_or(true)
                .is_ok_and(|v| v.is_true())
        })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    if r.ty == "aws_ebs_encryption_by_default" {
        // `enabled` defaults to true.
        let enabled = p.get("enabled").bool_or(true)?;
        let key = default_key(m, r.unit);
        m.inv.ebs_defaults.push(EbsDefaults {
            rid: r.rid,
            enabled,
            key,
        });
        return Ok(());
    }
    let snapshot = !omitted(p.get("snapshot_id"), r.rid, "snapshot_id");
    // `encrypted` left out: the provider computes it, and AWS encrypts only
    // when encryption by default is on (in this plan: then with its key) or
    // the snapshot is encrypted. As written, the volume is unencrypted, like
    // an omitted `Encrypted` in CloudFormation.
    let (encrypted, default_key_applies) = if omitted(p.get("encrypted"), r.rid, "encrypted") {
        if default_on(m, r.unit) {
            (Val::Known(true), true)
        } else if snapshot {
            (
                Val::unknown(format!(
                    "the volume takes its encryption from snapshot {}",
                    p.get("snapshot_id").text().unwrap_or_default()
                )),
                false,
            )
        } else {
            (Val::Known(false), false)
        }
    } else {
        (p.get("encrypted").bool_or(false)?, false)
    };
    // An encrypted volume without `kms_key_id` uses the account's default
    // EBS key: `aws/ebs` unless the plan sets another.
    let key = if omitted(p.get("kms_key_id"), r.rid, "kms_key_id") {
        if default_key_applies
            || m.est
                .of_type("aws_ebs_default_kms_key")
                .any(|k| same_place(m, k.unit, r.unit))
        {
            default_key(m, r.unit)
        } else {
            Val::Known(KeyRef::AwsManaged("aws/ebs".into()))
        }
    } else {
        p.get("kms_key_id").key_ref("aws/ebs")
    };
    m.inv.ebs_volumes.push(EbsVolume {
        rid: r.rid,
        encrypted,
        key,
    });
    Ok(())
}
