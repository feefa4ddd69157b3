//! AWS Backup selections: what a selection's tags and conditions select.

use crate::cfn::props::{P, R};
use phiguard_model::{Selector, Val};

/// How a source spells a selection's tag lists and conditions.
pub struct Spelling {
    /// A tag entry's type (`STRINGEQUALS`), key and value.
    pub tag_type: &'static str,
    pub tag_key: &'static str,
    pub tag_value: &'static str,
    /// The condition lists: equals, like, not equals, not like.
    pub conditions: [&'static str; 4],
    /// A condition's key and value.
    pub cond_key: &'static str,
    pub cond_value: &'static str,
}

/// A tag condition: `aws:ResourceTag/key` (or `key`) equals `value`.
pub fn tag_of(key: P, value: P) -> R<Val<Selector>> {
    Ok(match (key.str_opt()?, value.str_opt()?) {
        (Val::Known(Some(k)), Val::Known(Some(v))) => Val::Known(Selector::Tag {
            key: k.strip_prefix("aws:ResourceTag/").unwrap_or(&k).to_string(),
            value: v,
        }),
        (Val::Unknown(why), _) | (_, Val::Unknown(why)) => Val::Unknown(why),
        _ => return key.error("a tag condition needs a key and a value"),
    })
}

/// Adds the selection's tag entries (each selects the resources with that
/// tag) to `out`; `Some` when they cannot be read.
pub fn add_tags(tags: Vec<P>, sp: &Spelling, out: &mut Vec<Selector>) -> R<Option<String>> {
    for t in tags {
        match t.get(sp.tag_type).str_or("STRINGEQUALS")? {
            Val::Known(c) if c == "STRINGEQUALS" => {}
            Val::Known(c) => {
                return t
                    .get(sp.tag_type)
                    .error(format!("unknown {} {c:?}", sp.tag_type));
            }
            Val::Unknown(why) => return Ok(Some(why)),
        }
        match tag_of(t.get(sp.tag_key), t.get(sp.tag_value))? {
            Val::Known(sel) => out.push(sel),
            Val::Unknown(why) => return Ok(Some(why)),
        }
    }
    Ok(None)
}

/// Narrows what `out` selects by the selection's conditions (all must
/// match). Only the common shape is modelled: everything (`*`) narrowed by
/// one string-equals tag condition, which selects exactly the resources
/// with that tag.
pub fn narrow(conds: P, sp: &Spelling, out: Vec<Selector>) -> R<Val<Vec<Selector>>> {
    let mut equals = Vec::new();
    for (n, kind) in sp.conditions.iter().enumerate() {
        let items = match conds.get(kind).list()? {
            Val::Known(i) => i,
            Val::Unknown(why) => return Ok(Val::Unknown(why)),
        };
        if items.is_empty() {
            continue;
        }
        if n != 0 {
            return Ok(Val::unknown(format!(
                "the selection narrows its resources with {kind} conditions, which phiguard does not evaluate"
            )));
        }
        for c in items {
            match tag_of(c.get(sp.cond_key), c.get(sp.cond_value))? {
                Val::Known(sel) => equals.push(sel),
                Val::Unknown(why) => return Ok(Val::Unknown(why)),
            }
        }
    }
    match (equals.len(), out.as_slice()) {
        (0, _) => Ok(Val::Known(out)),
        (1, [Selector::Pattern(p)]) if p == "*" => Ok(Val::Known(equals)),
        _ => Ok(Val::unknown(
            "the selection narrows its resources with several tag conditions, which phiguard does not evaluate",
        )),
    }
}
