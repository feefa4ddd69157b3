//! `AWS::OpenSearchService::Domain` and the legacy `AWS::Elasticsearch::Domain`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use phiguard_model::{SearchDomain, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::OpenSearchService::Domain",
        "AWS::Elasticsearch::Domain",
    ],
    map,
    finish: no_finish,
};

/// Whether `VPCOptions` places the domain in a VPC: set, with subnets (a
/// list known only at deploy time, such as an imported one, still names
/// subnets). Without it the domain has a public endpoint.
fn in_vpc(p: P) -> R<Val<bool>> {
    let vpc = p.get("VPCOptions");
    Ok(match vpc.presence() {
        Val::Known(true) => match vpc.get("SubnetIds").list()? {
            Val::Known(ids) => Val::Known(!ids.is_empty()),
            Val::Unknown(_) => Val::Known(true),
        },
        other => other,
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let name = match p.get("DomainName").str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown("the domain name is generated at deploy time"),
        Val::Unknown(why) => Val::Unknown(why),
    };
    // Every switch below is off when left out (AWS's defaults); without a
    // KmsKeyId an encrypted domain uses the AWS-managed aws/es key.
    let ear = p.get("EncryptionAtRestOptions");
    let endpoint = p.get("DomainEndpointOptions");
    let policy = p.get("AccessPolicies");
    let access_policy = if policy.is_absent() {
        Val::Known(None)
    } else {
        policy.policy()?.map(Some)
    };
    m.inv.search_domains.push(SearchDomain {
        rid: r.rid,
        name,
        encrypted: ear.get("Enabled").bool_or(false)?,
        key: super::rds::key(ear.get("KmsKeyId"), "aws/es"),
        enforce_https: endpoint.get("EnforceHTTPS").bool_or(false)?,
        tls_policy: endpoint.get("TLSSecurityPolicy").str_opt()?,
        node_to_node: p
            .get("NodeToNodeEncryptionOptions")
            .get("Enabled")
            .bool_or(false)?,
        in_vpc: in_vpc(p)?,
        access_policy,
    });
    Ok(())
}
