//! A YAML/JSON document tree that keeps tags and positions.
//!
//! Built on `saphyr-parser` events. JSON is read by the same parser (YAML 1.2
//! is a superset of JSON), so both carry line and column.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    /// A number, as written.
    Num(String),
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Keys in document order; keys are strings (other scalar keys are rendered as text).
    Map(Vec<(String, Pos, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// A local tag such as `!Ref` (without the `!`), when the node has one.
    pub tag: Option<String>,
    pub pos: Pos,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
    pub fn entries(&self) -> Option<&[(String, Pos, Node)]> {
        match &self.kind {
            NodeKind::Map(e) => Some(e),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(Scalar::Str(s)) | NodeKind::Scalar(Scalar::Num(s))
                if self.tag.is_none() =>
            {
                Some(s)
            }
            _ => None,
        }
    }
    /// The text of a plain scalar as written (a string, number or
    /// boolean without a tag).
    pub fn literal(&self) -> Option<String> {
        if self.tag.is_some() {
            return None;
        }
        match &self.kind {
            NodeKind::Scalar(Scalar::Str(s)) | NodeKind::Scalar(Scalar::Num(s)) => Some(s.clone()),
            NodeKind::Scalar(Scalar::Bool(b)) => Some(b.to_string()),
            _ => None,
        }
    }
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(Scalar::Null) => "null",
            NodeKind::Scalar(Scalar::Bool(_)) => "a boolean",
            NodeKind::Scalar(Scalar::Num(_)) => "a number",
            NodeKind::Scalar(Scalar::Str(_)) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// A parse error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

fn pos(span: &Span) -> Pos {
    Pos {
        line: span.start.line() as u32,
        col: span.start.col() as u32 + 1,
    }
}

/// Most nodes that aliases may copy into one document.
const MAX_ALIAS_NODES: usize = 1_000_000;

fn count(n: &Node) -> usize {
    1 + match &n.kind {
        NodeKind::Scalar(_) => 0,
        NodeKind::Seq(items) => items.iter().map(count).sum(),
        NodeKind::Map(entries) => entries.iter().map(|(_, _, v)| count(v)).sum(),
    }
}

/// Deepest nesting accepted; deeper input is an error rather than a stack overflow.
const MAX_DEPTH: usize = 256;

enum Frame {
    Seq(Vec<Node>, Option<String>, Pos, usize),
    Map(
        Vec<(String, Pos, Node)>,
        Option<(String, Pos)>,
        Option<String>,
        Pos,
        usize,
    ),
}

/// Parses the first document of `text`.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut expanded = 0usize;
    let mut root: Option<Node> = None;
    let mut last = Pos { line: 1, col: 1 };
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| ParseError {
            pos: Pos {
                line: e.marker().line() as u32,
                col: e.marker().col() as u32 + 1,
            },
            message: e.info().to_string(),
        })?;
        let at = pos(&span);
        last = at;
        let done: Option<(Node, usize)> = match ev {
            Event::DocumentStart(_) if root.is_some() => {
                return Err(ParseError {
                    pos: at,
                    message: "a second YAML document: a template is a single document".into(),
                });
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::Nothing
            | Event::DocumentEnd => None,
            Event::Alias(id) => match anchors.get(&id) {
                Some((n, size)) => {
                    // Each alias copies its anchor: bound the total, or a few
                    // lines of nested aliases expand to billions of nodes.
                    expanded += size;
                    if expanded > MAX_ALIAS_NODES {
                        return Err(ParseError {
                            pos: at,
                            message: format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                        });
                    }
                    Some((n.clone(), 0))
                }
                None => {
                    return Err(ParseError {
                        pos: at,
                        message: "alias to an unknown anchor".into(),
                    });
                }
            },
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.and_then(|t| local_tag(&t.handle, &t.suffix));
                let scalar = if style == ScalarStyle::Plain && tag.is_none() {
                    plain_scalar(&value)
                } else {
                    Scalar::Str(value.into_owned())
                };
                Some((
                    Node {
                        kind: NodeKind::Scalar(scalar),
                        tag,
                        pos: at,
                    },
                    anchor,
                ))
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError {
                        pos: at,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(Frame::Seq(
                    Vec::new(),
                    tag.and_then(|t| local_tag(&t.handle, &t.suffix)),
                    at,
                    anchor,
                ));
                None
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError {
                        pos: at,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(Frame::Map(
                    Vec::new(),
                    None,
                    tag.and_then(|t| local_tag(&t.handle, &t.suffix)),
                    at,
                    anchor,
                ));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, tag, p, anchor)) => Some((
                    Node {
                        kind: NodeKind::Seq(items),
                        tag,
                        pos: p,
                    },
                    anchor,
                )),
                _ => {
                    return Err(ParseError {
                        pos: at,
                        message: "unbalanced sequence".into(),
                    });
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, _, tag, p, anchor)) => Some((
                    Node {
                        kind: NodeKind::Map(entries),
                        tag,
                        pos: p,
                    },
                    anchor,
                )),
                _ => {
                    return Err(ParseError {
                        pos: at,
                        message: "unbalanced mapping".into(),
                    });
                }
            },
        };
        if let Some((node, anchor)) = done {
            if anchor != 0 {
                anchors.insert(anchor, (node.clone(), count(&node)));
            }
            match stack.last_mut() {
                None => {
                    if root.is_none() {
                        root = Some(node);
                    }
                }
                Some(Frame::Seq(items, ..)) => items.push(node),
                Some(Frame::Map(entries, pending, ..)) => match pending.take() {
                    None => {
                        let key = match &node.kind {
                            NodeKind::Scalar(Scalar::Str(s)) | NodeKind::Scalar(Scalar::Num(s)) => {
                                s.clone()
                            }
                            NodeKind::Scalar(Scalar::Bool(b)) => b.to_string(),
                            NodeKind::Scalar(Scalar::Null) => "null".to_string(),
                            _ => {
                                return Err(ParseError {
                                    pos: node.pos,
                                    message: "a mapping key must be a scalar".into(),
                                });
                            }
                        };
                        if entries.iter().any(|(k, _, _)| *k == key) {
                            return Err(ParseError {
                                pos: node.pos,
                                message: format!("duplicate key {key:?}"),
                            });
                        }
                        *pending = Some((key, node.pos));
                    }
                    Some((k, kp)) => entries.push((k, kp, node)),
                },
            }
        }
    }
    root.ok_or(ParseError {
        pos: last,
        message: "the document is empty".into(),
    })
}

/// `!Ref` has handle `!` and suffix `Ref`; global tags (`!!str`) are not kept.
fn local_tag(handle: &str, suffix: &str) -> Option<String> {
    if handle == "!" {
        Some(suffix.to_string())
    } else {
        None
    }
}

fn plain_scalar(s: &str) -> Scalar {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "true" | "True" | "TRUE" => Scalar::Bool(true),
        "false" | "False" | "FALSE" => Scalar::Bool(false),
        _ if looks_numeric(s) => Scalar::Num(s.to_string()),
        _ => Scalar::Str(s.to_string()),
    }
}

fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    !t.is_empty()
        && t.parse::<f64>().is_ok()
        && t.chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_positions() {
        let n = parse("A:\n  B: !Ref X\n  C: [1, 'two', true]\n").unwrap();
        let b = n.get("A").unwrap().get("B").unwrap();
        assert_eq!(b.tag.as_deref(), Some("Ref"));
        assert_eq!(b.pos, Pos { line: 2, col: 6 });
        let NodeKind::Seq(items) = &n.get("A").unwrap().get("C").unwrap().kind else {
            panic!()
        };
        assert_eq!(items[0].kind, NodeKind::Scalar(Scalar::Num("1".into())));
        assert_eq!(items[1].kind, NodeKind::Scalar(Scalar::Str("two".into())));
        assert_eq!(items[2].kind, NodeKind::Scalar(Scalar::Bool(true)));
    }

    #[test]
    fn json_with_tabs_parses() {
        let n = parse("{\n\t\"A\": {\n\t\t\"B\": \"x\"\n\t}\n}\n").unwrap();
        assert_eq!(n.get("A").unwrap().get("B").unwrap().as_str(), Some("x"));
    }

    #[test]
    fn one_document_only() {
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("second YAML document"), "{e:?}");
        assert!(parse("---\na: 1\n...\n").is_ok());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = parse(&doc).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e:?}");
        // Ordinary anchors still work.
        let n = parse("base: &b {k: v}\nother: *b\n").unwrap();
        assert_eq!(
            n.get("other").unwrap().get("k").unwrap().as_str(),
            Some("v")
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("A:\n  B: [1, 2\n").unwrap_err();
        assert!(e.pos.line >= 2, "{e:?}");
        let e = parse("A: 1\nA: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
    }
}
