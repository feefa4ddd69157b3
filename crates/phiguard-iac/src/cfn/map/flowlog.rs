//! `AWS::EC2::FlowLog`: what it watches and where it delivers.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::joins::logs::{bucket_link, log_group_link};
use phiguard_model::{FlowLog, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::FlowLog"],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let target_type = match p.get("ResourceType").str_opt()? {
        Val::Known(Some(t)) => Val::Known(t),
        Val::Known(None) => return p.get("ResourceType").error("ResourceType is required"),
        Val::Unknown(r) => Val::Unknown(r),
    };
    if p.get("ResourceId").is_absent() {
        return p.get("ResourceId").error("ResourceId is required");
    }
    let target = p.get("ResourceId").link();
    let is_tgw = matches!(&target_type, Val::Known(t) if t.starts_with("TransitGateway"));
    let traffic_type = match p.get("TrafficType").str_opt()? {
        Val::Known(Some(t)) => Val::Known(t),
        // Transit gateway flow logs take no TrafficType: they capture everything.
        Val::Known(None) if is_tgw => Val::Known("ALL".to_string()),
        Val::Known(None) => Val::unknown(
            "TrafficType is not set (EC2 requires it for VPC, subnet and interface flow logs)",
        ),
        Val::Unknown(r) => Val::Unknown(r),
    };
    // LogDestinationType defaults to cloud-watch-logs.
    let destination_type = p.get("LogDestinationType").str_or("cloud-watch-logs")?;
    let destination = if !p.get("LogDestination").is_absent() {
        p.get("LogDestination").link()
    } else if !p.get("LogGroupName").is_absent() {
        p.get("LogGroupName").link()
    } else {
        Val::unknown("the flow log names no LogDestination or LogGroupName")
    };
    m.inv.flow_logs.push(FlowLog {
        rid: r.rid,
        target,
        target_type,
        traffic_type,
        destination_type,
        destination,
        active: Val::Known(true),
    });
    Ok(())
}

/// Written log group names, bucket names and ARNs become links to the
/// estate's resources of that name.
fn finish(m: &mut Mapper) {
    for i in 0..m.inv.flow_logs.len() {
        let f = &m.inv.flow_logs[i];
        let dest = f.destination.clone();
        let dest = match f.destination_type.known().map(String::as_str) {
            Some("cloud-watch-logs") => log_group_link(m.inv, dest),
            Some("s3") => bucket_link(m.inv, dest),
            _ => dest,
        };
        m.inv.flow_logs[i].destination = dest;
    }
}
