//! `aws_vpc`, `aws_ec2_transit_gateway`, `aws_flow_log` and
//! `aws_cloudwatch_log_group`: the networks, the flow logs that watch them
//! and the log groups they deliver to.
//!
//! A flow log watches the resource its `vpc_id`, `subnet_id`, `eni_id`,
//! `transit_gateway_id` or `transit_gateway_attachment_id` references, or
//! else the resource of the estate whose known id it writes; it delivers to
//! the log group or bucket its `log_destination` references, or whose known
//! name or ARN it writes.

use super::{key_opt, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::R;
use crate::joins::logs;
use phiguard_model::{Link, LogGroup, TransitGateway, Val, Vpc};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_vpc",
        "aws_ec2_transit_gateway",
        "aws_flow_log",
        "aws_cloudwatch_log_group",
    ],
    map,
    finish,
};

/// The attributes naming what a flow log watches, with the `ResourceType`
/// each stands for and the Terraform types it may reference.
const TARGETS: &[(&str, &str, &[&str])] = &[
    ("vpc_id", "VPC", &["aws_vpc"]),
    ("subnet_id", "Subnet", &["aws_subnet"]),
    ("eni_id", "NetworkInterface", &["aws_network_interface"]),
    (
        "transit_gateway_id",
        "TransitGateway",
        &["aws_ec2_transit_gateway"],
    ),
    (
        "transit_gateway_attachment_id",
        "TransitGatewayAttachment",
        &[
            "aws_ec2_transit_gateway_vpc_attachment",
            "aws_ec2_transit_gateway_peering_attachment",
        ],
    ),
];

/// The id a VPC or transit gateway has: known in a state, assigned at apply
/// time in a plan.
fn id_of(p: crate::cfn::props::P) -> R<Val<String>> {
    Ok(match p.get("id").str_opt()? {
        Val::Known(Some(id)) => Val::Known(id),
        Val::Known(None) => Val::unknown("the id is assigned at apply time"),
        Val::Unknown(_) => Val::unknown("the id is assigned at apply time"),
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "aws_vpc" => {
            let vpc_id = id_of(p)?;
            m.inv.vpcs.push(Vpc { rid: r.rid, vpc_id });
        }
        "aws_ec2_transit_gateway" => m.inv.transit_gateways.push(TransitGateway { rid: r.rid }),
        "aws_cloudwatch_log_group" => {
            let name = match p.get("name").str_opt()? {
                Val::Known(Some(n)) => Val::Known(n),
                Val::Known(None) => Val::unknown("the log group name is generated at apply time"),
                Val::Unknown(_) if !p.get("name_prefix").is_absent() => {
                    Val::unknown("the log group name is generated from name_prefix at apply time")
                }
                Val::Unknown(r) => Val::Unknown(r),
            };
            // No kms_key_id: encrypted by CloudWatch Logs' own service keys,
            // not a KMS key of the account.
            let key = if omitted(p.get("kms_key_id"), r.rid, "kms_key_id") {
                Val::Known(None)
            } else {
                key_opt(p, "kms_key_id")
            };
            // retention_in_days: 0 (the provider's default) or absent means
            // the events never expire.
            let retention_days = if omitted(p.get("retention_in_days"), r.rid, "retention_in_days")
            {
                Val::Known(None)
            } else {
                p.get("retention_in_days")
                    .u32_opt()?
                    .map(|d| d.filter(|d| *d > 0))
            };
            m.inv.log_groups.push(LogGroup {
                rid: r.rid,
                name,
                key,
                retention_days,
            });
        }
        _ => flow_log(m, r)?,
    }
    Ok(())
}

fn flow_log<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let set: Vec<&(&str, &str, &[&str])> = TARGETS
        .iter()
        .filter(|(attr, _, _)| !omitted(p.get(attr), r.rid, attr))
        .collect();
    let (target, target_type) = match set.as_slice() {
        [(attr, ty, kinds)] => (link_to(p, attr, r.rid, kinds), Val::Known(ty.to_string())),
        [] => {
            return p.error(
                "one of vpc_id, subnet_id, eni_id, transit_gateway_id or transit_gateway_attachment_id is required",
            );
        }
        _ => {
            return p.error(
                "only one of vpc_id, subnet_id, eni_id, transit_gateway_id and transit_gateway_attachment_id may be set",
            );
        }
    };
    // log_destination_type defaults to cloud-watch-logs.
    let destination_type = if omitted(p.get("log_destination_type"), r.rid, "log_destination_type")
    {
        Val::Known("cloud-watch-logs".to_string())
    } else {
        p.get("log_destination_type").str_or("cloud-watch-logs")?
    };
    const DEST_KINDS: &[&str] = &["aws_cloudwatch_log_group", "aws_s3_bucket"];
    let destination = if !omitted(p.get("log_destination"), r.rid, "log_destination") {
        link_to(p, "log_destination", r.rid, DEST_KINDS)
    } else if !omitted(p.get("log_group_name"), r.rid, "log_group_name") {
        // The deprecated log_group_name.
        link_to(p, "log_group_name", r.rid, DEST_KINDS)
    } else {
        Val::unknown("the flow log names no log_destination or log_group_name")
    };
    m.inv.flow_logs.push(logs::flow_log(
        r.rid,
        target,
        target_type,
        p.get("traffic_type").str_opt()?,
        "traffic_type",
        destination_type,
        destination,
    ));
    Ok(())
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let unit_of = |rid| est.get(rid).map(|r| r.unit);
    for i in 0..m.inv.flow_logs.len() {
        let f = &m.inv.flow_logs[i];
        // Terraform flow logs only; each joins within its plan or state.
        let Some(unit) = unit_of(f.rid) else {
            continue;
        };
        // A written destination: the estate's log group or bucket of that name.
        let dest = logs::flow_destination(m.inv, &f.destination_type, f.destination.clone());
        // A written target id: the estate's VPC or transit gateway of that
        // known id (a state).
        let target = match (&f.target, f.target_type.known().map(String::as_str)) {
            (Val::Known(Link::External(id)), Some("VPC")) => m
                .inv
                .vpcs
                .iter()
                .find(|v| unit_of(v.rid) == Some(unit) && v.vpc_id.known().is_some_and(|x| x == id))
                .map(|v| Val::Known(Link::Resource(v.rid))),
            (Val::Known(Link::External(id)), Some("TransitGateway")) => m
                .est
                .of_type("aws_ec2_transit_gateway")
                .find(|g| m.est.props(g).get("id").text().is_some_and(|x| x == *id))
                .map(|g| Val::Known(Link::Resource(g.rid))),
            _ => None,
        };
        let f = &mut m.inv.flow_logs[i];
        f.destination = dest;
        if let Some(t) = target {
            f.target = t;
        }
    }
}
