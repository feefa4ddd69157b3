//! ECR registry scanning: whether it covers every repository.

use crate::cfn::props::{P, R};
use phiguard_model::Val;

/// How a source spells a registry scanning configuration.
pub struct Spelling {
    pub scan_type: &'static str,
    pub rules: &'static str,
    pub repository_filters: &'static str,
    pub filter: &'static str,
}

/// Enhanced scanning that covers every repository: scan type `ENHANCED`
/// with a rule whose wildcard filter is `*`. Enhanced scanning limited to
/// some repositories cannot be matched to repositories whose names are
/// generated, so it is unknown rather than true.
pub fn enhanced_for_all(p: P, sp: &Spelling) -> R<Val<bool>> {
    match p.get(sp.scan_type).str_opt()? {
        Val::Known(Some(t)) if t == "ENHANCED" => {}
        Val::Known(Some(_)) => return Ok(Val::Known(false)),
        Val::Known(None) => return p.get(sp.scan_type).error("is required"),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    }
    let rules = match p.get(sp.rules).list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut filters = Vec::new();
    for rule in rules {
        let fs = match rule.get(sp.repository_filters).list()? {
            Val::Known(f) => f,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        for f in fs {
            match f.get(sp.filter).str_opt()? {
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
            "enhanced scanning covers only repositories matching {}",
            filters.join(", ")
        )))
    }
}
