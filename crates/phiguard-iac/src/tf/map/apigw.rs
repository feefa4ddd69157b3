//! `aws_api_gateway_domain_name` and `aws_apigatewayv2_domain_name`.

use super::{block, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{ApiDomain, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_api_gateway_domain_name",
        "aws_apigatewayv2_domain_name",
    ],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let domain_name = p
        .get("domain_name")
        .str_or_unknown("domain_name is not set")?;
    let (api_version, security_policy) = if r.ty == "aws_api_gateway_domain_name" {
        // security_policy is optional and computed: left out, API Gateway
        // applies TLS_1_2 to a new REST API custom domain.
        if omitted(p.get("security_policy"), r.rid, "security_policy") {
            (1, Val::Known("TLS_1_2".to_string()))
        } else {
            (1, p.get("security_policy").str_or("TLS_1_2")?)
        }
    } else {
        // One domain_name_configuration block; its security_policy is
        // required by the provider (TLS_1_2 is API Gateway's default).
        let policy = match block(p, "domain_name_configuration")? {
            Val::Known(Some(c)) => c.get("security_policy").str_or("TLS_1_2")?,
            Val::Known(None) => Val::unknown("no domain_name_configuration block"),
            Val::Unknown(why) => Val::Unknown(why),
        };
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
