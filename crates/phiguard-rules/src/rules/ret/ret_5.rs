use crate::{Cx, declare_rule};
use phiguard_model::{Link, Rid, Val};

declare_rule! {
    /// ### What it checks
    /// CloudWatch Logs log groups that hold audit or flow logs (the log group
    /// a trail sends to, and every log group a flow log delivers to) keep
    /// their events at least `[limits] log_retention_days` (default 365), or
    /// never expire them.
    ///
    /// ### Why
    /// These log groups are where investigators search first; HIPAA audit
    /// controls expect the activity record to be kept, and a short retention
    /// silently deletes it.
    ///
    /// ### Sources
    /// - Live: `logs:DescribeLogGroups` (`retentionInDays`).
    /// - Terraform: `aws_cloudwatch_log_group.retention_in_days` (0 or absent: never expire).
    /// - CloudFormation: `AWS::Logs::LogGroup.RetentionInDays` (absent: never expire), found
    ///   through `AWS::CloudTrail::Trail.CloudWatchLogsLogGroupArn` and `AWS::EC2::FlowLog`
    ///   (`LogGroupName`, or `LogDestination` with `LogDestinationType: cloud-watch-logs`).
    ///
    /// A log group outside the estate is unknown, reported on the trail or flow log.
    pub static RULE = {
        id: "RET-5",
        control: Retention,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, FlowLogs, LogGroups],
        scope: Resource,
        title: "Audit and flow log groups keep their logs for the retention period",
        remediation: "Set RetentionInDays to at least 365 (or remove it to never expire) on log groups that receive CloudTrail or flow logs.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let min = cx.cfg.limits.log_retention_days;
    // (log group, who sends to it) and (sender, why its log group is unknown).
    let mut groups: Vec<(Rid, String)> = Vec::new();
    let mut unknown: Vec<(Rid, String)> = Vec::new();
    let mut add = |from: Rid, what: &str, link: &Val<Link>| match link {
        Val::Known(Link::Resource(g)) => {
            if !groups.iter().any(|(x, _)| x == g) {
                groups.push((*g, what.to_string()));
            }
        }
        Val::Known(Link::External(s)) => unknown.push((
            from,
            format!("the log group {s} is not in the estate, so its retention cannot be told"),
        )),
        Val::Unknown(r) => unknown.push((from, r.clone())),
    };
    for t in &cx.inv.trails {
        match &t.log_group {
            Val::Known(Some(l)) => add(t.rid, "CloudTrail", &Val::Known(l.clone())),
            Val::Known(None) => {}
            Val::Unknown(r) => add(t.rid, "CloudTrail", &Val::Unknown(r.clone())),
        }
    }
    for f in &cx.inv.flow_logs {
        match f.destination_type.known().map(String::as_str) {
            Some("cloud-watch-logs") => add(f.rid, "flow", &f.destination),
            Some(_) => {}
            None => {
                if let Val::Known(Link::Resource(g)) = &f.destination {
                    if cx.inv.log_group(*g).is_some() {
                        add(f.rid, "flow", &f.destination);
                    }
                }
            }
        }
    }
    for (rid, r) in unknown {
        cx.unknown(rid, r);
    }
    for (g, what) in groups {
        let Some(lg) = cx.inv.log_group(g) else {
            continue;
        };
        match &lg.retention_days {
            Val::Known(None) => {
                cx.pass(g, format!("the {what} log group never expires its events"))
            }
            Val::Known(Some(d)) if *d >= min => {
                cx.pass(g, format!("the {what} log group keeps its events {d} days"))
            }
            Val::Known(Some(d)) => cx.fail(
                g,
                format!("the {what} log group keeps its events only {d} days, under {min}"),
            ),
            Val::Unknown(r) => cx.unknown(g, r.clone()),
        }
    }
}
