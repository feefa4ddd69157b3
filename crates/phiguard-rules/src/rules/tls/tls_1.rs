use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every load balancer listener on plain `HTTP` only redirects to `HTTPS`
    /// (or answers with a fixed response): no action, default or of a
    /// listener rule, forwards the request, and every redirect names `HTTPS`. A redirect that keeps
    /// `#{protocol}` (the default) stays on HTTP.
    ///
    /// ### Why
    /// A listener that forwards plain HTTP carries PHI unencrypted between the
    /// client and the load balancer.
    ///
    /// ### Sources
    /// - Live: `elbv2:DescribeListeners` (`Protocol`, `DefaultActions`).
    /// - Terraform: `aws_lb_listener` (`protocol`, `default_action`).
    /// - CloudFormation: `AWS::ElasticLoadBalancingV2::Listener` (`Protocol`,
    ///   `DefaultActions[].Type`, `RedirectConfig.Protocol`), and the
    ///   `Actions` of its `AWS::ElasticLoadBalancingV2::ListenerRule`s.
    pub static RULE = {
        id: "TLS-1",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [LoadBalancers],
        scope: Resource,
        title: "Load balancer HTTP listeners only redirect to HTTPS",
        remediation: "Make the HTTP listener's only default action a redirect with RedirectConfig.Protocol: HTTPS (StatusCode HTTP_301), and serve traffic from an HTTPS listener.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for l in &cx.inv.listeners {
        match &l.protocol {
            Val::Unknown(r) => {
                cx.unknown(l.rid, r.clone());
                continue;
            }
            Val::Known(p) if p != "HTTP" => continue,
            Val::Known(_) => {}
        }
        let actions = match &l.default_actions {
            Val::Known(a) => a,
            Val::Unknown(r) => {
                cx.unknown(l.rid, r.clone());
                continue;
            }
        };
        let mut bad = Vec::new();
        let mut unknown = None;
        for a in actions {
            match a.action_type.as_str() {
                "redirect" => match &a.redirect_protocol {
                    Some(Val::Known(p)) if p.eq_ignore_ascii_case("HTTPS") => {}
                    Some(Val::Known(p)) => {
                        bad.push(format!("a redirect keeps the protocol {p}"));
                    }
                    Some(Val::Unknown(r)) => unknown = Some(r.clone()),
                    None => bad.push("a redirect names no protocol".to_string()),
                },
                "fixed-response" => {}
                other => bad.push(format!("an action {other}s plain HTTP")),
            }
        }
        if actions.is_empty() {
            cx.unknown(l.rid, "the HTTP listener has no default action");
        } else if !bad.is_empty() {
            cx.fail(
                l.rid,
                format!("the HTTP listener serves plain HTTP: {}", bad.join("; ")),
            );
        } else if let Some(r) = unknown {
            cx.unknown(l.rid, r);
        } else {
            cx.pass(l.rid, "the HTTP listener only redirects to HTTPS");
        }
    }
}
