//! `AWS::EC2::VPCEndpoint`: the private paths from a VPC to AWS services.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{EndpointType, Val, VpcEndpoint};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::VPCEndpoint"],
    map,
    finish: no_finish,
};

/// The short service name of an endpoint service name:
/// `com.amazonaws.us-east-1.s3` and `com.amazonaws.${AWS::Region}.ecr.api`
/// give `s3` and `ecr.api`. `None` when the part after the region is not
/// literal, or the name is not an AWS service's.
pub fn short_service(name: &str) -> Option<String> {
    let rest = name
        .strip_prefix("com.amazonaws.")
        .or_else(|| name.strip_prefix("cn.com.amazonaws."))?;
    let (_region, service) = if let Some(r) = rest.strip_prefix("${") {
        let end = r.find('}')?;
        (&r[..end], r[end + 1..].strip_prefix('.')?)
    } else {
        rest.split_once('.')?
    };
    (!service.is_empty() && !service.contains("${")).then(|| service.to_string())
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let sn = p.get("ServiceName");
    let service = match sn.text() {
        Some(t) => match short_service(&t) {
            Some(s) => Val::Known(s),
            None if t.contains("${") => Val::unknown(format!(
                "the endpoint service {t} is known only at deploy time"
            )),
            // A partner or private service (`com.amazonaws.vpce...`): kept as written.
            None => Val::Known(t),
        },
        None if sn.is_absent() => return sn.error("ServiceName is required"),
        None => Val::unknown(
            sn.unknown_reason()
                .unwrap_or_else(|| "ServiceName is known only at deploy time".into()),
        ),
    };
    // VpcEndpointType defaults to Gateway.
    let endpoint_type = match p.get("VpcEndpointType").str_or("Gateway")? {
        Val::Known(t) => Val::Known(match t.as_str() {
            "Gateway" => EndpointType::Gateway,
            "Interface" => EndpointType::Interface,
            "GatewayLoadBalancer" => EndpointType::GatewayLoadBalancer,
            other => {
                return p
                    .get("VpcEndpointType")
                    .error(format!("unknown endpoint type {other:?}"));
            }
        }),
        Val::Unknown(r) => Val::Unknown(r),
    };
    // No PolicyDocument: the default policy, full access.
    let pd = p.get("PolicyDocument");
    let policy = if pd.is_absent() {
        Val::Known(None)
    } else {
        pd.policy()?.map(Some)
    };
    m.inv.vpc_endpoints.push(VpcEndpoint {
        rid: r.rid,
        vpc: p.get("VpcId").link(),
        service,
        endpoint_type,
        policy,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::short_service;

    #[test]
    fn service_names() {
        assert_eq!(
            short_service("com.amazonaws.us-east-1.s3").as_deref(),
            Some("s3")
        );
        assert_eq!(
            short_service("com.amazonaws.${AWS::Region}.ecr.api").as_deref(),
            Some("ecr.api")
        );
        assert_eq!(short_service("com.amazonaws.${Region}.${Svc}"), None);
        assert_eq!(short_service("vpce-svc-123"), None);
    }
}
