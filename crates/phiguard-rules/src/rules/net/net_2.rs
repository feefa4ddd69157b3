use crate::util::endpoints::judge_vpcs;
use crate::{Cx, declare_rule};
use phiguard_model::EndpointType;

declare_rule! {
    /// ### What it checks
    /// Every VPC of the estate has an **interface** endpoint for each service
    /// of `network.required_interface_endpoints` (default `secretsmanager`,
    /// `kms`, `sts`, `logs`, `ecr.api`, `ecr.dkr`).
    ///
    /// ### Why
    /// Workloads that fetch secrets, decrypt PHI, assume roles, ship logs or
    /// pull images should reach those APIs privately, not through the
    /// internet, so that egress can be closed and endpoint policies applied.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeVpcEndpoints` for each VPC.
    /// - Terraform: `aws_vpc_endpoint` with `vpc_endpoint_type = "Interface"`.
    /// - CloudFormation: `AWS::EC2::VPCEndpoint` with `VpcEndpointType: Interface`,
    ///   joined to its `VpcId`; the service is the part of `ServiceName` after
    ///   the region.
    ///
    /// An endpoint whose VPC is known only at deploy time makes a VPC that
    /// lacks the endpoint unknown, not failed.
    pub static RULE = {
        id: "NET-2",
        control: NetworkIsolation,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Vpcs, VpcEndpoints],
        scope: Resource,
        title: "Every workload VPC has interface endpoints for the services it consumes",
        remediation: "Add AWS::EC2::VPCEndpoint resources of type Interface (PrivateDnsEnabled: true) for each required service in the VPC.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let services = cx.cfg.network.required_interface_endpoints.clone();
    judge_vpcs(cx, &services, EndpointType::Interface, "interface");
}
