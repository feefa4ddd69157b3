//! `AWS::EC2::VPCEndpoint`: the private paths from a VPC to AWS services.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::joins::endpoints::{endpoint_type, short_service};
use phiguard_model::{Val, VpcEndpoint};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::VPCEndpoint"],
    map,
    finish: no_finish,
};

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
    let endpoint_type = endpoint_type(p.get("VpcEndpointType"))?;
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
