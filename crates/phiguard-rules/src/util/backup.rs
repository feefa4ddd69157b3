//! Which backup selections pick a resource.

use phiguard_model::{
    BackupSelection, Inventory, Link, Meta, Rid, Selector, Val, all3, any3, glob_match,
};

/// The ARN service and the resource-part prefix of the kinds AWS Backup
/// selects by ARN.
fn arn_shape(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "AWS::RDS::DBInstance" => ("rds", "db:"),
        "AWS::RDS::DBCluster" => ("rds", "cluster:"),
        "AWS::EC2::Volume" => ("ec2", "volume/"),
        "AWS::DynamoDB::Table" => ("dynamodb", "table/"),
        _ => return None,
    })
}

/// The `:`-separated fields of an ARN (at most six: the resource part keeps
/// its colons), not splitting inside `${...}` (`${AWS::Region}`).
pub fn split_arn(arn: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut depth) = (0, 0);
    let b = arn.as_bytes();
    for i in 0..b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 && out.len() < 5 => {
                out.push(&arn[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&arn[start..]);
    out
}

/// One ARN field of a pattern against the resource's value. `${AWS::Region}`
/// and the like mean the selection's own account or region.
fn field(pat: &str, actual: &Val<String>, same_unit: bool, what: &str) -> Val<bool> {
    if pat == "*" {
        return Val::Known(true);
    }
    if pat.starts_with("${") {
        return if same_unit {
            Val::Known(true)
        } else {
            Val::unknown(format!(
                "the selection's pattern names its own {what}, and the resource is deployed elsewhere"
            ))
        };
    }
    match actual {
        Val::Known(a) => Val::Known(glob_match(pat, a)),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    }
}

/// Does an ARN pattern pick the resource?
fn pattern(p: &str, m: &Meta, same_unit: bool) -> Val<bool> {
    if p == "*" {
        return Val::Known(true);
    }
    let Some((service, prefix)) = arn_shape(&m.kind) else {
        return Val::Known(false);
    };
    let parts = split_arn(p);
    if parts.len() < 6 || parts[0] != "arn" || !glob_match(parts[2], service) {
        return Val::Known(false);
    }
    let res = parts[5];
    let probe = format!("{prefix}\u{1}name");
    let res_ok = if glob_match(res, &probe) {
        Val::Known(true)
    } else if res.starts_with(prefix) {
        Val::unknown(format!(
            "a backup selection names resources by the ARN pattern {p}; whether the physical name of {} matches it is not known from the code",
            m.name
        ))
    } else {
        Val::Known(false)
    };
    all3([
        res_ok,
        field(parts[3], &m.region, same_unit, "region"),
        field(parts[4], &m.account, same_unit, "account"),
    ])
}

fn selector(inv: &Inventory, s: &Selector, rid: Rid, sel: Rid) -> Val<bool> {
    match s {
        Selector::Resource(r) => Val::Known(*r == rid),
        Selector::Tag { key, value } => inv.has_tag(rid, key, value),
        Selector::Pattern(p) => pattern(p, inv.meta(rid), inv.meta(sel).unit == inv.meta(rid).unit),
    }
}

fn any_of(inv: &Inventory, list: &Val<Vec<Selector>>, rid: Rid, sel: Rid) -> Val<bool> {
    match list {
        Val::Known(v) => any3(v.iter().map(|s| selector(inv, s, rid, sel))),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    }
}

/// Does the selection pick the resource (and not exclude it)?
pub fn selects(inv: &Inventory, s: &BackupSelection, rid: Rid) -> Val<bool> {
    let picked = any_of(inv, &s.select, rid, s.rid);
    if picked.is_false() {
        return picked;
    }
    let excluded = any_of(inv, &s.exclude, rid, s.rid).map(|e| !e);
    all3([picked, excluded])
}

/// Is the selection's plan a backup plan of the estate?
pub fn plan_exists(inv: &Inventory, s: &BackupSelection) -> Val<bool> {
    match &s.plan {
        Val::Known(Link::Resource(p)) => Val::Known(inv.backup_plans.iter().any(|b| b.rid == *p)),
        Val::Known(Link::External(id)) => Val::unknown(format!(
            "backup selection {} belongs to plan {id}, which is not in the estate",
            inv.meta(s.rid).name
        )),
        Val::Unknown(r) => Val::unknown(format!(
            "the plan of backup selection {} is not known: {r}",
            inv.meta(s.rid).name
        )),
    }
}
