//! `AWS::EC2::Volume`.
//!
//! EBS encryption by default is an account setting with no CloudFormation
//! resource, so no `EbsDefaults` comes from a template. Block device mappings of
//! instances and launch templates are not modelled: whether their volumes are
//! encrypted can depend on that account setting.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{EbsVolume, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::Volume"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
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
