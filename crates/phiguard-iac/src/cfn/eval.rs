//! Resolves CloudFormation intrinsic functions against one template and the estate.

use super::value::Value;
use crate::yaml::{Node, NodeKind, Pos, Scalar};
use phiguard_model::Rid;
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub pos: Pos,
    pub message: String,
}

fn err<T>(pos: Pos, message: impl Into<String>) -> Result<T, EvalError> {
    Err(EvalError {
        pos,
        message: message.into(),
    })
}

/// A template parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub ptype: String,
    pub default: Option<Node>,
    pub no_echo: bool,
    pub pos: Pos,
}

/// What the evaluator needs from the template and the estate.
pub struct Scope<'a> {
    pub params: &'a HashMap<String, Param>,
    pub mappings: Option<&'a Node>,
    pub conditions: Option<&'a Node>,
    /// Logical id → resource of the estate.
    pub resources: &'a HashMap<String, Rid>,
    /// Export name → value, across the estate.
    pub exports: &'a HashMap<String, Value>,
    /// Every resource's metadata, indexed by rid: its name, for rendering
    /// `${Name}`.
    pub names: &'a [phiguard_model::Meta],
    /// Resources whose `Condition` is false: not created.
    pub skipped: Option<&'a std::collections::HashSet<String>>,
    pub cond_cache: RefCell<HashMap<String, Option<bool>>>,
    /// What is being resolved (parameters, mapping entries, conditions), to
    /// detect reference cycles and bound how deep references nest.
    pub guard: Guard,
}

/// How many parameters, mapping entries and conditions a value may pass
/// through before it is refused as nested too deeply (a real template needs
/// a handful; this bounds the evaluator's stack).
pub const MAX_REFERENCE_DEPTH: usize = 64;

/// The references being resolved, and the cycles found on the way.
#[derive(Debug, Default)]
pub struct Guard {
    stack: RefCell<Vec<String>>,
    found: RefCell<Vec<EvalError>>,
}

impl Guard {
    /// Enters `what` (`parameter P`): `Err(message)` when it is already being
    /// resolved (a cycle, shown as the chain that closes it) or the chain is
    /// too long.
    fn enter(&self, what: &str) -> Result<(), String> {
        let mut stack = self.stack.borrow_mut();
        if let Some(i) = stack.iter().position(|s| s == what) {
            // Told the same way wherever it is entered: from its least member.
            let mut chain: Vec<&str> = stack[i..].iter().map(String::as_str).collect();
            let least = (0..chain.len()).min_by_key(|j| chain[*j]).unwrap_or(0);
            chain.rotate_left(least);
            chain.push(chain[0]);
            return Err(format!(
                "reference cycle: {} (CloudFormation cannot resolve a value that refers to itself)",
                chain.join(" → ")
            ));
        }
        if stack.len() >= MAX_REFERENCE_DEPTH {
            return Err(format!(
                "references nest deeper than {MAX_REFERENCE_DEPTH} levels ({} → ... → {what})",
                stack[0]
            ));
        }
        stack.push(what.to_string());
        Ok(())
    }

    fn leave(&self) {
        self.stack.borrow_mut().pop();
    }

    /// Records a cycle as an input error (once per position and message).
    fn record(&self, pos: Pos, message: &str) {
        let mut found = self.found.borrow_mut();
        if !found.iter().any(|e| e.message == message) {
            found.push(EvalError {
                pos,
                message: message.to_string(),
            });
        }
    }

    /// The cycles found so far, taken.
    pub fn take(&self) -> Vec<EvalError> {
        std::mem::take(&mut self.found.borrow_mut())
    }
}

const INTRINSICS: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Condition",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::GetAZs",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::Transform",
];

/// `!Ref` → `Ref`, `!GetAtt` → `Fn::GetAtt`.
fn long_name(tag: &str) -> Option<&'static str> {
    INTRINSICS
        .iter()
        .copied()
        .find(|n| *n == tag || n.strip_prefix("Fn::") == Some(tag))
}

fn scalar_value(s: &Scalar) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(*b),
        Scalar::Num(n) => Value::Num(n.clone()),
        Scalar::Str(s) => Value::Str(s.clone()),
    }
}

/// The text a value contributes to a string (`Fn::Sub`, `Fn::Join`), and the
/// resources it mentions; `None` when the value has no string form.
fn text_of(v: &Value, names: &dyn Fn(Rid) -> String) -> Option<(String, Vec<Rid>)> {
    match v {
        Value::Str(s) | Value::Num(s) => Some((s.clone(), vec![])),
        Value::Bool(b) => Some((b.to_string(), vec![])),
        Value::Expr(s, r) => Some((s.clone(), r.clone())),
        Value::Ref(rid) => Some((format!("${{{}}}", names(*rid)), vec![*rid])),
        Value::Att(rid, a) => Some((format!("${{{}.{a}}}", names(*rid)), vec![*rid])),
        _ => None,
    }
}

fn string_value(text: String, refs: Vec<Rid>, unresolved: bool) -> Value {
    if unresolved || !refs.is_empty() {
        Value::Expr(text, refs)
    } else {
        Value::Str(text)
    }
}

impl Scope<'_> {
    fn name_of(&self, rid: Rid) -> String {
        self.names
            .get(rid.0 as usize)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }

    /// Evaluates a node. `AWS::NoValue` inside a mapping or list removes the entry.
    pub fn eval(&self, n: &Node) -> Result<Value, EvalError> {
        if let Some(tag) = &n.tag {
            let Some(name) = long_name(tag) else {
                return err(n.pos, format!("unknown intrinsic function !{tag}"));
            };
            return self.intrinsic(name, n, n.pos);
        }
        match &n.kind {
            NodeKind::Scalar(s) => Ok(scalar_value(s)),
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let v = self.eval(i)?;
                    if v != Value::NoValue {
                        out.push(v);
                    }
                }
                Ok(Value::List(out))
            }
            NodeKind::Map(entries) => {
                if entries.len() == 1 {
                    let (k, kp, arg) = &entries[0];
                    if k == "Ref" {
                        return self.intrinsic("Ref", arg, *kp);
                    }
                    if let Some(name) = k.strip_prefix("Fn::") {
                        return match long_name(name) {
                            Some(long) => self.intrinsic(long, arg, *kp),
                            None => err(*kp, format!("unknown intrinsic function {k}")),
                        };
                    }
                }
                let mut out = Vec::with_capacity(entries.len());
                for (k, _, v) in entries {
                    let v = self.eval(v)?;
                    if v != Value::NoValue {
                        out.push((k.clone(), v));
                    }
                }
                Ok(Value::Map(out))
            }
        }
    }

    /// The argument of a short-form tag is the node itself without its tag.
    fn untagged(n: &Node) -> Node {
        Node {
            kind: n.kind.clone(),
            tag: None,
            pos: n.pos,
        }
    }

    fn arg_node(n: &Node) -> std::borrow::Cow<'_, Node> {
        if n.tag.is_some() {
            std::borrow::Cow::Owned(Self::untagged(n))
        } else {
            std::borrow::Cow::Borrowed(n)
        }
    }

    fn list_args<'n>(
        &self,
        name: &str,
        n: &'n Node,
        at: Pos,
        len: std::ops::RangeInclusive<usize>,
    ) -> Result<&'n [Node], EvalError> {
        match &n.kind {
            NodeKind::Seq(items) if len.contains(&items.len()) => Ok(items),
            NodeKind::Seq(items) => err(
                at,
                format!(
                    "{name} takes {} arguments, found {}",
                    if len.start() == len.end() {
                        len.start().to_string()
                    } else {
                        format!("{} to {}", len.start(), len.end())
                    },
                    items.len()
                ),
            ),
            _ => err(
                at,
                format!(
                    "{name} expects a list of arguments, found {}",
                    n.type_name()
                ),
            ),
        }
    }

    fn intrinsic(&self, name: &str, raw: &Node, at: Pos) -> Result<Value, EvalError> {
        let arg = Self::arg_node(raw);
        let arg: &Node = &arg;
        match name {
            "Ref" => {
                let Some(target) = arg.as_str() else {
                    return err(at, format!("Ref expects a name, found {}", arg.type_name()));
                };
                self.reference(target, at)
            }
            "Fn::GetAtt" => {
                let (res, att) = match &arg.kind {
                    NodeKind::Scalar(Scalar::Str(s)) => match s.split_once('.') {
                        Some((r, a)) => (r.to_string(), a.to_string()),
                        None => {
                            return err(
                                at,
                                format!("GetAtt expects Resource.Attribute, found {s:?}"),
                            );
                        }
                    },
                    NodeKind::Seq(items) if items.len() == 2 => {
                        let r = items[0].as_str().map(str::to_string);
                        let a = match self.eval(&items[1])? {
                            Value::Str(s) => Some(s),
                            _ => None,
                        };
                        match (r, a) {
                            (Some(r), Some(a)) => (r, a),
                            (Some(r), None) => {
                                return Ok(Value::Unknown(format!(
                                    "an attribute of {r} chosen at deploy time"
                                )));
                            }
                            _ => return err(at, "GetAtt expects [Resource, Attribute]"),
                        }
                    }
                    _ => {
                        return err(
                            at,
                            format!(
                                "GetAtt expects [Resource, Attribute], found {}",
                                arg.type_name()
                            ),
                        );
                    }
                };
                match self.resources.get(&res) {
                    Some(rid) => Ok(Value::Att(*rid, att)),
                    None if self.skipped.is_some_and(|s| s.contains(&res)) => Ok(Value::Unknown(
                        format!("{res} is not created (its condition is false)"),
                    )),
                    None => err(
                        at,
                        format!("GetAtt names {res}, which is not a resource of this template"),
                    ),
                }
            }
            "Fn::Sub" => {
                let (text_node, vars) = match &arg.kind {
                    NodeKind::Seq(items) if items.len() == 2 => (&items[0], Some(&items[1])),
                    NodeKind::Seq(_) => {
                        return err(at, "Sub expects a string or [string, {variables}]");
                    }
                    _ => (arg, None),
                };
                let Some(text) = text_node.as_str() else {
                    return err(
                        at,
                        format!("Sub expects a string, found {}", text_node.type_name()),
                    );
                };
                let mut var_values = HashMap::new();
                if let Some(vars) = vars {
                    let Some(entries) = vars.entries() else {
                        return err(vars.pos, "Sub variables must be a mapping");
                    };
                    for (k, _, v) in entries {
                        var_values.insert(k.clone(), self.eval(v)?);
                    }
                }
                self.sub(text, &var_values, at)
            }
            "Fn::Join" => {
                let items = self.list_args("Join", arg, at, 2..=2)?;
                let Some(delim) = items[0].as_str().map(str::to_string).or_else(|| {
                    matches!(items[0].kind, NodeKind::Scalar(Scalar::Null)).then(String::new)
                }) else {
                    return err(items[0].pos, "Join's delimiter must be a string");
                };
                let list = self.eval(&items[1])?;
                let parts = match list {
                    Value::List(p) => p,
                    Value::Unknown(r) => return Ok(Value::Unknown(r)),
                    Value::Expr(..) | Value::Ref(_) | Value::Att(..) => {
                        return Ok(Value::Unknown("a list known only at deploy time".into()));
                    }
                    other => {
                        return err(
                            items[1].pos,
                            format!("Join expects a list, found {}", other.type_name()),
                        );
                    }
                };
                let mut text = Vec::new();
                let mut refs = Vec::new();
                for p in &parts {
                    match text_of(p, &|r| self.name_of(r)) {
                        Some((t, r)) => {
                            text.push(t);
                            refs.extend(r);
                        }
                        None => {
                            if let Value::Unknown(r) = p {
                                return Ok(Value::Unknown(r.clone()));
                            }
                            return err(
                                items[1].pos,
                                format!("Join cannot join {}", p.type_name()),
                            );
                        }
                    }
                }
                let unresolved = parts.iter().any(|p| matches!(p, Value::Expr(..)));
                Ok(string_value(text.join(&delim), refs, unresolved))
            }
            "Fn::If" => {
                let items = self.list_args("If", arg, at, 3..=3)?;
                let Some(cond) = items[0].as_str() else {
                    return err(items[0].pos, "If expects a condition name first");
                };
                match self.condition(cond, items[0].pos)? {
                    Some(true) => self.eval(&items[1]),
                    Some(false) => self.eval(&items[2]),
                    None => {
                        let a = self.eval(&items[1])?;
                        let b = self.eval(&items[2])?;
                        if a == b {
                            Ok(a)
                        } else {
                            Ok(Value::Unknown(format!("depends on condition {cond}")))
                        }
                    }
                }
            }
            "Fn::Select" => {
                let items = self.list_args("Select", arg, at, 2..=2)?;
                let idx = self.eval(&items[0])?;
                let list = self.eval(&items[1])?;
                let Some(i) = idx.as_lit().and_then(|s| s.parse::<usize>().ok()) else {
                    return match idx {
                        Value::Unknown(r) => Ok(Value::Unknown(r)),
                        _ => err(items[0].pos, "Select's index must be a number"),
                    };
                };
                match list {
                    Value::List(l) => match l.into_iter().nth(i) {
                        Some(v) => Ok(v),
                        None => err(at, format!("Select index {i} is out of range")),
                    },
                    Value::Map(_) | Value::Bool(_) | Value::Null => err(
                        items[1].pos,
                        format!("Select expects a list, found {}", list.type_name()),
                    ),
                    _ => Ok(Value::Unknown(
                        "an element of a list known only at deploy time".into(),
                    )),
                }
            }
            "Fn::Split" => {
                let items = self.list_args("Split", arg, at, 2..=2)?;
                let Some(delim) = items[0].as_str() else {
                    return err(items[0].pos, "Split's delimiter must be a string");
                };
                match self.eval(&items[1])? {
                    Value::Str(s) => Ok(Value::List(
                        s.split(delim).map(|p| Value::Str(p.to_string())).collect(),
                    )),
                    Value::Map(_) | Value::List(_) => err(items[1].pos, "Split expects a string"),
                    _ => Ok(Value::Unknown("a string known only at deploy time".into())),
                }
            }
            "Fn::FindInMap" => {
                let items = self.list_args("FindInMap", arg, at, 3..=4)?;
                let map_name = self.eval(&items[0])?;
                let top = self.eval(&items[1])?;
                let second = self.eval(&items[2])?;
                let Some(map_name) = map_name.as_lit() else {
                    return Ok(Value::Unknown("a mapping chosen at deploy time".into()));
                };
                let Some(map) = self.mappings.and_then(|m| m.get(map_name)) else {
                    return err(
                        items[0].pos,
                        format!(
                            "FindInMap names mapping {map_name}, which the template does not declare"
                        ),
                    );
                };
                let Some(second) = second.as_lit() else {
                    return Ok(Value::Unknown("a mapping key chosen at deploy time".into()));
                };
                match top.as_lit() {
                    Some(top) => match map.get(top).and_then(|t| t.get(second)) {
                        Some(v) => self.mapping_entry(&format!("{map_name}.{top}.{second}"), v, at),
                        None => match items.get(3) {
                            Some(default) => match self.eval(default)?.get("DefaultValue") {
                                Some(v) => Ok(v.clone()),
                                None => err(at, format!("FindInMap: no {map_name}.{top}.{second}")),
                            },
                            None => err(
                                at,
                                format!("FindInMap: mapping {map_name} has no {top}.{second}"),
                            ),
                        },
                    },
                    None => {
                        // The top key is chosen at deploy time (e.g. the region): the
                        // value is known if every entry agrees.
                        let mut seen: Option<Value> = None;
                        for (key, _, entry) in map.entries().unwrap_or(&[]) {
                            let Some(v) = entry.get(second) else {
                                return Ok(Value::Unknown(format!(
                                    "mapping {map_name} depends on a deploy-time key"
                                )));
                            };
                            let v =
                                self.mapping_entry(&format!("{map_name}.{key}.{second}"), v, at)?;
                            match &seen {
                                Some(s) if *s != v => {
                                    return Ok(Value::Unknown(format!(
                                        "mapping {map_name} depends on a deploy-time key"
                                    )));
                                }
                                _ => seen = Some(v),
                            }
                        }
                        Ok(seen.unwrap_or(Value::Unknown(format!("mapping {map_name} is empty"))))
                    }
                }
            }
            "Fn::ImportValue" => match self.eval(arg)? {
                Value::Str(name) => match self.exports.get(&name) {
                    Some(v) => Ok(v.clone()),
                    None => Ok(Value::Unknown(format!(
                        "imports {name}, which no template of the estate exports"
                    ))),
                },
                Value::Map(_) | Value::List(_) => err(at, "ImportValue expects an export name"),
                _ => Ok(Value::Unknown(
                    "imports an export whose name is known only at deploy time".into(),
                )),
            },
            "Fn::Equals" => {
                let items = self.list_args("Equals", arg, at, 2..=2)?;
                let a = self.eval(&items[0])?;
                let b = self.eval(&items[1])?;
                Ok(match (a.as_lit(), b.as_lit(), &a, &b) {
                    (Some(x), Some(y), _, _) => Value::Bool(x == y),
                    (_, _, Value::Bool(x), Value::Bool(y)) => Value::Bool(x == y),
                    _ => Value::Unknown("compares values known only at deploy time".into()),
                })
            }
            "Fn::And" | "Fn::Or" => {
                let items = self.list_args(name, arg, at, 1..=10)?;
                let is_and = name == "Fn::And";
                let mut unknown = false;
                for i in items {
                    match self.cond_value(i)? {
                        Some(b) if b != is_and => return Ok(Value::Bool(b)),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                Ok(if unknown {
                    Value::Unknown("a condition known only at deploy time".into())
                } else {
                    Value::Bool(is_and)
                })
            }
            "Fn::Not" => {
                let items = self.list_args("Not", arg, at, 1..=1)?;
                Ok(match self.cond_value(&items[0])? {
                    Some(b) => Value::Bool(!b),
                    None => Value::Unknown("a condition known only at deploy time".into()),
                })
            }
            "Condition" => {
                let Some(c) = arg.as_str() else {
                    return err(at, "Condition expects a condition name");
                };
                Ok(match self.condition(c, at)? {
                    Some(b) => Value::Bool(b),
                    None => Value::Unknown(format!("condition {c} is known only at deploy time")),
                })
            }
            "Fn::Base64" => self.eval(arg),
            "Fn::Cidr" | "Fn::GetAZs" => {
                self.eval(arg)?;
                Ok(Value::Unknown(format!("{name} is computed at deploy time")))
            }
            "Fn::Length" => Ok(match self.eval(arg)? {
                Value::List(l) => Value::Num(l.len().to_string()),
                _ => Value::Unknown("the length of a list known only at deploy time".into()),
            }),
            "Fn::ToJsonString" | "Fn::Transform" => {
                Ok(Value::Unknown(format!("{name} is applied at deploy time")))
            }
            _ => err(at, format!("unknown intrinsic function {name}")),
        }
    }

    /// Resolves every parameter default, mapping entry and condition of the
    /// template once, so that each reference cycle among them is found (and
    /// taken with [`Guard::take`]) even where nothing uses it.
    pub fn find_cycles(&self) {
        let mut params: Vec<_> = self.params.iter().collect();
        params.sort_by_key(|(_, p)| p.pos);
        for (name, p) in params {
            let _ = self.reference(name, p.pos);
        }
        if let Some(maps) = self.mappings.and_then(Node::entries) {
            for (m, _, map) in maps {
                for (top, _, entries) in map.entries().unwrap_or(&[]) {
                    for (second, kp, v) in entries.entries().unwrap_or(&[]) {
                        let _ = self.mapping_entry(&format!("{m}.{top}.{second}"), v, *kp);
                    }
                }
            }
        }
        if let Some(conds) = self.conditions.and_then(Node::entries) {
            for (c, kp, _) in conds {
                let _ = self.condition(c, *kp);
            }
        }
    }

    /// A mapping entry's value, guarded against entries that look themselves up.
    fn mapping_entry(&self, path: &str, v: &Node, at: Pos) -> Result<Value, EvalError> {
        if let Err(m) = self.guard.enter(&format!("mapping {path}")) {
            self.guard.record(at, &m);
            return Ok(Value::Unknown(format!(
                "mapping {path} cannot be resolved: {m}"
            )));
        }
        let r = self.eval(v);
        self.guard.leave();
        r
    }

    fn cond_value(&self, n: &Node) -> Result<Option<bool>, EvalError> {
        if n.tag.is_none() {
            if let Some([(k, kp, v)]) = n.entries() {
                if k == "Condition" {
                    let Some(c) = v.as_str() else {
                        return err(*kp, "Condition expects a condition name");
                    };
                    return self.condition(c, *kp);
                }
            }
        }
        Ok(match self.eval(n)? {
            Value::Bool(b) => Some(b),
            Value::Str(s) if s == "true" || s == "false" => Some(s == "true"),
            _ => None,
        })
    }

    /// A named condition: `Some(bool)` when it can be decided before deploy.
    pub fn condition(&self, name: &str, at: Pos) -> Result<Option<bool>, EvalError> {
        if let Some(v) = self.cond_cache.borrow().get(name) {
            return Ok(*v);
        }
        let Some(node) = self.conditions.and_then(|c| c.get(name)) else {
            return err(
                at,
                format!("condition {name} is not declared in Conditions"),
            );
        };
        // A condition that refers to itself is an error, as CloudFormation says:
        // recorded once, and undecided where it is used.
        if let Err(m) = self.guard.enter(&format!("condition {name}")) {
            self.guard.record(at, &m);
            return Ok(None);
        }
        let v = self.cond_value(node);
        self.guard.leave();
        let v = v?;
        self.cond_cache.borrow_mut().insert(name.to_string(), v);
        Ok(v)
    }

    fn reference(&self, target: &str, at: Pos) -> Result<Value, EvalError> {
        if let Some(p) = self.params.get(target) {
            if let Err(m) = self.guard.enter(&format!("parameter {target}")) {
                self.guard.record(at, &m);
                return Ok(Value::Unknown(format!(
                    "parameter {target} cannot be resolved: {m}"
                )));
            }
            let v = self.param_value(target, p);
            self.guard.leave();
            return Ok(v);
        }
        if let Some(rid) = self.resources.get(target) {
            return Ok(Value::Ref(*rid));
        }
        if self.skipped.is_some_and(|s| s.contains(target)) {
            return Ok(Value::Unknown(format!(
                "{target} is not created (its condition is false)"
            )));
        }
        match target {
            "AWS::NoValue" => Ok(Value::NoValue),
            "AWS::NotificationARNs" => Ok(Value::Unknown(
                "AWS::NotificationARNs is known at deploy time".into(),
            )),
            t if t.starts_with("AWS::") => Ok(Value::Expr(format!("${{{t}}}"), vec![])),
            _ => err(
                at,
                format!(
                    "Ref names {target}, which is neither a parameter nor a resource of this template"
                ),
            ),
        }
    }

    fn param_value(&self, name: &str, p: &Param) -> Value {
        if p.ptype.starts_with("AWS::SSM::Parameter::Value") {
            return Value::Unknown(format!(
                "parameter {name} is read from SSM Parameter Store at deploy time"
            ));
        }
        let Some(d) = &p.default else {
            return Value::Unknown(format!("parameter {name} has no default"));
        };
        let v = match self.eval(d) {
            Ok(v) => v,
            Err(_) => return Value::Unknown(format!("parameter {name}'s default cannot be read")),
        };
        if p.ptype == "CommaDelimitedList" || p.ptype.starts_with("List<") {
            if let Value::Str(s) = &v {
                return Value::List(
                    s.split(',')
                        .map(|x| Value::Str(x.trim().to_string()))
                        .collect(),
                );
            }
        }
        v
    }

    fn sub(&self, text: &str, vars: &HashMap<String, Value>, at: Pos) -> Result<Value, EvalError> {
        let mut out = String::with_capacity(text.len());
        let mut refs = Vec::new();
        let mut unresolved = false;
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(lit) = after.strip_prefix('!') {
                // `${!Literal}` writes `${Literal}`.
                out.push_str("${");
                rest = lit;
                continue;
            }
            let Some(end) = after.find('}') else {
                return err(at, "Sub has an unterminated ${");
            };
            let var = after[..end].trim();
            rest = &after[end + 1..];
            let v = if let Some(v) = vars.get(var) {
                v.clone()
            } else if let Some((res, att)) =
                var.split_once('.').filter(|_| !var.starts_with("AWS::"))
            {
                match self.resources.get(res) {
                    Some(rid) => Value::Att(*rid, att.to_string()),
                    None => {
                        return err(
                            at,
                            format!(
                                "Sub refers to ${{{var}}}, but {res} is not a resource of this template"
                            ),
                        );
                    }
                }
            } else {
                self.reference(var, at)?
            };
            match v {
                Value::Unknown(_)
                | Value::List(_)
                | Value::Map(_)
                | Value::Null
                | Value::NoValue => {
                    out.push_str(&format!("${{{var}}}"));
                    unresolved = true;
                }
                other => {
                    let (t, r) = text_of(&other, &|r| self.name_of(r)).unwrap_or_default();
                    if matches!(other, Value::Expr(..)) {
                        unresolved = true;
                    }
                    out.push_str(&t);
                    refs.extend(r);
                }
            }
        }
        out.push_str(rest);
        Ok(string_value(out, refs, unresolved))
    }
}
