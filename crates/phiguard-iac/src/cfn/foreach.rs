//! `Fn::ForEach` (the `AWS::LanguageExtensions` transform), expanded before
//! the template is evaluated.
//!
//! ```yaml
//! Fn::ForEach::Buckets:
//!   - Name                      # the identifier
//!   - [Logs, Data]              # the collection
//!   - ${Name}Bucket:            # the output key (`&{Name}`: alphanumerics only)
//!       Type: AWS::S3::Bucket   # the output value: `!Ref Name`, `${Name}` inside
//!                               # strings (and so in `!Sub`), are the item
//! ```
//!
//! Where the collection is known (a literal list, or a parameter whose
//! default is a list), the loop becomes one entry per item, as CloudFormation
//! expands it. Where it is known only at deploy time, the loop becomes one
//! entry standing for every item: its key keeps `${Name}`, and each use of the
//! identifier is "an element of the collection", so what the item decides is
//! unknown while what every item shares is judged.

use crate::yaml::{Node, NodeKind, Pos, Scalar};

pub const PREFIX: &str = "Fn::ForEach::";

/// The collection of a loop, as far as the template says before deploy.
enum Collection {
    Known(Vec<String>),
    /// Known only at deploy time: the node that computes it.
    Deploy(Node),
}

/// `Ref: X` or `!Ref X`: the name referenced.
fn ref_target(n: &Node) -> Option<&str> {
    if n.tag.as_deref() == Some("Ref") {
        return match &n.kind {
            NodeKind::Scalar(Scalar::Str(s)) => Some(s),
            _ => None,
        };
    }
    match n.entries() {
        Some([(k, _, v)]) if k == "Ref" => v.as_str(),
        _ => None,
    }
}

fn collection(n: &Node, params: Option<&Node>) -> Collection {
    if n.tag.is_none() {
        if let NodeKind::Seq(items) = &n.kind {
            let texts: Option<Vec<String>> = items.iter().map(Node::literal).collect();
            if let Some(t) = texts {
                return Collection::Known(t);
            }
        }
    }
    if let Some(name) = ref_target(n) {
        let p = params.and_then(|p| p.get(name));
        let ptype = p
            .and_then(|p| p.get("Type"))
            .and_then(|t| t.as_str())
            .unwrap_or("");
        let is_list = ptype == "CommaDelimitedList" || ptype.starts_with("List<");
        if let (true, Some(d)) = (is_list, p.and_then(|p| p.get("Default"))) {
            if let Some(s) = d.literal() {
                return Collection::Known(s.split(',').map(|x| x.trim().to_string()).collect());
            }
            if let NodeKind::Seq(items) = &d.kind {
                if let Some(t) = items.iter().map(Node::literal).collect() {
                    return Collection::Known(t);
                }
            }
        }
    }
    Collection::Deploy(n.clone())
}

fn alnum(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// Replaces `${id}` and `&{id}` in a string.
fn subst_text(s: &str, id: &str, item: &str) -> String {
    s.replace(&format!("${{{id}}}"), item)
        .replace(&format!("&{{{id}}}"), &alnum(item))
}

fn mentions(s: &str, id: &str) -> bool {
    s.contains(&format!("${{{id}}}")) || s.contains(&format!("&{{{id}}}"))
}

/// Does this node (a `Sub`) use the identifier in its template string?
fn sub_mentions(n: &Node, id: &str) -> bool {
    let arg = if n.tag.as_deref() == Some("Sub") {
        Some(n)
    } else {
        match n.entries() {
            Some([(k, _, v)]) if k == "Fn::Sub" => Some(v),
            _ => None,
        }
    };
    let Some(arg) = arg else { return false };
    let text = match &arg.kind {
        NodeKind::Scalar(Scalar::Str(s)) => Some(s.as_str()),
        NodeKind::Seq(items) => items.first().and_then(|f| match &f.kind {
            NodeKind::Scalar(Scalar::Str(s)) => Some(s.as_str()),
            _ => None,
        }),
        _ => None,
    };
    text.is_some_and(|t| mentions(t, id))
}

/// `Fn::Select: [0, collection]`: an element of a collection known only at deploy.
fn element_of(coll: &Node, pos: Pos) -> Node {
    Node {
        kind: NodeKind::Map(vec![(
            "Fn::Select".into(),
            pos,
            Node {
                kind: NodeKind::Seq(vec![
                    Node {
                        kind: NodeKind::Scalar(Scalar::Num("0".into())),
                        tag: None,
                        pos,
                    },
                    coll.clone(),
                ]),
                tag: None,
                pos,
            },
        )]),
        tag: None,
        pos,
    }
}

/// The loop body with the identifier replaced by the item (`Some`), or by
/// an element of the deploy-time collection.
fn subst(n: &Node, id: &str, item: Option<&str>, coll: &Node) -> Node {
    if ref_target(n) == Some(id) {
        return match item {
            Some(i) => Node {
                kind: NodeKind::Scalar(Scalar::Str(i.to_string())),
                tag: None,
                pos: n.pos,
            },
            None => element_of(coll, n.pos),
        };
    }
    if item.is_none() && sub_mentions(n, id) {
        return element_of(coll, n.pos);
    }
    let kind = match &n.kind {
        NodeKind::Scalar(Scalar::Str(s)) => match item {
            Some(i) => NodeKind::Scalar(Scalar::Str(subst_text(s, id, i))),
            None if mentions(s, id) => return element_of(coll, n.pos),
            None => n.kind.clone(),
        },
        NodeKind::Scalar(_) => n.kind.clone(),
        NodeKind::Seq(items) => {
            NodeKind::Seq(items.iter().map(|i| subst(i, id, item, coll)).collect())
        }
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|(k, p, v)| {
                    let k = match item {
                        Some(i) => subst_text(k, id, i),
                        None => k.clone(),
                    };
                    (k, *p, subst(v, id, item, coll))
                })
                .collect(),
        ),
    };
    Node {
        kind,
        tag: n.tag.clone(),
        pos: n.pos,
    }
}

/// A malformed loop: where, and what was expected.
pub type LoopError = (Pos, String);

/// Expands every `Fn::ForEach::*` entry of a mapping (loops within loops
/// too, and loops within the entries' values), in place.
pub fn expand_map(
    node: &mut Node,
    params: Option<&Node>,
    notes: &mut Vec<String>,
    depth: u32,
) -> Result<(), LoopError> {
    if depth > 32 {
        return Err((node.pos, "Fn::ForEach loops are nested too deep".into()));
    }
    let NodeKind::Map(entries) = &mut node.kind else {
        if let NodeKind::Seq(items) = &mut node.kind {
            for i in items {
                expand_map(i, params, notes, depth + 1)?;
            }
        }
        return Ok(());
    };
    let mut out = Vec::with_capacity(entries.len());
    for (k, kp, mut v) in std::mem::take(entries) {
        if !k.starts_with(PREFIX) {
            expand_map(&mut v, params, notes, depth + 1)?;
            out.push((k, kp, v));
            continue;
        }
        let args = match &v.kind {
            NodeKind::Seq(a) if a.len() == 3 && v.tag.is_none() => a,
            _ => {
                return Err((
                    kp,
                    format!("{k} expects [Identifier, Collection, {{OutputKey: OutputValue}}]"),
                ));
            }
        };
        let Some(id) = args[0].literal() else {
            return Err((args[0].pos, format!("{k}: the identifier must be a string")));
        };
        let Some(body) = args[2].entries().filter(|_| args[2].tag.is_none()) else {
            return Err((
                args[2].pos,
                format!("{k}: the third element must be a mapping {{OutputKey: OutputValue}}"),
            ));
        };
        let mut produced = Vec::new();
        match collection(&args[1], params) {
            Collection::Known(items) => {
                for item in &items {
                    for (ok, op, ov) in body {
                        produced.push((
                            subst_text(ok, &id, item),
                            *op,
                            subst(ov, &id, Some(item), &args[1]),
                        ));
                    }
                }
            }
            Collection::Deploy(coll) => {
                notes.push(format!(
                    "{}:{}: {k}: the collection is known only at deploy time; each entry stands for every item, and what the item decides is unknown",
                    kp.line, kp.col
                ));
                for (ok, op, ov) in body {
                    produced.push((ok.clone(), *op, subst(ov, &id, None, &coll)));
                }
            }
        }
        let mut m = Node {
            kind: NodeKind::Map(produced),
            tag: None,
            pos: kp,
        };
        expand_map(&mut m, params, notes, depth + 1)?;
        if let NodeKind::Map(e) = m.kind {
            out.extend(e);
        }
    }
    *entries = out;
    Ok(())
}
