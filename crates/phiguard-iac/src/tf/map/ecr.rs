//! `aws_ecr_repository` and `aws_ecr_registry_scanning_configuration`.

use super::{block, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
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

/// Registry scanning that covers every repository: a rule with the wildcard
/// filter `*` that scans automatically, with `scan_type` `ENHANCED` (on push
/// or continuously) or `BASIC` (its `SCAN_ON_PUSH` rules; `MANUAL` scans
/// nothing by itself). Scanning limited to some repositories cannot be
/// matched to repositories whose names are generated, so it is unknown
/// rather than true.
fn enhanced_for_all(p: P) -> R<Val<bool>> {
    let basic = match p.get("scan_type").str_opt()? {
        Val::Known(Some(t)) if t == "ENHANCED" || t == "BASIC" => t == "BASIC",
        Val::Known(Some(_)) => return Ok(Val::Known(false)),
        Val::Known(None) => return p.get("scan_type").error("is required"),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let rules = match p.get("rule").list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut filters = Vec::new();
    for rule in rules {
        match rule.get("scan_frequency").str_opt()? {
            // Basic scanning scans automatically only on push.
            Val::Known(Some(f)) if f == "MANUAL" || (basic && f != "SCAN_ON_PUSH") => continue,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
            _ => {}
        }
        let fs = match rule.get("repository_filter").list()? {
            Val::Known(f) => f,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        for f in fs {
            match f.get("filter").str_opt()? {
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
