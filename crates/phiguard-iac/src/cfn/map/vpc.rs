//! `AWS::EC2::VPC` and `AWS::EC2::TransitGateway`: the networks other resources attach to.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::{TransitGateway, Val, Vpc};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::VPC", "AWS::EC2::TransitGateway"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    match r.ty.as_str() {
        "AWS::EC2::VPC" => m.inv.vpcs.push(Vpc {
            rid: r.rid,
            vpc_id: Val::unknown("assigned at deploy time"),
        }),
        _ => m.inv.transit_gateways.push(TransitGateway { rid: r.rid }),
    }
    Ok(())
}
