//! EC2: volumes, EBS encryption by default, VPCs, endpoints, transit gateways,
//! flow logs, security groups and instances.

use crate::errors::ce;
use crate::scope::{Scope, tag_map};
use crate::{all, client};
use phiguard_model::{
    Collection, EbsDefaults, EbsVolume, EndpointType, FlowLog, KeyRef, Link, SecurityGroup, SgRule,
    TransitGateway, Val, Vpc, VpcEndpoint, Workload,
};

/// EC2 tags (`Key`/`Value` pairs) as a map.
pub(super) fn tags(t: &[aws_sdk_ec2::types::Tag]) -> std::collections::BTreeMap<String, String> {
    tag_map(
        t.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string()))),
    )
}

pub async fn collect(s: Scope) {
    let c = client!(aws_sdk_ec2, s);
    volumes(&s, &c).await;
    defaults(&s, &c).await;
    vpcs(&s, &c).await;
    endpoints(&s, &c).await;
    transit(&s, &c).await;
    flow_logs(&s, &c).await;
    groups(&s, &c).await;
    instances(&s, &c).await;
}

async fn volumes(s: &Scope, c: &aws_sdk_ec2::Client) {
    if let Some(list) = s.listed(
        Collection::EbsVolumes,
        "ec2:DescribeVolumes",
        all!(c.describe_volumes()),
    ) {
        for v in list {
            let id = v.volume_id().unwrap_or_default();
            let rid = s.add(
                "AWS::EC2::Volume",
                id,
                &s.arn("ec2", &format!("volume/{id}")),
                Some(tags(v.tags())),
            );
            let encrypted = v.encrypted().unwrap_or(false);
            let key = match v.kms_key_id() {
                Some(k) => KeyRef::External(k.to_string()),
                None => KeyRef::AwsManaged("aws/ebs".into()),
            };
            s.with(|inv| {
                inv.ebs_volumes.push(EbsVolume {
                    rid,
                    encrypted: Val::Known(encrypted),
                    key: Val::Known(key),
                })
            });
        }
    }
}

async fn defaults(s: &Scope, c: &aws_sdk_ec2::Client) {
    let enabled = match c.get_ebs_encryption_by_default().send().await {
        Ok(o) => Val::Known(o.ebs_encryption_by_default().unwrap_or(false)),
        Err(e) => {
            let e = ce(e);
            s.gap(Collection::EbsDefaults, "ec2:GetEbsEncryptionByDefault", &e);
            return;
        }
    };
    let key = match c.get_ebs_default_kms_key_id().send().await {
        Ok(o) => Val::Known(match o.kms_key_id() {
            Some(k) if !k.is_empty() && k != "alias/aws/ebs" => KeyRef::External(k.to_string()),
            _ => KeyRef::AwsManaged("aws/ebs".into()),
        }),
        Err(e) => Val::unknown(format!("ec2:GetEbsDefaultKmsKeyId: {}", ce(e))),
    };
    let rid = s.add(
        "AWS::EC2::EBSEncryptionByDefault",
        "EbsEncryptionByDefault",
        &s.arn("ec2", "ebs-encryption-by-default"),
        None,
    );
    s.with(|inv| inv.ebs_defaults.push(EbsDefaults { rid, enabled, key }));
}

async fn vpcs(s: &Scope, c: &aws_sdk_ec2::Client) {
    if let Some(list) = s.listed(
        Collection::Vpcs,
        "ec2:DescribeVpcs",
        all!(c.describe_vpcs()),
    ) {
        for v in list {
            let id = v.vpc_id().unwrap_or_default().to_string();
            let rid = s.add(
                "AWS::EC2::VPC",
                &id,
                &s.arn("ec2", &format!("vpc/{id}")),
                Some(tags(v.tags())),
            );
            s.with(|inv| {
                inv.vpcs.push(Vpc {
                    rid,
                    vpc_id: Val::Known(id),
                })
            });
        }
    }
}

/// `com.amazonaws.us-east-1.ecr.api` → `ecr.api`.
fn short_service(name: &str, region: &str) -> String {
    let marker = format!(".{region}.");
    match name.find(&marker) {
        Some(i) => name[i + marker.len()..].to_string(),
        None => name.rsplit('.').next().unwrap_or(name).to_string(),
    }
}

async fn endpoints(s: &Scope, c: &aws_sdk_ec2::Client) {
    if let Some(list) = s.listed(
        Collection::VpcEndpoints,
        "ec2:DescribeVpcEndpoints",
        all!(c.describe_vpc_endpoints()),
    ) {
        for e in list {
            let id = e.vpc_endpoint_id().unwrap_or_default().to_string();
            let rid = s.add(
                "AWS::EC2::VPCEndpoint",
                &id,
                &s.arn("ec2", &format!("vpc-endpoint/{id}")),
                Some(tags(e.tags())),
            );
            let t = match e.vpc_endpoint_type().map(|t| t.as_str()) {
                Some("Gateway") => Val::Known(EndpointType::Gateway),
                Some("Interface") => Val::Known(EndpointType::Interface),
                Some("GatewayLoadBalancer") => Val::Known(EndpointType::GatewayLoadBalancer),
                other => Val::unknown(format!("endpoint type {other:?}")),
            };
            let policy = match e.policy_document() {
                None | Some("") => Val::Known(None),
                Some(p) => crate::policy::parse(p)
                    .map(|d| Val::Known(Some(d)))
                    .unwrap_or_else(|err| {
                        Val::unknown(format!("the endpoint policy could not be read: {err}"))
                    }),
            };
            let ep = VpcEndpoint {
                rid,
                vpc: Val::Known(Link::External(e.vpc_id().unwrap_or_default().to_string())),
                service: Val::Known(short_service(
                    e.service_name().unwrap_or_default(),
                    &s.region,
                )),
                endpoint_type: t,
                policy,
            };
            s.with(|inv| inv.vpc_endpoints.push(ep));
        }
    }
}

async fn transit(s: &Scope, c: &aws_sdk_ec2::Client) {
    match c
        .describe_transit_gateways()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(list) => {
            for t in list {
                if matches!(
                    t.state().map(|s| s.as_str()),
                    Some("deleted") | Some("deleting")
                ) {
                    continue;
                }
                let id = t.transit_gateway_id().unwrap_or_default();
                let arn = t
                    .transit_gateway_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| s.arn("ec2", &format!("transit-gateway/{id}")));
                let rid = s.add("AWS::EC2::TransitGateway", id, &arn, Some(tags(t.tags())));
                s.with(|inv| inv.transit_gateways.push(TransitGateway { rid }));
            }
        }
        Err(e) => s.gap(
            Collection::TransitGateways,
            "ec2:DescribeTransitGateways",
            &ce(e),
        ),
    }
}

async fn flow_logs(s: &Scope, c: &aws_sdk_ec2::Client) {
    if let Some(list) = s.listed(
        Collection::FlowLogs,
        "ec2:DescribeFlowLogs",
        all!(c.describe_flow_logs()),
    ) {
        for f in list {
            let id = f.flow_log_id().unwrap_or_default().to_string();
            let rid = s.add(
                "AWS::EC2::FlowLog",
                &id,
                &s.arn("ec2", &format!("vpc-flow-log/{id}")),
                Some(tags(f.tags())),
            );
            let target = f.resource_id().unwrap_or_default().to_string();
            let target_type = if target.starts_with("vpc-") {
                "VPC"
            } else if target.starts_with("subnet-") {
                "Subnet"
            } else if target.starts_with("eni-") {
                "NetworkInterface"
            } else if target.starts_with("tgw-attach-") {
                "TransitGatewayAttachment"
            } else if target.starts_with("tgw-") {
                "TransitGateway"
            } else {
                "Other"
            };
            let dest_type = f
                .log_destination_type()
                .map(|d| d.as_str().to_string())
                .unwrap_or_else(|| "cloud-watch-logs".into());
            let destination = match (f.log_destination(), f.log_group_name()) {
                (Some(d), _) if !d.is_empty() => Val::Known(Link::External(d.to_string())),
                (_, Some(g)) => {
                    Val::Known(Link::External(s.arn("logs", &format!("log-group:{g}"))))
                }
                _ => Val::unknown("the flow log names no destination"),
            };
            let active = f.flow_log_status() == Some("ACTIVE")
                && f.deliver_logs_error_message().is_none_or(str::is_empty);
            let fl = FlowLog {
                rid,
                target: Val::Known(Link::External(target)),
                target_type: Val::Known(target_type.to_string()),
                traffic_type: match f.traffic_type() {
                    Some(t) => Val::Known(t.as_str().to_string()),
                    None => Val::Known("ALL".into()),
                },
                destination_type: Val::Known(dest_type),
                destination,
                active: Val::Known(active),
            };
            s.with(|inv| inv.flow_logs.push(fl));
        }
    }
}

fn rules(perms: &[aws_sdk_ec2::types::IpPermission]) -> Vec<SgRule> {
    let mut out = Vec::new();
    for p in perms {
        let protocol = p.ip_protocol().unwrap_or("-1").to_string();
        let ports = phiguard_model::sg_ports(
            &protocol,
            p.from_port().map(i64::from),
            p.to_port().map(i64::from),
        );
        let rule = |cidr: Option<&str>, peer: Option<&str>| SgRule {
            protocol: protocol.clone(),
            cidr: cidr.map(str::to_string),
            peer: peer.map(str::to_string),
            ports: ports.clone(),
        };
        for r in p.ip_ranges() {
            out.push(rule(r.cidr_ip(), None));
        }
        for r in p.ipv6_ranges() {
            out.push(rule(r.cidr_ipv6(), None));
        }
        for g in p.user_id_group_pairs() {
            out.push(rule(None, g.group_id()));
        }
        for pl in p.prefix_list_ids() {
            out.push(rule(None, pl.prefix_list_id()));
        }
    }
    out
}

async fn groups(s: &Scope, c: &aws_sdk_ec2::Client) {
    match c
        .describe_security_groups()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(list) => {
            for g in list {
                let id = g.group_id().unwrap_or_default();
                let rid = s.add(
                    "AWS::EC2::SecurityGroup",
                    id,
                    &s.arn("ec2", &format!("security-group/{id}")),
                    Some(tags(g.tags())),
                );
                let sg = SecurityGroup {
                    rid,
                    vpc: Val::Known(Link::External(g.vpc_id().unwrap_or_default().to_string())),
                    ingress: Val::Known(rules(g.ip_permissions())),
                    egress: Val::Known(rules(g.ip_permissions_egress())),
                };
                s.with(|inv| inv.security_groups.push(sg));
            }
        }
        Err(e) => s.gap(
            Collection::SecurityGroups,
            "ec2:DescribeSecurityGroups",
            &ce(e),
        ),
    }
}

async fn instances(s: &Scope, c: &aws_sdk_ec2::Client) {
    if let Some(list) = s.listed(
        Collection::Workloads,
        "ec2:DescribeInstances",
        all!(c.describe_instances()),
    ) {
        for r in list {
            for i in r.instances() {
                let state = i
                    .state()
                    .and_then(|s| s.name())
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default();
                if state == "terminated" {
                    continue;
                }
                let id = i.instance_id().unwrap_or_default();
                let rid = s.add(
                    "AWS::EC2::Instance",
                    id,
                    &s.arn("ec2", &format!("instance/{id}")),
                    Some(tags(i.tags())),
                );
                s.with(|inv| {
                    inv.workloads.push(Workload {
                        rid,
                        state: Val::Known(state),
                    })
                });
            }
        }
    }
}
