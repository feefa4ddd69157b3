//! `aws_cloudfront_distribution`.

use super::block;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
use phiguard_model::{CacheBehavior, CfOrigin, CustomOrigin, Distribution, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_cloudfront_distribution"],
    map,
    finish: no_finish,
};

fn required_str(p: P, what: &str) -> R<Val<String>> {
    match p.str_opt()? {
        Val::Known(Some(s)) => Ok(Val::Known(s)),
        Val::Known(None) => Ok(Val::unknown(format!("{what} is not set"))),
        Val::Unknown(r) => Ok(Val::Unknown(r)),
    }
}

fn behaviors(p: P) -> R<Val<Vec<CacheBehavior>>> {
    let default = match block(p, "default_cache_behavior")? {
        Val::Known(Some(b)) => required_str(
            b.get("viewer_protocol_policy"),
            "default_cache_behavior.viewer_protocol_policy",
        )?,
        Val::Known(None) => Val::unknown("no default_cache_behavior block"),
        Val::Unknown(r) => Val::Unknown(r),
    };
    let mut out = vec![CacheBehavior {
        path: "*".into(),
        viewer_protocol_policy: default,
    }];
    let ordered = p.get("ordered_cache_behavior");
    if ordered.is_absent() {
        return Ok(Val::Known(out));
    }
    let items = match ordered.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    for b in items {
        out.push(CacheBehavior {
            path: b.get("path_pattern").text().unwrap_or_else(|| "?".into()),
            viewer_protocol_policy: required_str(
                b.get("viewer_protocol_policy"),
                "ordered_cache_behavior.viewer_protocol_policy",
            )?,
        });
    }
    Ok(Val::Known(out))
}

fn origins(p: P) -> R<Val<Vec<CfOrigin>>> {
    let o = p.get("origin");
    if o.is_absent() {
        return Ok(Val::Known(vec![]));
    }
    let items = match o.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for o in items {
        let id = o.get("origin_id").text().unwrap_or_else(|| "?".into());
        let custom = match block(o, "custom_origin_config")? {
            Val::Known(None) => None,
            Val::Known(Some(co)) => Some(CustomOrigin {
                protocol_policy: required_str(
                    co.get("origin_protocol_policy"),
                    "custom_origin_config.origin_protocol_policy",
                )?,
                // Required by the provider.
                ssl_protocols: if co.get("origin_ssl_protocols").is_absent() {
                    Val::unknown(format!("origin {id} does not set origin_ssl_protocols"))
                } else {
                    co.get("origin_ssl_protocols").strings()?
                },
            }),
            Val::Unknown(r) => Some(CustomOrigin {
                protocol_policy: Val::Unknown(r.clone()),
                ssl_protocols: Val::Unknown(r),
            }),
        };
        out.push(CfOrigin { id, custom });
    }
    Ok(Val::Known(out))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // viewer_certificate is a required block. Without an ACM or IAM
    // certificate the distribution serves `*.cloudfront.net`'s certificate,
    // which accepts TLSv1 whatever minimum_protocol_version says.
    let (default_certificate, min_protocol) = match block(p, "viewer_certificate")? {
        Val::Known(None) => (Val::Known(true), Val::Known("TLSv1".to_string())),
        Val::Known(Some(vc)) => {
            let custom = !vc.get("acm_certificate_arn").is_absent()
                || !vc.get("iam_certificate_id").is_absent();
            match vc.get("cloudfront_default_certificate").bool_or(false)? {
                Val::Known(d) if d || !custom => {
                    (Val::Known(true), Val::Known("TLSv1".to_string()))
                }
                // The provider's default minimum_protocol_version is TLSv1.
                Val::Known(_) => (
                    Val::Known(false),
                    vc.get("minimum_protocol_version").str_or("TLSv1")?,
                ),
                Val::Unknown(r) => (Val::Unknown(r.clone()), Val::Unknown(r)),
            }
        }
        Val::Unknown(r) => (Val::Unknown(r.clone()), Val::Unknown(r)),
    };
    m.inv.distributions.push(Distribution {
        rid: r.rid,
        behaviors: behaviors(p)?,
        default_certificate,
        min_protocol,
        origins: origins(p)?,
    });
    Ok(())
}
