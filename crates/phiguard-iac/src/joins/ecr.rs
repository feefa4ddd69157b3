//! ECR registry scanning: whether it covers every repository.

use crate::cfn::props::{P, R};
use phiguard_model::Val;

/// How a source spells a registry scanning configuration.
pub struct Spelling {
    pub scan_type: &'static str,
    pub rules: &'static str,
    pub repository_filters: &'static str,
    pub filter: &'static str,
    pub scan_frequency: &'static str,
}

/// Registry scanning that covers every repository: a rule with the wildcard
/// filter `*` that scans automatically, with scan type `ENHANCED` (on push
/// or continuously) or `BASIC` (its `SCAN_ON_PUSH` rules; `MANUAL` scans
/// nothing by itself). Scanning limited to some repositories cannot be
/// matched to repositories whose names are generated, so it is unknown
/// rather than true.
pub fn enhanced_for_all(p: P, sp: &Spelling) -> R<Val<bool>> {
    let basic = match p.get(sp.scan_type).str_opt()? {
        Val::Known(Some(t)) if t == "ENHANCED" || t == "BASIC" => t == "BASIC",
        Val::Known(Some(_)) => return Ok(Val::Known(false)),
        Val::Known(None) => return p.get(sp.scan_type).error("is required"),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let rules = match p.get(sp.rules).list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut filters = Vec::new();
    for rule in rules {
        match rule.get(sp.scan_frequency).str_opt()? {
            // Basic scanning scans automatically only on push.
            Val::Known(Some(f)) if f == "MANUAL" || (basic && f != "SCAN_ON_PUSH") => continue,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
            _ => {}
        }
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
            "registry scanning covers only repositories matching {}",
            filters.join(", ")
        )))
    }
}

/// A repository's KMS key from its encryption type as written (`None` when
/// left out) and its key: `None` for `AES256`, ECR's default (server-side
/// encryption with Amazon S3-managed keys); the key for `KMS` and `KMS_DSSE`
/// (`key` gives `aws/ecr` when none is named).
pub fn repository_key(
    encryption_type: Val<Option<String>>,
    key: impl FnOnce() -> Val<phiguard_model::KeyRef>,
) -> Val<Option<phiguard_model::KeyRef>> {
    match encryption_type {
        Val::Unknown(r) => Val::Unknown(r),
        Val::Known(None) => Val::Known(None),
        Val::Known(Some(t)) => match t.as_str() {
            "AES256" => Val::Known(None),
            "KMS" | "KMS_DSSE" => key().map(Some),
            other => Val::unknown(format!(
                "encryption type {other} is not one ECR documents (AES256, KMS, KMS_DSSE)"
            )),
        },
    }
}
