use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every CloudFront distribution:
    /// - every cache behavior (the default one included) has a
    ///   `ViewerProtocolPolicy` of `https-only` or `redirect-to-https`, not `allow-all`;
    /// - uses its own certificate with a viewer minimum of `TLSv1.2_*` or newer
    ///   (the default `*.cloudfront.net` certificate accepts TLSv1, so it fails);
    /// - connects to every custom origin with `https-only`, offering TLSv1.2 only.
    ///
    /// ### Why
    /// PHI served through CloudFront crosses two connections: viewer to edge and
    /// edge to origin. Either one on plain HTTP or an old TLS version exposes it.
    ///
    /// ### Sources
    /// - Live: `cloudfront:GetDistributionConfig`.
    /// - Terraform: `aws_cloudfront_distribution` (`viewer_protocol_policy`,
    ///   `viewer_certificate`, `custom_origin_config`).
    /// - CloudFormation: `AWS::CloudFront::Distribution.DistributionConfig`
    ///   (`DefaultCacheBehavior`, `CacheBehaviors`, `ViewerCertificate` — none means
    ///   the default certificate — and `Origins[].CustomOriginConfig`).
    ///
    /// ### Defaults assumed
    /// - A custom origin without `OriginSSLProtocols` gets `TLSv1` and `SSLv3`:
    ///   the CloudFormation resource schema of `AWS::CloudFront::Distribution`
    ///   (the registry schema CloudFormation validates against, also shipped
    ///   with cfn-lint) declares `"default": ["TLSv1", "SSLv3"]` for
    ///   `CustomOriginConfig.OriginSSLProtocols`, and the CloudFront API takes
    ///   what the template sends. It therefore fails. The property:
    ///   <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distribution-customoriginconfig.html>;
    ///   the schema: `aws cloudformation describe-type --type RESOURCE
    ///   --type-name AWS::CloudFront::Distribution`; the protocols, CloudFront
    ///   Developer Guide, "Minimum origin SSL protocol":
    ///   <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginSSLProtocols>.
    /// - In Terraform, `custom_origin_config.origin_ssl_protocols` is required.
    pub static RULE = {
        id: "TLS-4",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Distributions],
        scope: Resource,
        title: "CloudFront uses HTTPS with TLS 1.2 to viewers and to custom origins",
        remediation: "Set every ViewerProtocolPolicy to redirect-to-https or https-only, use an ACM certificate with MinimumProtocolVersion TLSv1.2_2021, and set custom origins to OriginProtocolPolicy https-only with OriginSSLProtocols [TLSv1.2].",
        check: check,
    }
}

fn is_tls12_or_newer(min: &str) -> bool {
    min.starts_with("TLSv1.2") || min.starts_with("TLSv1.3")
}

fn check(cx: &mut Cx) {
    for d in &cx.inv.distributions {
        let mut bad: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        match &d.behaviors {
            Val::Known(bs) => {
                for b in bs {
                    match &b.viewer_protocol_policy {
                        Val::Known(p) if p == "https-only" || p == "redirect-to-https" => {}
                        Val::Known(p) => bad.push(format!(
                            "cache behavior {} has ViewerProtocolPolicy {p}",
                            b.path
                        )),
                        Val::Unknown(r) => unknown.push(r.clone()),
                    }
                }
            }
            Val::Unknown(r) => unknown.push(r.clone()),
        }
        match (&d.default_certificate, &d.min_protocol) {
            (Val::Known(true), _) => bad.push(
                "it uses the default CloudFront certificate, which accepts TLSv1".to_string(),
            ),
            (Val::Unknown(r), _) => unknown.push(r.clone()),
            (Val::Known(false), Val::Known(m)) if is_tls12_or_newer(m) => {}
            (Val::Known(false), Val::Known(m)) => {
                bad.push(format!("the viewer minimum protocol is {m}"))
            }
            (Val::Known(false), Val::Unknown(r)) => unknown.push(r.clone()),
        }
        match &d.origins {
            Val::Known(os) => {
                for o in os {
                    let Some(c) = &o.custom else { continue };
                    match &c.protocol_policy {
                        Val::Known(p) if p == "https-only" => {}
                        Val::Known(p) => bad.push(format!(
                            "custom origin {} has OriginProtocolPolicy {p}",
                            o.id
                        )),
                        Val::Unknown(r) => unknown.push(r.clone()),
                    }
                    match &c.ssl_protocols {
                        Val::Known(ps) if !ps.is_empty() && ps.iter().all(|p| p == "TLSv1.2") => {}
                        Val::Known(ps) => bad.push(format!(
                            "custom origin {} offers {}",
                            o.id,
                            if ps.is_empty() {
                                "no protocol".to_string()
                            } else {
                                ps.join(", ")
                            }
                        )),
                        Val::Unknown(r) => unknown.push(r.clone()),
                    }
                }
            }
            Val::Unknown(r) => unknown.push(r.clone()),
        }
        if !bad.is_empty() {
            cx.fail(d.rid, bad.join("; "));
        } else if !unknown.is_empty() {
            cx.unknown(d.rid, unknown.join("; "));
        } else {
            cx.pass(
                d.rid,
                "viewers and custom origins are reached over HTTPS with TLS 1.2 or newer",
            );
        }
    }
}
