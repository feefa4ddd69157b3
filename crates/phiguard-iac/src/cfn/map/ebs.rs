//! `AWS::EC2::Volume`, and the custom resource `phiguard generate` writes for
//! EBS encryption by default.
//!
//! EBS encryption by default is an account setting with no CloudFormation
//! resource. One custom resource is credited: `Custom::PhiguardEbsEncryptionByDefault`
//! whose `ServiceToken` is a Lambda function of the same estate whose inline code
//! calls both `enable_ebs_encryption_by_default` and `modify_ebs_default_kms_key_id`
//! with the resource's `KmsKeyId` (the function `phiguard generate` writes).
//! No other custom resource says anything about the setting. Block device mappings of
//! instances and launch templates are not modelled: whether their volumes are
//! encrypted can depend on that account setting.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{EbsDefaults, EbsVolume, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::Volume", EBS_DEFAULT_TYPE],
    map,
    finish: no_finish,
};

/// The custom resource that turns on EBS encryption by default.
pub const EBS_DEFAULT_TYPE: &str = "Custom::PhiguardEbsEncryptionByDefault";

/// The account setting, from phiguard's custom resource: on when its function
/// is the one that turns it on, with the resource's `KmsKeyId` as default key.
fn map_default<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let enabled = match p.get("ServiceToken").link() {
        Val::Known(phiguard_model::Link::Resource(f))
            if m.est.kind(f) == "AWS::Lambda::Function" =>
        {
            let code = m
                .est
                .get(f)
                .and_then(|fr| m.est.props(fr).get("Code").get("ZipFile").text())
                .unwrap_or_default();
            if code.contains("enable_ebs_encryption_by_default(")
                && code.contains("modify_ebs_default_kms_key_id(")
                && code.contains("KmsKeyId")
            {
                Val::Known(true)
            } else {
                Val::unknown(format!(
                    "function {} does not show inline code that turns on EBS encryption by default",
                    m.est.name(f)
                ))
            }
        }
        Val::Known(_) => Val::unknown(
            "the ServiceToken is not a Lambda function of the templates: what it does is not known",
        ),
        Val::Unknown(reason) => Val::Unknown(reason),
    };
    let key = if p.get("KmsKeyId").is_absent() {
        Val::unknown("KmsKeyId is not set on the custom resource")
    } else {
        p.get("KmsKeyId").key_ref("aws/ebs")
    };
    m.inv.ebs_defaults.push(EbsDefaults {
        rid: r.rid,
        enabled,
        key,
    });
    Ok(())
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    if r.ty == EBS_DEFAULT_TYPE {
        return map_default(m, r);
    }
    let p = m.props(r);
    // `Encrypted` omitted means unencrypted, unless encryption by default is on
    // in the account, which a template cannot show: the volume as written is
    // unencrypted. An encrypted volume without `KmsKeyId` uses `aws/ebs`.
    // A volume restored from a snapshot without `Encrypted` takes the
    // snapshot's encryption, which the template does not show.
    let encrypted = if p.get("Encrypted").is_absent() && !p.get("SnapshotId").is_absent() {
        Val::unknown(format!(
            "the volume takes its encryption from snapshot {}",
            p.get("SnapshotId").text().unwrap_or_default()
        ))
    } else {
        p.get("Encrypted").bool_or(false)?
    };
    m.inv.ebs_volumes.push(EbsVolume {
        rid: r.rid,
        encrypted,
        key: p.get("KmsKeyId").key_ref("aws/ebs"),
    });
    Ok(())
}
