//! `AWS::ECR::Repository` and `AWS::ECR::RegistryScanningConfiguration`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::joins::ecr;
use phiguard_model::{EcrRegistryScanning, EcrRepository, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::ECR::Repository",
        "AWS::ECR::RegistryScanningConfiguration",
    ],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    if r.ty == "AWS::ECR::Repository" {
        m.inv.ecr_repositories.push(EcrRepository {
            rid: r.rid,
            // ScanOnPush defaults to false.
            scan_on_push: p
                .get("ImageScanningConfiguration")
                .get("ScanOnPush")
                .bool_or(false)?,
            kms_key: ecr::repository_key(
                p.get("EncryptionConfiguration")
                    .get("EncryptionType")
                    .str_opt()?,
                || {
                    p.get("EncryptionConfiguration")
                        .get("KmsKey")
                        .key_ref("aws/ecr")
                },
            ),
        });
        return Ok(());
    }
    m.inv.ecr_registry_scanning.push(EcrRegistryScanning {
        rid: r.rid,
        enhanced: enhanced_for_all(m, r)?,
    });
    Ok(())
}

/// Whether scanning covers every repository (see [`ecr::enhanced_for_all`]).
fn enhanced_for_all<'a>(m: &Mapper<'a>, r: &'a EvalRes) -> R<Val<bool>> {
    ecr::enhanced_for_all(
        m.props(r),
        &ecr::Spelling {
            scan_type: "ScanType",
            rules: "Rules",
            repository_filters: "RepositoryFilters",
            filter: "Filter",
            scan_frequency: "ScanFrequency",
        },
    )
}
