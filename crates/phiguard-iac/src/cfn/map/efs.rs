//! `AWS::EFS::FileSystem`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{EfsFileSystem, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EFS::FileSystem"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // EFS names its tags FileSystemTags, not Tags.
    m.set_tags(r.rid, p.get("FileSystemTags").tags());
    // Encrypted defaults to false (only the console turns it on); encrypted
    // without KmsKeyId uses aws/elasticfilesystem.
    let encrypted = p.get("Encrypted").bool_or(false)?;
    let key = match encrypted {
        Val::Known(true) => p.get("KmsKeyId").key_ref("aws/elasticfilesystem"),
        _ => Val::Known(phiguard_model::KeyRef::AwsManaged(
            "aws/elasticfilesystem".into(),
        )),
    };
    m.inv.efs_file_systems.push(EfsFileSystem {
        rid: r.rid,
        encrypted,
        key,
    });
    Ok(())
}
