//! `aws_vpc_endpoint`, joined with the `aws_vpc_endpoint_policy` that names
//! it: the private paths from a VPC to AWS services.
//!
//! An endpoint is in the VPC its `vpc_id` references, or else the VPC of the
//! estate whose known id it writes (a state). A written id while the plan's
//! VPC ids are assigned at apply time may be any of them: unknown.

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::R;
use crate::joins::endpoints::{endpoint_type, short_service};
use phiguard_model::{Link, Val, VpcEndpoint};

pub static DOMAIN: Domain = Domain {
    types: &["aws_vpc_endpoint"],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let sn = p.get("service_name");
    let service = match sn.str_opt()? {
        Val::Known(Some(t)) => Val::Known(match short_service(&t) {
            Some(s) => s,
            // A partner or private service (`com.amazonaws.vpce...`): kept as written.
            None => t,
        }),
        Val::Known(None) => return sn.error("service_name is required"),
        Val::Unknown(r) => Val::Unknown(r),
    };
    // vpc_endpoint_type defaults to Gateway.
    let endpoint_type = endpoint_type(p.get("vpc_endpoint_type"))?;
    // No policy (the provider computes it): the default policy, full access.
    let policy = if omitted(p.get("policy"), r.rid, "policy") {
        Val::Known(None)
    } else {
        p.get("policy").policy()?.map(Some)
    };
    if p.get("vpc_id").is_absent() {
        return p.get("vpc_id").error("vpc_id is required");
    }
    m.inv.vpc_endpoints.push(VpcEndpoint {
        rid: r.rid,
        vpc: link_to(p, "vpc_id", r.rid, &["aws_vpc"]),
        service,
        endpoint_type,
        policy,
    });
    Ok(())
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    // The unit (plan or state) of a Terraform resource; `None` for others.
    let unit_of = |rid| est.get(rid).map(|r| r.unit);
    // Written VPC ids: the VPC of the same plan or state with that known id.
    for i in 0..m.inv.vpc_endpoints.len() {
        let e = &m.inv.vpc_endpoints[i];
        let Some(unit) = unit_of(e.rid) else {
            continue;
        };
        let Val::Known(Link::External(id)) = &e.vpc else {
            continue;
        };
        let id = id.clone();
        let vpcs = || m.inv.vpcs.iter().filter(|v| unit_of(v.rid) == Some(unit));
        let any_unknown_id = vpcs().any(|v| v.vpc_id.known().is_none());
        let found = vpcs()
            .find(|v| v.vpc_id.known().is_some_and(|x| *x == id))
            .map(|v| v.rid);
        let e = &mut m.inv.vpc_endpoints[i];
        match found {
            Some(rid) => e.vpc = Val::Known(Link::Resource(rid)),
            None if any_unknown_id => {
                e.vpc = Val::unknown(format!(
                    "the endpoint names VPC {id}, which may be a VPC of the plan (their ids are assigned at apply time)"
                ))
            }
            None => {}
        }
    }
    // aws_vpc_endpoint_policy sets the policy of the endpoint it references
    // (or whose known id it writes), in the same plan or state.
    for r in est.of_type("aws_vpc_endpoint_policy") {
        let p = est.props(r);
        let targets: Vec<usize> = match link_to(p, "vpc_endpoint_id", r.rid, &["aws_vpc_endpoint"])
        {
            Val::Known(Link::Resource(rid)) => m
                .inv
                .vpc_endpoints
                .iter()
                .position(|e| e.rid == rid)
                .into_iter()
                .collect(),
            Val::Known(Link::External(id)) => {
                let by_id: Vec<usize> = m
                    .inv
                    .vpc_endpoints
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| unit_of(e.rid) == Some(r.unit))
                    .filter(|(_, e)| {
                        est.get(e.rid)
                            .and_then(|x| est.props(x).get("id").text())
                            .is_some_and(|x| x == id)
                    })
                    .map(|(i, _)| i)
                    .collect();
                if by_id.is_empty() {
                    // Endpoints whose id is assigned at apply time may be the one named.
                    for e in m.inv.vpc_endpoints.iter_mut().filter(|e| {
                        est.get(e.rid).is_some_and(|x| {
                            x.unit == r.unit && est.props(x).get("id").text().is_none()
                        })
                    }) {
                        e.policy = Val::unknown(format!(
                            "{} sets the policy of endpoint {id}, which may be this one (its id is assigned at apply time)",
                            r.logical_id
                        ));
                    }
                }
                by_id
            }
            Val::Unknown(why) => {
                for e in m
                    .inv
                    .vpc_endpoints
                    .iter_mut()
                    .filter(|e| unit_of(e.rid) == Some(r.unit))
                {
                    e.policy = Val::unknown(format!(
                        "{} sets the policy of an endpoint known only after apply ({why})",
                        r.logical_id
                    ));
                }
                continue;
            }
        };
        let policy = if omitted(p.get("policy"), r.rid, "policy") {
            Ok(Val::Known(None))
        } else {
            p.get("policy").policy().map(|v| v.map(Some))
        };
        match policy {
            Ok(v) => {
                for i in targets {
                    m.inv.vpc_endpoints[i].policy = v.clone();
                }
            }
            Err(e) => m.error(r, e),
        }
    }
}
