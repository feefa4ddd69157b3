//! `AWS::EC2::FlowLog`: what it watches and where it delivers.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::joins::logs;
use phiguard_model::Val;

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
    // LogDestinationType defaults to cloud-watch-logs.
    let destination_type = p.get("LogDestinationType").str_or("cloud-watch-logs")?;
    let destination = if !p.get("LogDestination").is_absent() {
        p.get("LogDestination").link()
    } else if !p.get("LogGroupName").is_absent() {
        p.get("LogGroupName").link()
    } else {
        Val::unknown("the flow log names no LogDestination or LogGroupName")
    };
    m.inv.flow_logs.push(logs::flow_log(
        r.rid,
        target,
        target_type,
        p.get("TrafficType").str_opt()?,
        "TrafficType",
        destination_type,
        destination,
    ));
    Ok(())
}

/// Written log group names, bucket names and ARNs become links to the
/// estate's resources of that name.
fn finish(m: &mut Mapper) {
    for i in 0..m.inv.flow_logs.len() {
        let f = &m.inv.flow_logs[i];
        let dest = logs::flow_destination(m.inv, &f.destination_type, f.destination.clone());
        m.inv.flow_logs[i].destination = dest;
    }
}
