//! Which VPC endpoints serve a VPC.

use phiguard_model::{EndpointType, Inventory, Link, Rid, Val};
use std::collections::HashMap;

/// The VPC endpoints of an estate, by the VPC they are in: a VPC's
/// candidates are its own endpoints and those whose VPC is known only at
/// deploy time, in the order of the inventory.
pub struct Endpoints<'a> {
    inv: &'a Inventory,
    by_vpc: HashMap<Rid, Vec<usize>>,
    unplaced: Vec<usize>,
}

impl<'a> Endpoints<'a> {
    pub fn of(inv: &'a Inventory) -> Self {
        let mut by_vpc: HashMap<Rid, Vec<usize>> = HashMap::new();
        let mut unplaced = Vec::new();
        for (i, e) in inv.vpc_endpoints.iter().enumerate() {
            match &e.vpc {
                Val::Known(Link::Resource(r)) => by_vpc.entry(*r).or_default().push(i),
                // A VPC outside the estate, named by id: none of the estate's.
                Val::Known(Link::External(_)) => {}
                Val::Unknown(_) => unplaced.push(i),
            }
        }
        Endpoints {
            inv,
            by_vpc,
            unplaced,
        }
    }

    /// Whether VPC `vpc` has an endpoint of `service` and type `ty`: known
    /// true when one of its endpoints is; unknown when an endpoint whose VPC,
    /// service or type cannot be told could be it; else false.
    pub fn has(&self, vpc: Rid, service: &str, ty: EndpointType) -> Val<bool> {
        let own = self.by_vpc.get(&vpc).map_or(&[][..], Vec::as_slice);
        let mut candidates: Vec<usize> = own.iter().chain(&self.unplaced).copied().collect();
        candidates.sort_unstable();
        let mut unknown: Option<String> = None;
        for i in candidates {
            let e = &self.inv.vpc_endpoints[i];
            let at_vpc = match &e.vpc {
                Val::Unknown(r) => Val::unknown(format!(
                    "endpoint {} is in a VPC known only at deploy time ({r})",
                    self.inv.meta(e.rid).name
                )),
                _ => Val::Known(true),
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
}

/// Judges every VPC of the estate against a list of required endpoints of
/// one type.
pub fn judge_vpcs(cx: &mut crate::Cx, services: &[String], ty: EndpointType, what: &str) {
    let inv = cx.inv;
    let endpoints = Endpoints::of(inv);
    for v in &inv.vpcs {
        judge_vpc(cx, &endpoints, v.rid, services, ty, what);
    }
}

/// Judges a VPC against a list of required endpoints of one type.
fn judge_vpc(
    cx: &mut crate::Cx,
    endpoints: &Endpoints,
    vpc: Rid,
    services: &[String],
    ty: EndpointType,
    what: &str,
) {
    let mut missing = Vec::new();
    let mut unknown = Vec::new();
    for s in services {
        match endpoints.has(vpc, s, ty) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::test_meta as add;
    use phiguard_model::VpcEndpoint;

    fn endpoint(inv: &mut Inventory, name: &str, vpc: Val<Link>, service: &str) {
        let rid = add(inv, "AWS::EC2::VPCEndpoint", name);
        inv.vpc_endpoints.push(VpcEndpoint {
            rid,
            vpc,
            service: Val::Known(service.into()),
            endpoint_type: Val::Known(EndpointType::Interface),
            policy: Val::Known(None),
        });
    }

    #[test]
    fn a_vpc_has_its_own_endpoints_and_may_have_those_placed_at_deploy() {
        let mut inv = Inventory::default();
        let a = add(&mut inv, "AWS::EC2::VPC", "A");
        let b = add(&mut inv, "AWS::EC2::VPC", "B");
        endpoint(&mut inv, "a-kms", Val::Known(Link::Resource(a)), "kms");
        endpoint(
            &mut inv,
            "other-kms",
            Val::Known(Link::External("vpc-x".into())),
            "kms",
        );
        endpoint(
            &mut inv,
            "somewhere-sts",
            Val::unknown("a parameter"),
            "sts",
        );
        let ix = Endpoints::of(&inv);
        let it = EndpointType::Interface;
        assert_eq!(ix.has(a, "kms", it), Val::Known(true));
        assert_eq!(ix.has(b, "kms", it), Val::Known(false));
        assert_eq!(
            ix.has(b, "sts", it),
            Val::unknown(
                "endpoint somewhere-sts is in a VPC known only at deploy time (a parameter)"
            )
        );
        assert!(matches!(ix.has(a, "sts", it), Val::Unknown(_)));
        assert_eq!(ix.has(a, "sts", EndpointType::Gateway), Val::Known(false));
    }
}
