//! `AWS::ApiGateway::DomainName` and `AWS::ApiGatewayV2::DomainName`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{ApiDomain, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::ApiGateway::DomainName",
        "AWS::ApiGatewayV2::DomainName",
    ],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let domain_name = p
        .get("DomainName")
        .str_or_unknown("DomainName is not set")?;
    let (api_version, security_policy) = if r.ty == "AWS::ApiGateway::DomainName" {
        // A REST API custom domain created without a policy gets TLS_1_2
        // (API Gateway, "Security policies for REST APIs": default security policies).
        (1, p.get("SecurityPolicy").str_or("TLS_1_2")?)
    } else {
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
        (2, policy)
    };
    m.inv.api_domains.push(ApiDomain {
        rid: r.rid,
        api_version,
        domain_name,
        security_policy,
    });
    Ok(())
}
