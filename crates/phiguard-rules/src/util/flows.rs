//! Which flow logs watch a network resource.

use phiguard_model::{FlowLog, Inventory, Link, Rid, Val};

/// What the estate's flow logs say about one VPC or transit gateway.
pub enum Watched<'a> {
    /// The flow logs that target it.
    By(Vec<&'a FlowLog>),
    /// None targets it for sure, but a flow log whose target is unknown might.
    Maybe(String),
    /// No flow log targets it.
    No,
}

/// The flow logs targeting `rid` (whose id, where known, is `id`) with a
/// `ResourceType` among `types`. A flow log naming a written id watches the
/// resource of that id; when the resource's id is known only at deploy time,
/// it might be this one.
pub fn flow_logs_of<'a>(
    inv: &'a Inventory,
    rid: Rid,
    id: &Val<String>,
    types: &[&str],
) -> Watched<'a> {
    let mut by = Vec::new();
    let mut maybe = None;
    for f in &inv.flow_logs {
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
