use crate::util::tls::{api_gateway_min_tls, show};
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every API Gateway custom domain (REST, HTTP and WebSocket APIs) uses a
    /// security policy whose oldest accepted protocol is TLS 1.2 or newer:
    /// `TLS_1_2` or one of the `SecurityPolicy_TLS13_*`/`SecurityPolicy_TLS12_*`
    /// policies, not `TLS_1_0`.
    ///
    /// ### Why
    /// TLS 1.0 is deprecated (RFC 8996); an API that accepts it lets PHI travel
    /// over a broken protocol.
    ///
    /// ### Sources
    /// - Live: `apigateway:GetDomainNames` `securityPolicy`; `apigatewayv2:GetDomainNames`.
    /// - Terraform: `aws_api_gateway_domain_name.security_policy`,
    ///   `aws_apigatewayv2_domain_name.domain_name_configuration.security_policy`.
    /// - CloudFormation: `AWS::ApiGateway::DomainName.SecurityPolicy` (default
    ///   `TLS_1_0`), `AWS::ApiGatewayV2::DomainName.DomainNameConfigurations[].SecurityPolicy`
    ///   (default `TLS_1_2`).
    pub static RULE = {
        id: "TLS-3",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [ApiDomains],
        scope: Resource,
        title: "API Gateway custom domains require TLS 1.2 or newer",
        remediation: "Set SecurityPolicy: TLS_1_2 (or a SecurityPolicy_TLS13_* policy) on the custom domain name.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for d in &cx.inv.api_domains {
        match &d.security_policy {
            Val::Unknown(r) => cx.unknown(d.rid, r.clone()),
            Val::Known(p) => match api_gateway_min_tls(p) {
                Some(v) if v >= (1, 2) => cx.pass(
                    d.rid,
                    format!("security policy {p} requires {} or newer", show(v)),
                ),
                Some(v) => cx.fail(d.rid, format!("security policy {p} accepts {}", show(v))),
                None => cx.unknown(
                    d.rid,
                    format!("security policy {p} is not one phiguard knows"),
                ),
            },
        }
    }
}
