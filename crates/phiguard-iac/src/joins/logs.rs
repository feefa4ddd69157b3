//! Where logs go: a written log group or bucket name or ARN joined to the
//! estate's log group or bucket of that name (trails, flow logs).

use phiguard_model::{Inventory, Link, Val};

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
