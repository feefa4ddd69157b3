//! Which flow logs watch a network resource.

use phiguard_model::{FlowLog, Inventory, Link, Rid, Val};
use std::collections::HashMap;

/// What the estate's flow logs say about one VPC or transit gateway.
pub enum Watched<'a> {
    /// The flow logs that target it.
    By(Vec<&'a FlowLog>),
    /// None targets it for sure, but a flow log whose target is unknown might.
    Maybe(String),
    /// No flow log targets it.
    No,
}

/// The flow logs of an estate, by what they target, so that each resource
/// reads only the flow logs that may be its own.
pub struct FlowLogs<'a> {
    inv: &'a Inventory,
    /// Targets named as resources of the estate.
    by_rid: HashMap<Rid, Vec<usize>>,
    /// Targets named by a written id.
    by_id: HashMap<&'a str, Vec<usize>>,
    /// Every flow log naming a written id (for a resource whose id is known
    /// only at deploy time).
    named: Vec<usize>,
    /// Flow logs whose target is known only at deploy time.
    unplaced: Vec<usize>,
}

impl<'a> FlowLogs<'a> {
    pub fn of(inv: &'a Inventory) -> Self {
        let mut ix = FlowLogs {
            inv,
            by_rid: HashMap::new(),
            by_id: HashMap::new(),
            named: Vec::new(),
            unplaced: Vec::new(),
        };
        for (i, f) in inv.flow_logs.iter().enumerate() {
            match &f.target {
                Val::Known(Link::Resource(r)) => ix.by_rid.entry(*r).or_default().push(i),
                Val::Known(Link::External(s)) => {
                    ix.by_id.entry(s.as_str()).or_default().push(i);
                    ix.named.push(i);
                }
                Val::Unknown(_) => ix.unplaced.push(i),
            }
        }
        ix
    }

    /// The flow logs targeting `rid` (whose id, where known, is `id`) with a
    /// `ResourceType` among `types`. A flow log naming a written id watches
    /// the resource of that id; when the resource's id is known only at
    /// deploy time, it might be this one.
    pub fn watching(&self, rid: Rid, id: &Val<String>, types: &[&str]) -> Watched<'a> {
        let inv = self.inv;
        let none: &[usize] = &[];
        let by_id = match id {
            Val::Known(i) => self.by_id.get(i.as_str()).map_or(none, Vec::as_slice),
            Val::Unknown(_) => &self.named,
        };
        let own = self.by_rid.get(&rid).map_or(none, Vec::as_slice);
        let mut candidates: Vec<usize> = own
            .iter()
            .chain(by_id)
            .chain(&self.unplaced)
            .copied()
            .collect();
        candidates.sort_unstable();
        let mut by = Vec::new();
        let mut maybe = None;
        for f in candidates.into_iter().map(|i| &inv.flow_logs[i]) {
            let type_ok = match &f.target_type {
                Val::Known(t) => Val::Known(types.contains(&t.as_str())),
                Val::Unknown(r) => Val::Unknown(r.clone()),
            };
            match (&f.target, type_ok) {
                (_, Val::Known(false)) => {}
                (Val::Known(Link::Resource(r)), Val::Known(true)) if *r == rid => by.push(f),
                (Val::Known(Link::Resource(r)), Val::Unknown(why)) if *r == rid => {
                    maybe.get_or_insert(format!("flow log {}: {why}", inv.meta(f.rid).name));
                }
                (Val::Known(Link::External(s)), Val::Known(true)) => match id {
                    Val::Known(i) if i == s => by.push(f),
                    Val::Known(_) => {}
                    Val::Unknown(_) => {
                        maybe.get_or_insert(format!(
                            "flow log {} targets {s}, which may be this resource (its id is assigned at deploy time)",
                            inv.meta(f.rid).name
                        ));
                    }
                },
                (Val::Known(_), _) => {}
                (Val::Unknown(why), _) => {
                    maybe.get_or_insert(format!(
                        "flow log {} targets a resource known only at deploy time ({why})",
                        inv.meta(f.rid).name
                    ));
                }
            }
        }
        if !by.is_empty() {
            Watched::By(by)
        } else if let Some(m) = maybe {
            Watched::Maybe(m)
        } else {
            Watched::No
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::test_meta as add;

    fn log(inv: &mut Inventory, name: &str, target: Val<Link>, ty: &str) {
        let rid = add(inv, "AWS::EC2::FlowLog", name);
        inv.flow_logs.push(FlowLog {
            rid,
            target,
            target_type: Val::Known(ty.into()),
            traffic_type: Val::Known("ALL".into()),
            destination_type: Val::Known("s3".into()),
            destination: Val::unknown("not read here"),
            active: Val::Known(true),
        });
    }

    fn names(inv: &Inventory, w: Watched) -> Result<Vec<String>, Option<String>> {
        match w {
            Watched::By(logs) => Ok(logs.iter().map(|f| inv.meta(f.rid).name.clone()).collect()),
            Watched::Maybe(r) => Err(Some(r)),
            Watched::No => Err(None),
        }
    }

    #[test]
    fn each_resource_reads_its_own_logs_those_naming_its_id_and_those_placed_at_deploy() {
        let mut inv = Inventory::default();
        let a = add(&mut inv, "AWS::EC2::VPC", "A");
        let b = add(&mut inv, "AWS::EC2::VPC", "B");
        let c = add(&mut inv, "AWS::EC2::VPC", "C");
        log(
            &mut inv,
            "a-by-id",
            Val::Known(Link::External("vpc-a".into())),
            "VPC",
        );
        log(
            &mut inv,
            "b-subnet",
            Val::Known(Link::Resource(b)),
            "Subnet",
        );
        log(&mut inv, "a-own", Val::Known(Link::Resource(a)), "VPC");
        log(&mut inv, "somewhere", Val::unknown("a parameter"), "VPC");
        let ix = FlowLogs::of(&inv);
        let id = |s: &str| Val::Known(s.to_string());
        // Logs in inventory order: by id first, then its own.
        assert_eq!(
            names(&inv, ix.watching(a, &id("vpc-a"), &["VPC"])),
            Ok(vec!["a-by-id".to_string(), "a-own".to_string()])
        );
        // B's only log is of another type: the log placed at deploy may be its.
        assert_eq!(
            names(&inv, ix.watching(b, &id("vpc-b"), &["VPC"])),
            Err(Some(
                "flow log somewhere targets a resource known only at deploy time (a parameter)"
                    .into()
            ))
        );
        assert_eq!(
            names(&inv, ix.watching(b, &id("vpc-b"), &["Subnet"])),
            Ok(vec!["b-subnet".to_string()])
        );
        // A VPC whose id is known only at deploy time may be the one a log names.
        assert_eq!(
            names(&inv, ix.watching(c, &Val::unknown("deploy"), &["VPC"])),
            Err(Some(
                "flow log a-by-id targets vpc-a, which may be this resource (its id is assigned at deploy time)"
                    .into()
            ))
        );
        // Without the unplaced log, a VPC nobody names has none.
        inv.flow_logs.pop();
        let ix = FlowLogs::of(&inv);
        assert_eq!(
            names(&inv, ix.watching(c, &id("vpc-c"), &["VPC"])),
            Err(None)
        );
    }
}
