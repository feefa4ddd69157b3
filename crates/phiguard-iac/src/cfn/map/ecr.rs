//! `AWS::ECR::Repository` and `AWS::ECR::RegistryScanningConfiguration`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
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
        });
        return Ok(());
    }
    m.inv.ecr_registry_scanning.push(EcrRegistryScanning {
        rid: r.rid,
        enhanced: enhanced_for_all(m, r)?,
    });
    Ok(())
}

/// Registry scanning that covers every repository: a rule with the wildcard
/// filter `*` that scans automatically, with `ScanType` `ENHANCED` (on push
/// or continuously) or `BASIC` (its `SCAN_ON_PUSH` rules; `MANUAL` scans
/// nothing by itself). Scanning limited to some repositories cannot be
/// matched to repositories whose names are generated, so it is unknown
/// rather than true.
fn enhanced_for_all<'a>(m: &Mapper<'a>, r: &'a EvalRes) -> R<Val<bool>> {
    let p = m.props(r);
    let basic = match p.get("ScanType").str_opt()? {
        Val::Known(Some(t)) if t == "ENHANCED" || t == "BASIC" => t == "BASIC",
        Val::Known(Some(_)) => return Ok(Val::Known(false)),
        Val::Known(None) => return p.get("ScanType").error("is required"),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let rules = match p.get("Rules").list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut filters = Vec::new();
    for rule in rules {
        match rule.get("ScanFrequency").str_opt()? {
            // Basic scanning scans automatically only on push.
            Val::Known(Some(f)) if f == "MANUAL" || (basic && f != "SCAN_ON_PUSH") => continue,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
            _ => {}
        }
        let fs = match rule.get("RepositoryFilters").list()? {
            Val::Known(f) => f,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        for f in fs {
            match f.get("Filter").str_opt()? {
                Val::Known(Some(s)) => filters.push(s),
                Val::Known(None) => {}
                Val::Unknown(r) => return Ok(Val::Unknown(r)),
            }
        }
    }
    if filters.iter().any(|f| f == "*") {
        Ok(Val::Known(true))
    } else if filters.is_empty() {
        Ok(Val::Known(false))
    } else {
        Ok(Val::unknown(format!(
            "registry scanning covers only repositories matching {}",
            filters.join(", ")
        )))
    }
}
