//! RDS: parameter groups named by a database joined to the groups of the
//! estate, an Aurora cluster's Availability Zones taken from its instances,
//! and the readings of a database that the CloudFormation and Terraform
//! mappers share.

use crate::cfn::map::Mapper;
use crate::cfn::props::{P, R};
use phiguard_model::{DbParameterGroup, Inventory, Link, Rid, Val};
use std::collections::{BTreeMap, BTreeSet};

/// What a mapper records as an Aurora cluster's `multi_az` until [`finish`]
/// decides it from the cluster's instances.
pub const FROM_INSTANCES: &str = "decided from the cluster's DB instances";

/// How a mapper names the n-th Availability Zone of the region
/// (`!Select [n, !GetAZs ""]`), whose name is known only at deploy time.
pub const NTH_ZONE: &str = "Fn::GetAZs zone #";

/// An engine name of Aurora (`aurora`, `aurora-mysql`, `aurora-postgresql`).
pub fn aurora(engine: &str) -> bool {
    engine.to_ascii_lowercase().starts_with("aurora")
}

/// Is a cluster's engine mode (`EngineMode`, `engine_mode`) Aurora
/// Serverless v1's (`serverless`)?
pub fn serverless_v1(mode: P) -> R<bool> {
    Ok(mode
        .str_opt()?
        .known()
        .is_some_and(|m| m.as_deref() == Some("serverless")))
}

/// Maps a DB parameter group (`cluster`: a DB cluster parameter group)
/// named `name` into `inv`: `family` is its family attribute, `parameters`
/// reads the parameters it sets.
pub fn parameter_group(
    inv: &mut Inventory,
    rid: Rid,
    cluster: bool,
    name: Val<String>,
    family: P,
    parameters: impl FnOnce() -> R<Val<BTreeMap<String, Val<String>>>>,
) -> R<()> {
    let family = family_of(family)?;
    let parameters = parameters()?;
    inv.db_parameter_groups.push(DbParameterGroup {
        rid,
        name,
        cluster,
        family,
        parameters,
    });
    Ok(())
}

/// A parameter group's family, lower case.
fn family_of(p: P) -> R<Val<String>> {
    Ok(p.str_opt()?.and_then(|f| match f {
        Some(f) => Val::Known(f.to_ascii_lowercase()),
        None => Val::unknown(format!("no {} is set", p.name())),
    }))
}

/// What an Aurora instance takes from its cluster.
pub fn from_cluster<T>(what: &str) -> Val<T> {
    Val::unknown(format!("an Aurora instance takes {what} from its cluster"))
}

/// The settings of exposure, availability, backups and parameters.
pub struct Availability {
    pub publicly_accessible: Val<Option<bool>>,
    pub deletion_protection: Val<bool>,
    pub multi_az: Val<bool>,
    pub availability_zone: Val<Option<String>>,
    pub backup_retention_days: Val<u32>,
    pub parameter_group: Val<Option<Link>>,
    pub read_replica: Val<bool>,
}

/// Whether a database is Multi-AZ: a cluster member's is its cluster's, an
/// instance's is its own setting (`instance` reads it), and an Aurora
/// cluster's is decided by [`finish`] from its instances. `engine_mode` is
/// the cluster's engine mode.
pub fn multi_az(
    member: bool,
    is_cluster: bool,
    is_aurora: Val<bool>,
    engine_mode: P,
    instance: impl FnOnce() -> R<Val<bool>>,
) -> R<Val<bool>> {
    Ok(if member {
        from_cluster("its Availability Zones")
    } else if !is_cluster {
        instance()?
    } else {
        match is_aurora {
            // Aurora Serverless v1 has no instance in another zone.
            Val::Known(true) if serverless_v1(engine_mode)? => Val::Known(false),
            Val::Known(true) => Val::unknown(FROM_INSTANCES),
            // A Multi-AZ DB cluster has a writer and two readers in three zones.
            Val::Known(false) => Val::Known(true),
            Val::Unknown(why) => Val::Unknown(why),
        }
    })
}

/// Is a parameter group name an engine default group (`default.postgres16`)?
pub fn is_default_group(name: &str) -> bool {
    name.to_ascii_lowercase().starts_with("default.")
}

/// Joins what RDS resources say about each other, once every resource of a
/// source is mapped:
///
/// - a parameter group named by its name (`DBParameterGroupName: phi-pg`,
///   `parameter_group_name = "phi-pg"`) becomes a link to the estate's group
///   of that name in the same place, when there is one;
/// - an Aurora cluster is multi-AZ when its instances are in two
///   Availability Zones or more.
pub fn finish(m: &mut Mapper) {
    link_parameter_groups(m.inv);
    aurora_multi_az(m.inv);
}

fn link_parameter_groups(inv: &mut Inventory) {
    let mut links = Vec::new();
    for (i, db) in inv.databases.iter().enumerate() {
        let Val::Known(Some(Link::External(name))) = &db.parameter_group else {
            continue;
        };
        if is_default_group(name) {
            continue;
        }
        let found = inv.db_parameter_groups.iter().find(|g| {
            g.cluster == db.is_cluster
                && g.name.known().is_some_and(|n| n.eq_ignore_ascii_case(name))
                && inv.same_place(g.rid, db.rid)
        });
        if let Some(g) = found {
            links.push((i, g.rid));
        }
    }
    for (i, rid) in links {
        inv.databases[i].parameter_group = Val::Known(Some(Link::Resource(rid)));
    }
}

fn aurora_multi_az(inv: &mut Inventory) {
    let mut verdicts = Vec::new();
    for (i, db) in inv.databases.iter().enumerate() {
        if !(db.is_cluster && db.multi_az.reason() == Some(FROM_INSTANCES)) {
            continue;
        }
        let members: Vec<&Val<Option<String>>> = inv
            .databases
            .iter()
            .filter(|m| m.cluster == Some(Link::Resource(db.rid)))
            .map(|m| &m.availability_zone)
            .collect();
        verdicts.push((i, members_multi_az(&members)));
    }
    for (i, v) in verdicts {
        inv.databases[i].multi_az = v;
    }
}

/// Whether instances in these Availability Zones (`None`: RDS picks one)
/// span two zones or more.
fn members_multi_az(zones: &[&Val<Option<String>>]) -> Val<bool> {
    match zones.len() {
        0 => {
            return Val::unknown(
                "no DB instance of the code read belongs to the Aurora cluster: its instances, and so their Availability Zones, are not known",
            );
        }
        1 => return Val::Known(false),
        _ => {}
    }
    let known: BTreeSet<&str> = zones
        .iter()
        .filter_map(|z| z.known().and_then(|z| z.as_deref()))
        .collect();
    // Zones by name and zones by index into the region's list: two of one
    // kind that differ are two zones; one of each may be the same zone.
    let (by_index, by_name): (BTreeSet<&str>, BTreeSet<&str>) =
        known.iter().partition(|z| z.starts_with(NTH_ZONE));
    if by_index.len() >= 2 || by_name.len() >= 2 {
        return Val::Known(true);
    }
    if known.len() == 1 && zones.iter().all(|z| matches!(z, Val::Known(Some(_)))) {
        return Val::Known(false);
    }
    Val::unknown(format!(
        "the Aurora cluster has {} instances, and RDS places an instance without an Availability Zone in one it picks: whether they are in different zones cannot be told (set AvailabilityZone / availability_zone on each)",
        zones.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn z(s: Option<&str>) -> Val<Option<String>> {
        Val::Known(s.map(str::to_string))
    }

    #[test]
    fn instances_in_two_zones_make_a_cluster_multi_az() {
        let (a, b, none) = (z(Some("us-east-1a")), z(Some("us-east-1b")), z(None));
        assert_eq!(members_multi_az(&[&a, &b]), Val::Known(true));
        assert_eq!(members_multi_az(&[&a, &none, &b]), Val::Known(true));
        assert_eq!(members_multi_az(&[&a, &a]), Val::Known(false));
        assert_eq!(members_multi_az(&[&a]), Val::Known(false));
        assert!(!members_multi_az(&[&a, &none]).is_known());
        let (first, second) = (
            z(Some(&format!("{NTH_ZONE}0"))),
            z(Some(&format!("{NTH_ZONE}1"))),
        );
        assert_eq!(members_multi_az(&[&first, &second]), Val::Known(true));
        assert_eq!(members_multi_az(&[&first, &first]), Val::Known(false));
        // The first zone of the list may be us-east-1a.
        assert!(!members_multi_az(&[&first, &a]).is_known());
        assert!(!members_multi_az(&[]).is_known());
    }

    #[test]
    fn default_groups() {
        assert!(is_default_group("default.postgres16"));
        assert!(is_default_group("Default.aurora-mysql8.0"));
        assert!(!is_default_group("phi-postgres16"));
    }
}
