//! Which VPC endpoints serve a VPC.

use phiguard_model::{EndpointType, Inventory, Link, Rid, Val};

/// Whether VPC `vpc` has an endpoint of `service` and type `ty`: known true
/// when one of its endpoints is; unknown when an endpoint whose VPC, service
/// or type cannot be told could be it; else false.
pub fn has_endpoint(inv: &Inventory, vpc: Rid, service: &str, ty: EndpointType) -> Val<bool> {
    let mut unknown: Option<String> = None;
    for e in &inv.vpc_endpoints {
        let at_vpc = match &e.vpc {
            Val::Known(Link::Resource(r)) => Val::Known(*r == vpc),
            // A VPC outside the estate, named by id.
            Val::Known(Link::External(_)) => Val::Known(false),
            Val::Unknown(r) => Val::unknown(format!(
                "endpoint {} is in a VPC known only at deploy time ({r})",
                inv.meta(e.rid).name
            )),
        };
        let svc = e.service.as_ref().map(|s| s.eq_ignore_ascii_case(service));
        let typ = e.endpoint_type.as_ref().map(|t| *t == ty);
        match phiguard_model::all3([at_vpc, svc, typ]) {
            Val::Known(true) => return Val::Known(true),
            Val::Known(false) => {}
            Val::Unknown(r) => {
                unknown.get_or_insert(r);
            }
        }
    }
    match unknown {
        Some(r) => Val::Unknown(r),
        None => Val::Known(false),
    }
}

/// Judges a VPC against a list of required endpoints of one type.
pub fn judge_vpc(cx: &mut crate::Cx, vpc: Rid, services: &[String], ty: EndpointType, what: &str) {
    let mut missing = Vec::new();
    let mut unknown = Vec::new();
    for s in services {
        match has_endpoint(cx.inv, vpc, s, ty) {
            Val::Known(true) => {}
            Val::Known(false) => missing.push(s.clone()),
            Val::Unknown(r) => unknown.push(format!("{s}: {r}")),
        }
    }
    if !missing.is_empty() {
        cx.fail(
            vpc,
            format!("the VPC has no {what} endpoint for {}", missing.join(", ")),
        );
    } else if !unknown.is_empty() {
        cx.unknown(vpc, unknown.join("; "));
    } else {
        cx.pass(
            vpc,
            format!("the VPC has {what} endpoints for {}", services.join(", ")),
        );
    }
}
