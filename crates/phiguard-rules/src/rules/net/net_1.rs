use crate::util::endpoints::judge_vpcs;
use crate::{Cx, declare_rule};
use phiguard_model::EndpointType;

declare_rule! {
    /// ### What it checks
    /// Every VPC of the estate (every VPC is treated as a workload VPC) has a
    /// **gateway** endpoint for S3 and one for DynamoDB. An interface endpoint
    /// for S3 does not count: the rule asks for the gateway, which keeps S3
    /// and DynamoDB traffic on the AWS network through the route tables.
    ///
    /// ### Why
    /// Without the gateway endpoints, PHI moving between workloads and S3 or
    /// DynamoDB leaves through a NAT or internet gateway, and an endpoint
    /// policy cannot restrict which buckets and tables the VPC can reach.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeVpcEndpoints` for each VPC.
    /// - Terraform: `aws_vpc_endpoint` (`vpc_endpoint_type`, default `Gateway`).
    /// - CloudFormation: `AWS::EC2::VPCEndpoint` joined to its `VpcId`;
    ///   `VpcEndpointType` defaults to `Gateway`; the service is the part of
    ///   `ServiceName` after the region (`com.amazonaws.${AWS::Region}.s3`).
    ///
    /// An endpoint whose `VpcId` is known only at deploy time cannot be joined:
    /// a VPC that lacks the endpoint is then unknown, not failed.
    pub static RULE = {
        id: "NET-1",
        control: NetworkIsolation,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Vpcs, VpcEndpoints],
        scope: Resource,
        title: "Every workload VPC has gateway endpoints for S3 and DynamoDB",
        remediation: "Add AWS::EC2::VPCEndpoint resources of type Gateway for com.amazonaws.<region>.s3 and .dynamodb, attached to the VPC's route tables.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let services = ["s3".to_string(), "dynamodb".to_string()];
    judge_vpcs(cx, &services, EndpointType::Gateway, "gateway");
}
