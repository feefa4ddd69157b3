use crate::util::flows::{FlowLogs, Watched};
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every VPC has an active flow log that captures ALL traffic (accepted
    /// and rejected), targeting the VPC itself.
    ///
    /// ### Why
    /// Flow logs are the record of which hosts talked to the systems holding
    /// PHI; they are the first evidence asked for after an incident. Logging
    /// only accepted (or only rejected) traffic leaves half the picture out.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeFlowLogs` (`ResourceId`, `TrafficType`, `FlowLogStatus`).
    /// - Terraform: `aws_flow_log` (`vpc_id`, `traffic_type`).
    /// - CloudFormation: `AWS::EC2::FlowLog` with `ResourceType: VPC`, `ResourceId` referencing
    ///   the VPC (`!Ref`, or `!ImportValue` of another template's export) and `TrafficType: ALL`.
    ///
    /// A flow log whose target cannot be resolved (a parameter without a
    /// default, or a written VPC id while the VPC's id is assigned only at
    /// deploy time) makes a VPC without a flow log unknown rather than failing.
    pub static RULE = {
        id: "FLOW-1",
        control: NetworkVisibility,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Vpcs, FlowLogs],
        scope: Resource,
        title: "Every VPC has an active flow log capturing all traffic",
        remediation: "Add an AWS::EC2::FlowLog with ResourceType VPC, ResourceId the VPC and TrafficType ALL.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    let flow_logs = FlowLogs::of(inv);
    for v in &inv.vpcs {
        match flow_logs.watching(v.rid, &v.vpc_id, &["VPC"]) {
            Watched::No => cx.fail(v.rid, "no flow log targets this VPC"),
            Watched::Maybe(r) => cx.unknown(v.rid, r),
            Watched::By(logs) => {
                let all = logs.iter().find(|f| {
                    f.active.is_true()
                        && matches!(&f.traffic_type, Val::Known(t) if t.eq_ignore_ascii_case("ALL"))
                });
                if let Some(f) = all {
                    cx.pass(
                        v.rid,
                        format!("flow log {} captures ALL traffic", cx.inv.meta(f.rid).name),
                    );
                    continue;
                }
                let unknown = logs.iter().find_map(|f| {
                    f.traffic_type
                        .reason()
                        .or(f.active.reason())
                        .map(|r| format!("flow log {}: {r}", cx.inv.meta(f.rid).name))
                });
                match unknown {
                    Some(r) => cx.unknown(v.rid, r),
                    None => {
                        let what: Vec<String> = logs
                            .iter()
                            .map(|f| {
                                format!(
                                    "{} ({})",
                                    cx.inv.meta(f.rid).name,
                                    f.traffic_type.known().map(String::as_str).unwrap_or("?")
                                )
                            })
                            .collect();
                        cx.fail(
                            v.rid,
                            format!(
                                "no flow log of this VPC captures ALL traffic: {}",
                                what.join(", ")
                            ),
                        )
                    }
                }
            }
        }
    }
}
