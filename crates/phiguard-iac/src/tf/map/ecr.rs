//! `aws_ecr_repository` and `aws_ecr_registry_scanning_configuration`.

use super::{block, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
use crate::joins::ecr;
use phiguard_model::{EcrRegistryScanning, EcrRepository, KeyRef, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_ecr_repository",
        "aws_ecr_registry_scanning_configuration",
    ],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    if r.ty == "aws_ecr_repository" {
        // scan_on_push defaults to false.
        let scan_on_push = if omitted(
            p.get("image_scanning_configuration"),
            r.rid,
            "image_scanning_configuration",
        ) {
            Val::Known(false)
        } else {
            match block(p, "image_scanning_configuration")? {
                Val::Known(Some(b)) => b.get("scan_on_push").bool_or(false)?,
                Val::Known(None) => Val::Known(false),
                Val::Unknown(why) => Val::Unknown(why),
            }
        };
        // encryption_type defaults to AES256; KMS without kms_key is aws/ecr.
        let kms_key = match block(p, "encryption_configuration")? {
            Val::Unknown(why) => Val::Unknown(why),
            Val::Known(None) => Val::Known(None),
            Val::Known(Some(b)) => {
                let t = b.get("encryption_type");
                let kind = if omitted(t, r.rid, "encryption_configuration.encryption_type") {
                    Val::Known(None)
                } else {
                    t.str_opt()?
                };
                ecr::repository_key(kind, || {
                    let k = b.get("kms_key");
                    if omitted(k, r.rid, "encryption_configuration.kms_key") {
                        Val::Known(KeyRef::AwsManaged("aws/ecr".into()))
                    } else {
                        k.key_ref("aws/ecr")
                    }
                })
            }
        };
        m.inv.ecr_repositories.push(EcrRepository {
            rid: r.rid,
            scan_on_push,
            kms_key,
        });
        return Ok(());
    }
    m.inv.ecr_registry_scanning.push(EcrRegistryScanning {
        rid: r.rid,
        enhanced: enhanced_for_all(p)?,
    });
    Ok(())
}

/// Whether scanning covers every repository (see [`ecr::enhanced_for_all`]).
fn enhanced_for_all(p: P) -> R<Val<bool>> {
    ecr::enhanced_for_all(
        p,
        &ecr::Spelling {
            scan_type: "scan_type",
            rules: "rule",
            repository_filters: "repository_filter",
            filter: "filter",
            scan_frequency: "scan_frequency",
        },
    )
}
