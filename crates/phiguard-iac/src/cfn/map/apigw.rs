//! `AWS::ApiGateway::DomainName` and `AWS::ApiGatewayV2::DomainName`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::apigw;
use phiguard_model::Val;

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::ApiGateway::DomainName",
        "AWS::ApiGatewayV2::DomainName",
    ],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    apigw::map(
        m,
        r,
        "AWS::ApiGateway::DomainName",
        "DomainName",
        security_policy,
    )
}

fn security_policy(p: P, api_version: u8) -> R<Val<String>> {
    if api_version == 1 {
        // A REST API custom domain created without a policy gets TLS_1_2
        // (API Gateway, "Security policies for REST APIs": default security policies).
        return p.get("SecurityPolicy").str_or("TLS_1_2");
    }
    // HTTP/WebSocket domains take the policy per configuration, default
    // TLS 1.2; the weakest configuration is the domain's.
    let mut policy = Val::Known("TLS_1_2".to_string());
    let configs = match p.get("DomainNameConfigurations").list()? {
        Val::Known(c) => c,
        Val::Unknown(reason) => {
            policy = Val::Unknown(reason);
            vec![]
        }
    };
    for c in configs {
        match c.get("SecurityPolicy").str_or("TLS_1_2")? {
            Val::Known(s) if s == "TLS_1_0" => {
                policy = Val::Known(s);
                break;
            }
            Val::Known(s) if s == "TLS_1_2" => {}
            Val::Known(s) => {
                if policy.known().is_some_and(|p| p == "TLS_1_2") {
                    policy = Val::Known(s);
                }
            }
            Val::Unknown(reason) => policy = Val::Unknown(reason),
        }
    }
    Ok(policy)
}
