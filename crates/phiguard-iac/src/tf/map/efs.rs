//! `aws_efs_file_system`.

use super::omitted;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{EfsFileSystem, KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_efs_file_system"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // `encrypted` has no provider default: left out, the API's applies
    // (not encrypted). Encrypted without kms_key_id: aws/elasticfilesystem.
    let e = p.get("encrypted");
    let encrypted = if omitted(e, r.rid, "encrypted") {
        Val::Known(false)
    } else {
        e.bool_or(false)?
    };
    let k = p.get("kms_key_id");
    let key = if omitted(k, r.rid, "kms_key_id") {
        Val::Known(KeyRef::AwsManaged("aws/elasticfilesystem".into()))
    } else {
        k.key_ref("aws/elasticfilesystem")
    };
    m.inv.efs_file_systems.push(EfsFileSystem {
        rid: r.rid,
        encrypted,
        key,
    });
    Ok(())
}
