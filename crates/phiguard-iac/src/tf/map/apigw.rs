//! `aws_api_gateway_domain_name` and `aws_apigatewayv2_domain_name`.

use super::{block, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::{P, R};
use crate::joins::apigw;
use phiguard_model::{Rid, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_api_gateway_domain_name",
        "aws_apigatewayv2_domain_name",
    ],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    apigw::map(
        m,
        r,
        "aws_api_gateway_domain_name",
        "domain_name",
        |p, api_version| security_policy(p, r.rid, api_version),
    )
}

fn security_policy(p: P, rid: Rid, api_version: u8) -> R<Val<String>> {
    if api_version == 1 {
        // security_policy is optional and computed: left out, API Gateway
        // applies TLS_1_2 to a new REST API custom domain.
        if omitted(p.get("security_policy"), rid, "security_policy") {
            return Ok(Val::Known("TLS_1_2".to_string()));
        }
        return p.get("security_policy").str_or("TLS_1_2");
    }
    // One domain_name_configuration block; its security_policy is
    // required by the provider (TLS_1_2 is API Gateway's default).
    Ok(match block(p, "domain_name_configuration")? {
        Val::Known(Some(c)) => c.get("security_policy").str_or("TLS_1_2")?,
        Val::Known(None) => Val::unknown("no domain_name_configuration block"),
        Val::Unknown(why) => Val::Unknown(why),
    })
}
