use crate::util::flows::{FlowLogs, Watched};
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every transit gateway has an active flow log targeting it.
    ///
    /// ### Why
    /// A transit gateway carries traffic between VPCs and accounts; VPC flow
    /// logs do not show which attachment a packet crossed, so the gateway
    /// needs its own record.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeFlowLogs` with resource type `TransitGateway`.
    /// - Terraform: `aws_flow_log.transit_gateway_id`.
    /// - CloudFormation: `AWS::EC2::FlowLog` with `ResourceType: TransitGateway` and `ResourceId`
    ///   referencing the gateway (transit gateway flow logs take no `TrafficType`: they capture all).
    ///
    /// A flow log whose target cannot be resolved makes a transit gateway
    /// without a flow log unknown rather than failing.
    pub static RULE = {
        id: "FLOW-2",
        control: NetworkVisibility,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [TransitGateways, FlowLogs],
        scope: Resource,
        title: "Every transit gateway has a flow log",
        remediation: "Add an AWS::EC2::FlowLog with ResourceType TransitGateway and ResourceId the transit gateway.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    let flow_logs = FlowLogs::of(inv);
    for g in &inv.transit_gateways {
        match flow_logs.watching(
            g.rid,
            &Val::unknown("assigned at deploy time"),
            &["TransitGateway"],
        ) {
            Watched::No => cx.fail(g.rid, "no flow log targets this transit gateway"),
            Watched::Maybe(r) => cx.unknown(g.rid, r),
            Watched::By(logs) => {
                let names: Vec<String> = logs
                    .iter()
                    .map(|f| cx.inv.meta(f.rid).name.clone())
                    .collect();
                let active = phiguard_model::any3(logs.iter().map(|f| f.active.clone()));
                cx.judge(
                    g.rid,
                    active,
                    format!("flow log {} targets this transit gateway", names.join(", ")),
                    "the transit gateway's flow logs are not active",
                );
            }
        }
    }
}
