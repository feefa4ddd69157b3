//! `AWS::CloudFront::Distribution`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use phiguard_model::{CacheBehavior, CfOrigin, CustomOrigin, Distribution, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::CloudFront::Distribution"],
    map,
    finish: no_finish,
};

fn required_str(p: P) -> R<Val<String>> {
    match p.str_opt()? {
        Val::Known(Some(s)) => Ok(Val::Known(s)),
        Val::Known(None) => p.error("is required"),
        Val::Unknown(r) => Ok(Val::Unknown(r)),
    }
}

fn behaviors(c: P) -> R<Val<Vec<CacheBehavior>>> {
    let mut out = vec![CacheBehavior {
        path: "*".into(),
        viewer_protocol_policy: required_str(
            c.get("DefaultCacheBehavior").get("ViewerProtocolPolicy"),
        )?,
    }];
    let items = match c.get("CacheBehaviors").list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    for b in items {
        out.push(CacheBehavior {
            path: b.get("PathPattern").text().unwrap_or_else(|| "?".into()),
            viewer_protocol_policy: required_str(b.get("ViewerProtocolPolicy"))?,
        });
    }
    Ok(Val::Known(out))
}

fn origins(c: P) -> R<Val<Vec<CfOrigin>>> {
    let items = match c.get("Origins").list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for o in items {
        let id = o.get("Id").text().unwrap_or_else(|| "?".into());
        let co = o.get("CustomOriginConfig");
        let custom = if co.is_absent() {
            None
        } else {
            let ssl = co.get("OriginSSLProtocols");
            Some(CustomOrigin {
                protocol_policy: required_str(co.get("OriginProtocolPolicy"))?,
                ssl_protocols: if ssl.is_absent() {
                    // The resource schema of AWS::CloudFront::Distribution gives
                    // CustomOriginConfig.OriginSSLProtocols the default
                    // ["TLSv1", "SSLv3"] (see TLS-4's explain).
                    Val::Known(vec!["TLSv1".to_string(), "SSLv3".to_string()])
                } else {
                    ssl.strings()?
                },
            })
        };
        out.push(CfOrigin { id, custom });
    }
    Ok(Val::Known(out))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let c = m.props(r).get("DistributionConfig");
    if let Some(reason) = c.unknown_reason() {
        m.inv.distributions.push(Distribution {
            rid: r.rid,
            behaviors: Val::unknown(reason.clone()),
            default_certificate: Val::unknown(reason.clone()),
            min_protocol: Val::unknown(reason.clone()),
            origins: Val::unknown(reason),
        });
        return Ok(());
    }
    let vc = c.get("ViewerCertificate");
    // No ViewerCertificate means the `*.cloudfront.net` certificate, which
    // accepts TLSv1 whatever MinimumProtocolVersion says.
    let default_certificate = if vc.is_absent() {
        Val::Known(true)
    } else {
        let custom =
            !vc.get("AcmCertificateArn").is_absent() || !vc.get("IamCertificateId").is_absent();
        match vc.get("CloudFrontDefaultCertificate").bool_or(false)? {
            Val::Known(d) => Val::Known(d || !custom),
            Val::Unknown(r) => Val::Unknown(r),
        }
    };
    let min_protocol = match &default_certificate {
        Val::Known(true) => Val::Known("TLSv1".to_string()),
        // With a custom certificate, CloudFront's default minimum is TLSv1.
        Val::Known(false) => vc.get("MinimumProtocolVersion").str_or("TLSv1")?,
        Val::Unknown(r) => Val::Unknown(r.clone()),
    };
    m.inv.distributions.push(Distribution {
        rid: r.rid,
        behaviors: behaviors(c)?,
        default_certificate,
        min_protocol,
        origins: origins(c)?,
    });
    Ok(())
}
