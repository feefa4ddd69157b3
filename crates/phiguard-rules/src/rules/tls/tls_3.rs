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
    /// - CloudFormation: `AWS::ApiGateway::DomainName.SecurityPolicy`,
    ///   `AWS::ApiGatewayV2::DomainName.DomainNameConfigurations[].SecurityPolicy`.
    ///
    /// ### Defaults assumed
    /// - A REST API custom domain created without a security policy gets the
    ///   legacy `TLS_1_2` policy; only the default `execute-api` endpoints of
    ///   Regional and edge-optimized APIs (not judged here) still accept TLS 1.0.
    ///   An omitted policy in code therefore passes. API Gateway Developer
    ///   Guide, "Security policies for REST APIs in API Gateway" (default
    ///   security policies):
    ///   <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies.html>.
    /// - The enhanced policies (`SecurityPolicy_TLS13_1_3_2025_09`,
    ///   `SecurityPolicy_TLS13_1_2_*_2025_09`, `SecurityPolicy_TLS13_2025_EDGE`,
    ///   `SecurityPolicy_TLS12_*_EDGE`, ...) are judged by the TLS version in
    ///   their name: `TLS13_1_3` and `TLS13_*_EDGE` require TLS 1.3,
    ///   `TLS13_1_2` and `TLS12` require TLS 1.2 ("Supported security policies":
    ///   <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html>).
    /// - HTTP and WebSocket API domains support only `TLS_1_2`
    ///   (<https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html>).
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
