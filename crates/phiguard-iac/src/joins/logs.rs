//! Where logs go: a written log group or bucket name or ARN joined to the
//! estate's log group or bucket of that name (trails, flow logs).

use phiguard_model::{FlowLog, Inventory, Link, Rid, Val};

/// The log group name in a written name or ARN
/// (`arn:aws:logs:us-east-1:111122223333:log-group:/aws/flow:*`).
pub fn log_group_name(s: &str) -> &str {
    match s.split_once(":log-group:") {
        Some((_, rest)) => rest.strip_suffix(":*").unwrap_or(rest),
        None => s,
    }
}

/// The bucket name in a written name or ARN (`arn:aws:s3:::logs-bucket/flow/`),
/// in any partition.
pub fn bucket_name(s: &str) -> &str {
    let s = match s.split_once(":s3:::") {
        Some((head, rest)) if head.starts_with("arn:") => rest,
        _ => s,
    };
    s.split('/').next().unwrap_or(s)
}

/// A link to a log group: a resource of the estate stays as it is; a written
/// name or ARN becomes the estate's log group of that known name, if any.
pub fn log_group_link(inv: &Inventory, link: Val<Link>) -> Val<Link> {
    match link {
        Val::Known(Link::External(s)) => {
            let name = log_group_name(&s);
            match inv
                .log_groups
                .iter()
                .find(|g| g.name.known().is_some_and(|n| n == name))
            {
                Some(g) => Val::Known(Link::Resource(g.rid)),
                None => Val::Known(Link::External(s)),
            }
        }
        other => other,
    }
}

/// A link to a bucket: a resource of the estate stays as it is; a written
/// name or ARN becomes the estate's bucket of that known name, if any.
pub fn bucket_link(inv: &Inventory, link: Val<Link>) -> Val<Link> {
    match link {
        Val::Known(Link::External(s)) => {
            let name = bucket_name(&s);
            match inv
                .buckets
                .iter()
                .find(|b| b.name.known().is_some_and(|n| n == name))
            {
                Some(b) => Val::Known(Link::Resource(b.rid)),
                None => Val::Known(Link::External(s)),
            }
        }
        other => other,
    }
}

/// A flow log's destination, joined to the estate's log group or bucket by
/// its destination type.
pub fn flow_destination(
    inv: &Inventory,
    destination_type: &Val<String>,
    dest: Val<Link>,
) -> Val<Link> {
    match destination_type.known().map(String::as_str) {
        Some("cloud-watch-logs") => log_group_link(inv, dest),
        Some("s3") => bucket_link(inv, dest),
        _ => dest,
    }
}

/// A flow log with everything the sources read; traffic type as written
/// (`attr` names it in messages): transit gateway flow logs take none and
/// capture everything, others require it.
pub fn flow_log(
    rid: Rid,
    target: Val<Link>,
    target_type: Val<String>,
    traffic: Val<Option<String>>,
    attr: &str,
    destination_type: Val<String>,
    destination: Val<Link>,
) -> FlowLog {
    let is_tgw = matches!(&target_type, Val::Known(t) if t.starts_with("TransitGateway"));
    let traffic_type = match traffic {
        Val::Known(Some(t)) => Val::Known(t),
        Val::Known(None) if is_tgw => Val::Known("ALL".to_string()),
        Val::Known(None) => Val::unknown(format!(
            "{attr} is not set (EC2 requires it for VPC, subnet and interface flow logs)"
        )),
        Val::Unknown(r) => Val::Unknown(r),
    };
    FlowLog {
        rid,
        target,
        target_type,
        traffic_type,
        destination_type,
        destination,
        active: Val::Known(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_arns() {
        assert_eq!(
            log_group_name("arn:aws:logs:us-east-1:1:log-group:/aws/flow:*"),
            "/aws/flow"
        );
        assert_eq!(bucket_name("arn:aws-us-gov:s3:::logs/flow/"), "logs");
        assert_eq!(bucket_name("arn:aws:s3:::logs"), "logs");
        assert_eq!(bucket_name("logs"), "logs");
    }
}
