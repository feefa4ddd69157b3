//! VPC endpoints: the AWS service an endpoint's service name stands for,
//! and its type.

use crate::cfn::props::{P, R};
use phiguard_model::{EndpointType, Val};

/// The short name of an AWS service (`com.amazonaws.us-east-1.s3` → `s3`,
/// `com.amazonaws.${AWS::Region}.ecr.api` → `ecr.api`); `None` for a partner
/// or private service, or a name known only at deploy time.
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

/// The endpoint type (it defaults to Gateway).
pub fn endpoint_type(t: P) -> R<Val<EndpointType>> {
    Ok(match t.str_or("Gateway")? {
        Val::Known(v) => Val::Known(match v.as_str() {
            "Gateway" => EndpointType::Gateway,
            "Interface" => EndpointType::Interface,
            "GatewayLoadBalancer" => EndpointType::GatewayLoadBalancer,
            other => return t.error(format!("unknown endpoint type {other:?}")),
        }),
        Val::Unknown(r) => Val::Unknown(r),
    })
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
            short_service("com.amazonaws.eu-west-1.ecr.api").as_deref(),
            Some("ecr.api")
        );
        assert_eq!(
            short_service("com.amazonaws.${AWS::Region}.ecr.api").as_deref(),
            Some("ecr.api")
        );
        assert_eq!(short_service("com.amazonaws.${Region}.${Svc}"), None);
        assert_eq!(short_service("vpce-svc-123"), None);
    }
}
