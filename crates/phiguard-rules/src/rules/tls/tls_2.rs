use crate::util::tls::{elb_min_tls, show};
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every `HTTPS` or `TLS` load balancer listener uses a security policy
    /// whose oldest accepted protocol is TLS 1.2 or newer, judged against a
    /// table of the ELB predefined policies. A policy not in the table is
    /// unknown, never a pass.
    ///
    /// ### Why
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996); a policy that still accepts
    /// them lets a client, or an attacker downgrading it, protect PHI with
    /// broken protocols.
    ///
    /// ### Sources
    /// - Live: `elbv2:DescribeListeners` `SslPolicy`.
    /// - Terraform: `aws_lb_listener.ssl_policy`.
    /// - CloudFormation: `AWS::ElasticLoadBalancingV2::Listener.SslPolicy`.
    ///
    /// ### Defaults assumed
    /// - A listener created through CloudFormation, Terraform (the API), the
    ///   CLI or the CDK without a policy gets `ELBSecurityPolicy-2016-08`, which
    ///   accepts TLS 1.0 (only the console defaults to
    ///   `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09`). Elastic Load Balancing,
    ///   "Security policies for your Application Load Balancer":
    ///   <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html>,
    ///   and for Network Load Balancers:
    ///   <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html>.
    /// - The table of policies and their oldest TLS version is the data file
    ///   `crates/phiguard-rules/data/elb-security-policies.txt`: the 2025-09
    ///   post-quantum families (`ELBSecurityPolicy-TLS13-1-2-*-PQ-2025-09`,
    ///   `ELBSecurityPolicy-TLS13-1-3-*PQ-2025-09`) with their FIPS forms, the
    ///   RFC 9151 policies, and the older ones.
    pub static RULE = {
        id: "TLS-2",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [LoadBalancers],
        scope: Resource,
        title: "HTTPS and TLS listeners require TLS 1.2 or newer",
        remediation: "Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (what AWS recommends; or another policy whose minimum is TLS 1.2) on every HTTPS/TLS listener.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for l in &cx.inv.listeners {
        match &l.protocol {
            Val::Known(p) if p == "HTTPS" || p == "TLS" => {}
            _ => continue,
        }
        match &l.ssl_policy {
            Val::Unknown(r) => cx.unknown(l.rid, r.clone()),
            Val::Known(None) => cx.unknown(l.rid, "the listener's security policy is not known"),
            Val::Known(Some(p)) => match elb_min_tls(p) {
                Some(v) if v >= (1, 2) => cx.pass(
                    l.rid,
                    format!("security policy {p} requires {} or newer", show(v)),
                ),
                Some(v) => cx.fail(l.rid, format!("security policy {p} accepts {}", show(v))),
                None => cx.unknown(
                    l.rid,
                    format!("security policy {p} is not in phiguard's table of ELB policies"),
                ),
            },
        }
    }
}
