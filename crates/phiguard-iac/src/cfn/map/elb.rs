//! `AWS::ElasticLoadBalancingV2::LoadBalancer` and `AWS::ElasticLoadBalancingV2::Listener`.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::elb;
use phiguard_model::{Link, Listener, ListenerAction, LoadBalancer, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::Listener",
    ],
    map,
    finish,
};

/// Listener rules add their actions to their listener's: a rule that
/// forwards on an HTTP listener serves plain HTTP as much as a default action.
fn finish(m: &mut Mapper) {
    for r in m.est.of_type("AWS::ElasticLoadBalancingV2::ListenerRule") {
        let p = m.est.props(r);
        let acts = actions(p.get("Actions"));
        let targets = |m: &Mapper| {
            let targets: Vec<usize> = match p.get("ListenerArn").link() {
                Val::Known(Link::Resource(rid)) => elb::listener(&m.inv.listeners, rid),
                Val::Known(Link::External(_)) => return None,
                // A rule on a listener known only at deploy time may be any listener's.
                Val::Unknown(_) => (0..m.inv.listeners.len()).collect(),
            };
            let unknown_target =
                targets.len() > 1 || matches!(p.get("ListenerArn").link(), Val::Unknown(_));
            Some((targets, unknown_target))
        };
        elb::join_rule(m, r, acts, targets, "at deploy time");
    }
}

/// The security policy ELB applies to an HTTPS or TLS listener created without
/// `SslPolicy` through the API, the CLI or CloudFormation (the console picks a
/// newer one). It allows TLS 1.0.
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    if r.ty == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
        m.inv.load_balancers.push(LoadBalancer {
            rid: r.rid,
            lb_type: p.get("Type").str_or("application")?,
        });
        return Ok(());
    }
    let load_balancer = p.get("LoadBalancerArn").link();
    let protocol = match p.get("Protocol").str_opt()? {
        Val::Known(Some(s)) => Val::Known(s.to_ascii_uppercase()),
        Val::Known(None) => match lb_type(m, &load_balancer) {
            // Gateway Load Balancer listeners take no protocol: GENEVE.
            Some(Val::Known(t)) if t == "gateway" => Val::Known("GENEVE".to_string()),
            _ => Val::unknown("the listener's Protocol is not set"),
        },
        Val::Unknown(r) => Val::Unknown(r),
    };
    let ssl_policy = elb::ssl_policy(&protocol, || p.get("SslPolicy").str_or(DEFAULT_SSL_POLICY))?;
    m.inv.listeners.push(Listener {
        rid: r.rid,
        load_balancer,
        protocol,
        ssl_policy,
        default_actions: actions(p.get("DefaultActions"))?,
    });
    Ok(())
}

/// The `Type` of the load balancer a listener names, when it is in the estate.
fn lb_type(m: &Mapper, link: &Val<Link>) -> Option<Val<String>> {
    let rid = link.known()?.rid()?;
    let lb = m.est.get(rid)?;
    if lb.ty != "AWS::ElasticLoadBalancingV2::LoadBalancer" {
        return None;
    }
    m.est.props(lb).get("Type").str_or("application").ok()
}

fn actions(p: P) -> R<Val<Vec<ListenerAction>>> {
    elb::actions(p, "Type", |a| {
        // RedirectConfig.Protocol defaults to `#{protocol}`: the request's own.
        Ok(a.get("RedirectConfig")
            .get("Protocol")
            .str_or("#{protocol}")
            .unwrap_or_else(|_| Val::unknown("RedirectConfig.Protocol is not a string")))
    })
}
