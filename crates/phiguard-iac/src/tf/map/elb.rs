//! `aws_lb` and `aws_lb_listener` (and their `aws_alb` aliases), with the
//! actions of the `aws_lb_listener_rule`s joined onto their listener.
//!
//! A listener rule joins the listener its `listener_arn` references, or else
//! the listener of the same plan or state whose known ARN it writes. A rule
//! whose listener is known only after apply may be any listener's: those
//! listeners' actions are unknown.

use super::{block, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::elb;
use phiguard_model::{Link, Listener, ListenerAction, LoadBalancer, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener"],
    map,
    finish,
};

const LB_TYPES: &[&str] = &["aws_lb", "aws_alb"];
const LISTENER_TYPES: &[&str] = &["aws_lb_listener", "aws_alb_listener"];

/// The security policy ELB applies to an HTTPS or TLS listener created
/// without `ssl_policy` (the provider's documented default). It allows TLS 1.0.
const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// `load_balancer_type` of an `aws_lb`; the provider's default is `application`.
fn lb_type(p: P, rid: phiguard_model::Rid) -> R<Val<String>> {
    if omitted(p.get("load_balancer_type"), rid, "load_balancer_type") {
        return Ok(Val::Known("application".to_string()));
    }
    p.get("load_balancer_type").str_or("application")
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    if LB_TYPES.contains(&r.ty.as_str()) {
        m.inv.load_balancers.push(LoadBalancer {
            rid: r.rid,
            lb_type: lb_type(p, r.rid)?,
        });
        return Ok(());
    }
    let load_balancer = link_to(p, "load_balancer_arn", r.rid, LB_TYPES);
    // The load balancer's type, when it is in the plan.
    let of_lb = match &load_balancer {
        Val::Known(Link::Resource(rid)) => m
            .est
            .get(*rid)
            .filter(|x| LB_TYPES.contains(&x.ty.as_str()))
            .map(|x| lb_type(m.est.props(x), x.rid))
            .transpose()?,
        _ => None,
    };
    let protocol = if omitted(p.get("protocol"), r.rid, "protocol") {
        match of_lb {
            // An Application Load Balancer listener defaults to HTTP.
            Some(Val::Known(t)) if t == "application" => Val::Known("HTTP".to_string()),
            // Gateway Load Balancer listeners take no protocol: GENEVE.
            Some(Val::Known(t)) if t == "gateway" => Val::Known("GENEVE".to_string()),
            _ => Val::unknown(
                "the listener's protocol is not set and its load balancer's type is not known",
            ),
        }
    } else {
        p.get("protocol")
            .str_or("HTTP")?
            .map(|s| s.to_ascii_uppercase())
    };
    let ssl_policy = elb::ssl_policy(&protocol, || {
        if omitted(p.get("ssl_policy"), r.rid, "ssl_policy") {
            Ok(Val::Known(DEFAULT_SSL_POLICY.to_string()))
        } else {
            p.get("ssl_policy").str_or(DEFAULT_SSL_POLICY)
        }
    })?;
    m.inv.listeners.push(Listener {
        rid: r.rid,
        load_balancer,
        protocol,
        ssl_policy,
        default_actions: actions(p.get("default_action"))?,
    });
    Ok(())
}

/// `default_action` / `action` blocks.
fn actions(p: P) -> R<Val<Vec<ListenerAction>>> {
    elb::actions(p, "type", |a| {
        // redirect.protocol defaults to `#{protocol}`: the request's own.
        match block(a, "redirect")? {
            Val::Known(Some(b)) => b.get("protocol").str_or("#{protocol}"),
            Val::Known(None) => a.error("a redirect action needs a redirect block"),
            Val::Unknown(r) => Ok(Val::Unknown(r)),
        }
    })
}

/// Listener rules add their actions to their listener's: a rule that
/// forwards on an HTTP listener serves plain HTTP as much as a default action.
fn finish(m: &mut Mapper) {
    let est = m.est;
    let unit_of = |rid| est.get(rid).map(|r| r.unit);
    for ty in ["aws_lb_listener_rule", "aws_alb_listener_rule"] {
        for r in est.of_type(ty) {
            let p = est.props(r);
            let acts = actions(p.get("action"));
            let targets = |m: &Mapper| {
                let same_unit: Vec<usize> = (0..m.inv.listeners.len())
                    .filter(|i| unit_of(m.inv.listeners[*i].rid) == Some(r.unit))
                    .collect();
                Some(match link_to(p, "listener_arn", r.rid, LISTENER_TYPES) {
                    Val::Known(Link::Resource(rid)) => {
                        (elb::listener(&m.inv.listeners, rid), false)
                    }
                    Val::Known(Link::External(arn)) => {
                        let arn_of = |i: &usize| {
                            est.get(m.inv.listeners[*i].rid)
                                .and_then(|x| est.props(x).get("arn").text())
                        };
                        let by_arn: Vec<usize> = same_unit
                            .iter()
                            .copied()
                            .filter(|i| arn_of(i).is_some_and(|a| a == arn))
                            .collect();
                        if by_arn.is_empty() {
                            // Listeners whose ARN is assigned at apply time may be the one named.
                            (
                                same_unit
                                    .iter()
                                    .copied()
                                    .filter(|i| arn_of(i).is_none())
                                    .collect(),
                                true,
                            )
                        } else {
                            (by_arn, false)
                        }
                    }
                    // A rule on a listener known only after apply may be any listener's.
                    Val::Unknown(_) => (same_unit, true),
                })
            };
            elb::join_rule(m, r, acts, targets, "after apply");
        }
    }
}
