//! `aws_ecr_repository` and `aws_ecr_registry_scanning_configuration`.

use super::{block, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
use crate::joins::ecr;
use phiguard_model::{EcrRegistryScanning, EcrRepository, Val};

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
        m.inv.ecr_repositories.push(EcrRepository {
            rid: r.rid,
            scan_on_push,
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
