//! API Gateway custom domains: a REST API's (`AWS::ApiGateway::DomainName`,
//! `aws_api_gateway_domain_name`) or an HTTP or WebSocket API's, with the
//! security policy each mapper reads in its own spelling.

use crate::cfn::estate::EvalRes;
use crate::cfn::map::Mapper;
use crate::cfn::props::{P, R};
use phiguard_model::{ApiDomain, Val};

/// Maps a custom domain: a REST API's (version 1) when its type is
/// `rest_type`, else an HTTP or WebSocket API's (version 2). `policy` reads
/// its security policy, given the version.
pub fn map<'a>(
    m: &mut Mapper<'a>,
    r: &'a EvalRes,
    rest_type: &str,
    domain_name: &'a str,
    policy: impl FnOnce(P<'a>, u8) -> R<Val<String>>,
) -> R<()> {
    let p = m.props(r);
    let domain = p
        .get(domain_name)
        .str_or_unknown(&format!("{domain_name} is not set"))?;
    let api_version = if r.ty == rest_type { 1 } else { 2 };
    let security_policy = policy(p, api_version)?;
    m.inv.api_domains.push(ApiDomain {
        rid: r.rid,
        api_version,
        domain_name: domain,
        security_policy,
    });
    Ok(())
}
