//! Terraform source (`.tf` files), read before any plan exists.
//!
//! The `.tf` files of one directory are one module. Its resources are
//! written into the JSON shape of a plan (`planned_values`,
//! `resource_changes` with `after_unknown`, `configuration` with
//! `constant_value` or `references`), so the plan reader and every Terraform
//! mapper judge source as they judge plans. Literals, variables with a
//! default and locals are resolved; a reference to another resource links to
//! it; anything else (variables without a default, data sources, most
//! function calls, dynamic blocks, module outputs) is known only after
//! apply, never a pass. Module calls are followed with their inputs (local
//! sources, and what `terraform init` installed), into `child_modules` and
//! `module_calls` as a plan writes them; `count` and `for_each` make their
//! instances where the collection is known.

use super::Plan;
use crate::InputError;
use crate::yaml::Pos;
use hcl_edit::Span;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, Template};
use serde_json::{Map, Value as J, json};
use std::collections::HashMap;

/// An evaluated expression: its value when known before apply, and the
/// names it references (`aws_kms_key.phi.arn`, `aws_kms_key.phi`).
#[derive(Clone)]
struct Ev {
    value: Option<J>,
    refs: Vec<String>,
    /// An object or list with parts known only after apply: the known
    /// parts, with [`UNKNOWN`] in place of the others, so that a known
    /// part (`var.config.rule.algorithm`) can still be read.
    partial: Option<J>,
}

/// Marks a part of a [`Ev::partial`] value known only after apply.
const UNKNOWN: &str = "\u{0}known only after apply";

fn has_unknown(v: &J) -> bool {
    match v {
        J::String(s) => s == UNKNOWN,
        J::Array(a) => a.iter().any(has_unknown),
        J::Object(o) => o.values().any(has_unknown),
        _ => false,
    }
}

impl Ev {
    fn known(v: J) -> Ev {
        Ev {
            value: Some(v),
            refs: vec![],
            partial: None,
        }
    }
    fn unknown(refs: Vec<String>) -> Ev {
        Ev {
            value: None,
            refs,
            partial: None,
        }
    }
}

/// The instance of a resource or module call being read: `count.index`,
/// or `each.key` and `each.value`.
#[derive(Clone)]
enum Inst {
    Count(u64),
    Each(J, J),
}

struct Scope<'b> {
    vars: HashMap<String, Option<&'b Expression>>,
    locals: HashMap<String, &'b Expression>,
    /// A called module's variables: the values its call passes (known, or
    /// not), which override the defaults.
    inputs: HashMap<String, Ev>,
    inst: std::cell::RefCell<Option<Inst>>,
    /// Locals evaluated (each once), and `None` while being evaluated: a
    /// local that refers to itself is unknown.
    done: std::cell::RefCell<HashMap<String, Option<Ev>>>,
}

impl Scope<'_> {
    /// `var.x` (its default) or `local.x`, evaluated once.
    fn named(&self, head: &str, key: &str, depth: u32) -> Ev {
        if head == "var" {
            if let Some(ev) = self.inputs.get(key) {
                return ev.clone();
            }
        }
        let id = format!("{head}.{key}");
        if let Some(found) = self.done.borrow().get(&id) {
            return found.clone().unwrap_or_else(|| Ev::unknown(vec![]));
        }
        let x = if head == "var" {
            self.vars.get(key).copied().flatten()
        } else {
            self.locals.get(key).copied()
        };
        let Some(x) = x else {
            return Ev::unknown(vec![]);
        };
        self.done.borrow_mut().insert(id.clone(), None);
        let ev = eval(x, self, depth + 1);
        self.done.borrow_mut().insert(id, Some(ev.clone()));
        ev
    }
}

const MAX_DEPTH: u32 = 64;

fn push_ref(refs: &mut Vec<String>, r: String) {
    if !refs.contains(&r) {
        refs.push(r);
    }
}

fn template_text(t: &Template, sc: &Scope, depth: u32) -> Ev {
    let mut out = String::new();
    let mut refs = Vec::new();
    let mut known = true;
    for el in t.iter() {
        match el {
            Element::Literal(s) => out.push_str(s.value()),
            Element::Interpolation(i) => {
                let ev = eval(&i.expr, sc, depth + 1);
                for r in ev.refs {
                    push_ref(&mut refs, r);
                }
                match ev.value {
                    Some(J::String(s)) => out.push_str(&s),
                    Some(J::Number(n)) => out.push_str(&n.to_string()),
                    Some(J::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
                    _ => known = false,
                }
            }
            Element::Directive(_) => known = false,
        }
    }
    if known {
        Ev {
            value: Some(J::String(out)),
            refs,
            partial: None,
        }
    } else {
        Ev::unknown(refs)
    }
}

/// Evaluates an expression as far as it is known before apply.
fn eval(e: &Expression, sc: &Scope, depth: u32) -> Ev {
    if depth > MAX_DEPTH {
        return Ev::unknown(vec![]);
    }
    match e {
        Expression::Null(_) => Ev::known(J::Null),
        Expression::Bool(b) => Ev::known(J::Bool(*b.value())),
        Expression::Number(n) => match serde_json::from_str::<J>(&n.value().to_string()) {
            Ok(v @ J::Number(_)) => Ev::known(v),
            _ => Ev::unknown(vec![]),
        },
        Expression::String(s) => Ev::known(J::String(s.value().clone())),
        Expression::Array(a) => {
            let mut items = Vec::new();
            let mut refs = Vec::new();
            let mut known = true;
            for x in a.iter() {
                let ev = eval(x, sc, depth + 1);
                for r in ev.refs {
                    push_ref(&mut refs, r);
                }
                match ev.value {
                    Some(v) => items.push(v),
                    None => {
                        known = false;
                        items.push(ev.partial.unwrap_or(J::String(UNKNOWN.into())));
                    }
                }
            }
            let v = J::Array(items);
            Ev {
                value: known.then(|| v.clone()),
                refs,
                partial: (!known).then_some(v),
            }
        }
        Expression::Object(o) => {
            let mut m = Map::new();
            let mut refs = Vec::new();
            let mut known = true;
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => Some(i.value().to_string()),
                    ObjectKey::Expression(x) => match eval(x, sc, depth + 1).value {
                        Some(J::String(s)) => Some(s),
                        _ => None,
                    },
                };
                let ev = eval(v.expr(), sc, depth + 1);
                for r in ev.refs {
                    push_ref(&mut refs, r);
                }
                match (key, ev.value) {
                    (Some(k), Some(v)) => {
                        m.insert(k, v);
                    }
                    (Some(k), None) => {
                        known = false;
                        m.insert(k, ev.partial.unwrap_or(J::String(UNKNOWN.into())));
                    }
                    (None, _) => known = false,
                }
            }
            let v = J::Object(m);
            Ev {
                value: known.then(|| v.clone()),
                refs,
                partial: (!known).then_some(v),
            }
        }
        Expression::StringTemplate(t) => template_text(t, sc, depth),
        Expression::HeredocTemplate(h) => {
            let mut h = h.as_ref().clone();
            h.dedent();
            template_text(&h.template, sc, depth)
        }
        Expression::Parenthesis(p) => eval(p.inner(), sc, depth + 1),
        Expression::Traversal(t) => traversal(&t.expr, &t.operators, sc, depth),
        Expression::FuncCall(f) => {
            let args: Vec<Ev> = f.args.iter().map(|a| eval(a, sc, depth + 1)).collect();
            let mut refs = Vec::new();
            for a in &args {
                for r in &a.refs {
                    push_ref(&mut refs, r.clone());
                }
            }
            let name = f.name.name.value().as_str();
            match (name, args.as_slice()) {
                ("jsonencode", [Ev { value: Some(v), .. }]) if f.name.namespace.is_empty() => Ev {
                    value: Some(J::String(v.to_string())),
                    refs,
                    partial: None,
                },
                // `merge` of known objects, `concat` of known lists.
                ("merge", _) if args.iter().all(|a| matches!(a.value, Some(J::Object(_)))) => {
                    let mut m = Map::new();
                    for a in args {
                        if let Some(J::Object(o)) = &a.value {
                            m.extend(o.clone());
                        }
                    }
                    Ev {
                        value: Some(J::Object(m)),
                        refs,
                        partial: None,
                    }
                }
                ("concat", _) if args.iter().all(|a| matches!(a.value, Some(J::Array(_)))) => {
                    let mut l = Vec::new();
                    for a in args {
                        if let Some(J::Array(x)) = &a.value {
                            l.extend(x.clone());
                        }
                    }
                    Ev {
                        value: Some(J::Array(l)),
                        refs,
                        partial: None,
                    }
                }
                _ if f.name.namespace.is_empty() => Ev {
                    value: function(name, &args),
                    refs,
                    partial: None,
                },
                _ => Ev::unknown(refs),
            }
        }
        Expression::Variable(_) => Ev::unknown(vec![]),
        Expression::Conditional(c) => {
            let cond = eval(&c.cond_expr, sc, depth + 1);
            if let Some(J::Bool(b)) = cond.value {
                let mut ev = eval(if b { &c.true_expr } else { &c.false_expr }, sc, depth + 1);
                for r in cond.refs {
                    push_ref(&mut ev.refs, r);
                }
                return ev;
            }
            let mut refs = cond.refs;
            for x in [&c.true_expr, &c.false_expr] {
                for r in eval(x, sc, depth + 1).refs {
                    push_ref(&mut refs, r);
                }
            }
            Ev::unknown(refs)
        }
        Expression::UnaryOp(u) => {
            let ev = eval(&u.expr, sc, depth + 1);
            let value = match (u.operator.value(), ev.value) {
                (UnaryOperator::Not, Some(J::Bool(b))) => Some(J::Bool(!b)),
                (UnaryOperator::Neg, Some(J::Number(n))) => number(-n.as_f64().unwrap_or(0.0)),
                _ => None,
            };
            Ev {
                value,
                refs: ev.refs,
                partial: None,
            }
        }
        Expression::BinaryOp(b) => {
            let l = eval(&b.lhs_expr, sc, depth + 1);
            let r = eval(&b.rhs_expr, sc, depth + 1);
            let mut refs = l.refs;
            for x in r.refs {
                push_ref(&mut refs, x);
            }
            Ev {
                value: binary(*b.operator.value(), l.value, r.value),
                refs,
                partial: None,
            }
        }
        Expression::ForExpr(_) => Ev::unknown(vec![]),
    }
}

fn number(f: f64) -> Option<J> {
    if f.fract() == 0.0 && f.abs() < 9e15 {
        Some(J::from(f as i64))
    } else {
        serde_json::Number::from_f64(f).map(J::Number)
    }
}

/// An operator over values known before apply.
fn binary(op: BinaryOperator, l: Option<J>, r: Option<J>) -> Option<J> {
    let (l, r) = (l?, r?);
    let num = |v: &J| v.as_f64();
    Some(match op {
        BinaryOperator::Eq => J::Bool(l == r),
        BinaryOperator::NotEq => J::Bool(l != r),
        BinaryOperator::And => J::Bool(l.as_bool()? && r.as_bool()?),
        BinaryOperator::Or => J::Bool(l.as_bool()? || r.as_bool()?),
        BinaryOperator::Less => J::Bool(num(&l)? < num(&r)?),
        BinaryOperator::LessEq => J::Bool(num(&l)? <= num(&r)?),
        BinaryOperator::Greater => J::Bool(num(&l)? > num(&r)?),
        BinaryOperator::GreaterEq => J::Bool(num(&l)? >= num(&r)?),
        BinaryOperator::Plus => number(num(&l)? + num(&r)?)?,
        BinaryOperator::Minus => number(num(&l)? - num(&r)?)?,
        BinaryOperator::Mul => number(num(&l)? * num(&r)?)?,
        BinaryOperator::Div if num(&r)? != 0.0 => number(num(&l)? / num(&r)?)?,
        _ => return None,
    })
}

/// The built-in functions whose result is known when their arguments are.
fn function(name: &str, args: &[Ev]) -> Option<J> {
    if let ("try", Some(Ev { value: Some(v), .. })) = (name, args.first()) {
        return Some(v.clone());
    }
    // How many elements, and which keys, a value with unknown parts has is known.
    if let [a] = args {
        match (name, a.value.as_ref().or(a.partial.as_ref())) {
            ("length", Some(J::Array(x))) => return Some(J::from(x.len())),
            ("length", Some(J::Object(o))) => return Some(J::from(o.len())),
            ("keys", Some(J::Object(o))) => {
                return Some(J::Array(o.keys().cloned().map(J::String).collect()));
            }
            _ => {}
        }
    }
    let vals: Vec<&J> = args
        .iter()
        .map(|a| a.value.as_ref())
        .collect::<Option<_>>()?;
    match (name, vals.as_slice()) {
        ("tolist", [J::Array(a)]) => Some(J::Array(a.clone())),
        ("toset", [J::Array(a)]) => {
            let mut out: Vec<J> = Vec::new();
            for x in a {
                if !out.contains(x) {
                    out.push(x.clone());
                }
            }
            Some(J::Array(out))
        }
        ("tomap", [o @ J::Object(_)]) => Some((*o).clone()),
        ("length", [J::Array(a)]) => Some(J::from(a.len())),
        ("length", [J::Object(o)]) => Some(J::from(o.len())),
        ("length", [J::String(s)]) => Some(J::from(s.chars().count())),
        ("keys", [J::Object(o)]) => Some(J::Array(o.keys().cloned().map(J::String).collect())),
        ("values", [J::Object(o)]) => Some(J::Array(o.values().cloned().collect())),
        ("lookup", [J::Object(o), J::String(k), d]) => {
            Some(o.get(k).cloned().unwrap_or((*d).clone()))
        }
        ("lookup", [J::Object(o), J::String(k)]) => o.get(k).cloned(),
        ("lower", [J::String(s)]) => Some(J::String(s.to_lowercase())),
        ("upper", [J::String(s)]) => Some(J::String(s.to_uppercase())),
        _ => None,
    }
}

/// A traversal: `var.x`, `local.x`, `aws_kms_key.phi.arn`, `data.a.b.c`.
fn traversal(
    root: &Expression,
    ops: &[hcl_edit::Decorated<TraversalOperator>],
    sc: &Scope,
    depth: u32,
) -> Ev {
    let Expression::Variable(v) = root else {
        return Ev::unknown(eval(root, sc, depth + 1).refs);
    };
    let head = v.value().as_str();
    // The name as Terraform's configuration writes it, with literal keys.
    let mut name = head.to_string();
    let mut attrs: Vec<Option<String>> = Vec::new();
    for op in ops {
        match op.value() {
            TraversalOperator::GetAttr(a) => {
                name.push('.');
                name.push_str(a.value().as_str());
                attrs.push(Some(a.value().to_string()));
            }
            TraversalOperator::Index(x) => match eval(x, sc, depth + 1).value {
                Some(J::Number(n)) => {
                    name.push_str(&format!("[{n}]"));
                    attrs.push(Some(n.to_string()));
                }
                Some(J::String(s)) => {
                    name.push_str(&format!("[{}]", J::String(s.clone())));
                    attrs.push(Some(s));
                }
                _ => attrs.push(None),
            },
            TraversalOperator::LegacyIndex(i) => {
                name.push_str(&format!("[{}]", i.value()));
                attrs.push(Some(i.value().to_string()));
            }
            _ => attrs.push(None),
        }
    }
    let lookup = |base: Option<J>, from: usize| -> Option<J> {
        let mut cur = base?;
        for a in &attrs[from..] {
            let a = a.as_ref()?;
            cur = match cur {
                J::Object(mut m) => m.remove(a)?,
                J::Array(mut l) => {
                    let i: usize = a.parse().ok()?;
                    if i < l.len() {
                        l.swap_remove(i)
                    } else {
                        return None;
                    }
                }
                _ => return None,
            };
        }
        Some(cur)
    };
    match head {
        "var" | "local" => {
            let Some(Some(key)) = attrs.first() else {
                return Ev::unknown(vec![]);
            };
            let ev = sc.named(head, key, depth);
            let (base, mut refs) = (ev.value, ev.refs);
            // A variable is named in `references` as a plan names it; a
            // local stands for what it references.
            if head == "var" {
                push_ref(&mut refs, format!("var.{key}"));
            }
            if base.is_none() {
                // A known part of a value with unknown parts.
                return match lookup(ev.partial, 1) {
                    Some(p) if has_unknown(&p) => Ev {
                        value: None,
                        refs,
                        partial: Some(p),
                    },
                    Some(p) => Ev {
                        value: Some(p),
                        refs,
                        partial: None,
                    },
                    None => Ev::unknown(refs),
                };
            }
            Ev {
                value: lookup(base, 1),
                refs,
                partial: None,
            }
        }
        "count" | "each" => {
            let inst = sc.inst.borrow().clone();
            let first = attrs.first().cloned().flatten();
            let value = match (inst, head, first.as_deref()) {
                (Some(Inst::Count(i)), "count", Some("index")) => Some(J::from(i)),
                (Some(Inst::Each(k, _)), "each", Some("key")) => lookup(Some(k), 1),
                (Some(Inst::Each(_, v)), "each", Some("value")) => lookup(Some(v), 1),
                _ => None,
            };
            let cut = name
                .match_indices('.')
                .nth(1)
                .map(|(i, _)| name[..i].to_string());
            Ev {
                value,
                refs: vec![cut.unwrap_or(name)],
                partial: None,
            }
        }
        "path" | "terraform" | "self" => Ev::unknown(vec![name]),
        _ => {
            // A resource (or data source, or module output): known after apply.
            let mut refs = vec![name.clone()];
            let parts = if head == "data" || head == "module" {
                3
            } else {
                2
            };
            if let Some(cut) = name
                .match_indices('.')
                .nth(parts - 1)
                .map(|(i, _)| &name[..i])
            {
                push_ref(&mut refs, cut.to_string());
            }
            Ev::unknown(refs)
        }
    }
}

/// A block body into plan values, `after_unknown` and expressions.
fn body_json(
    body: &Body,
    sc: &Scope,
    depth: u32,
) -> (Map<String, J>, Map<String, J>, Map<String, J>) {
    let mut values = Map::new();
    let mut unknown = Map::new();
    let mut exprs = Map::new();
    if depth > MAX_DEPTH {
        return (values, unknown, exprs);
    }
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.value().to_string();
                if matches!(
                    key.as_str(),
                    "count" | "for_each" | "provider" | "depends_on"
                ) {
                    continue;
                }
                let ev = eval(&a.value, sc, 0);
                match ev.value {
                    Some(v) => {
                        let e = if ev.refs.is_empty() {
                            json!({ "constant_value": v })
                        } else {
                            json!({ "references": ev.refs })
                        };
                        values.insert(key.clone(), v);
                        exprs.insert(key, e);
                    }
                    None => {
                        unknown.insert(key.clone(), J::Bool(true));
                        exprs.insert(key, json!({ "references": ev.refs }));
                    }
                }
            }
            Structure::Block(b) => {
                let ident = b.ident.value().as_str();
                match ident {
                    "lifecycle" | "provisioner" | "connection" | "timeouts" => {}
                    "dynamic" => {
                        // Its blocks are known only after apply.
                        if let Some(l) = b.labels.first() {
                            let k = l.as_str().to_string();
                            values.remove(&k);
                            unknown.insert(k.clone(), J::Bool(true));
                            exprs.insert(k, json!({ "references": [] }));
                        }
                    }
                    _ => {
                        let (v, u, e) = body_json(&b.body, sc, depth + 1);
                        if unknown.get(ident) == Some(&J::Bool(true)) {
                            continue;
                        }
                        let push = |m: &mut Map<String, J>, x: Map<String, J>| {
                            if let J::Array(a) = m
                                .entry(ident.to_string())
                                .or_insert_with(|| J::Array(vec![]))
                            {
                                a.push(J::Object(x));
                            }
                        };
                        push(&mut values, v);
                        push(&mut unknown, u);
                        push(&mut exprs, e);
                    }
                }
            }
        }
    }
    (values, unknown, exprs)
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

type Parsed = [(String, String, Body)];

/// Parses `.tf`, `.tf.json` (as `.tf`) and `.tfvars` files; any syntax
/// error is reported and no module is read.
fn parse_files(files: &[(String, String)]) -> Result<Vec<(String, String, Body)>, Vec<InputError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (label, text) in files {
        let name = label.rsplit('/').next().unwrap_or(label);
        let hcl = if label.to_ascii_lowercase().ends_with(".json") {
            match super::json_source::to_hcl(label, text) {
                Ok(h) => h,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        } else {
            text.clone()
        };
        match hcl_edit::parser::parse_body(&hcl) {
            Ok(b) => out.push((label.clone(), hcl, b)),
            Err(e) => errors.push(InputError {
                file: label.clone(),
                line: e.location().line().max(1) as u32,
                column: e.location().column().max(1) as u32,
                message: format!(
                    "{name} is not valid Terraform (HCL): {}",
                    e.message().lines().next().unwrap_or("syntax error")
                ),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// `a/b/../c` → `a/c`, `./x` → `x`; the path is kept relative or absolute.
pub fn normalize(path: &str) -> String {
    let abs = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (abs, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn join(dir: &str, rel: &str) -> String {
    normalize(&format!("{dir}/{rel}"))
}

/// A local module source (`./x`, `../x`).
fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// The directories of local modules a module's files call (read from
/// there, not as configurations of their own).
pub fn local_calls(dir: &str, files: &[(String, String)]) -> Vec<String> {
    let Ok(parsed) = parse_files(files) else {
        return vec![];
    };
    let mut out = Vec::new();
    for (_, _, body) in &parsed {
        for b in body
            .blocks()
            .filter(|b| b.ident.value().as_str() == "module")
        {
            if let Some(Expression::String(src)) = b.body.get_attribute("source").map(|a| &a.value)
            {
                if is_local(src.value()) {
                    out.push(join(dir, src.value()));
                }
            }
        }
    }
    out
}

/// The `.tf` and `.tf.json` files of a module directory on disk.
fn files_in(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            l.ends_with(".tf") || l.ends_with(".tf.json")
        })
        .collect();
    names.sort();
    for n in names {
        let label = if dir == "." {
            n.clone()
        } else {
            format!("{dir}/{n}")
        };
        if let Ok(t) = std::fs::read_to_string(&label) {
            out.push((label, t));
        }
    }
    out
}

/// Where `terraform init` put the modules of a configuration:
/// `.terraform/modules/modules.json` (`Key` is the call path `a.b`, `Dir`
/// relative to the configuration).
fn installed_modules(root: &str) -> HashMap<String, String> {
    let path = join(root, ".terraform/modules/modules.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return HashMap::new();
    };
    let Ok(j) = serde_json::from_str::<J>(&text) else {
        return HashMap::new();
    };
    j.get("Modules")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let key = m.get("Key")?.as_str()?;
            let dir = m.get("Dir")?.as_str()?;
            (!key.is_empty()).then(|| (key.to_string(), join(root, dir)))
        })
        .collect()
}

/// The instances a `count` or `for_each` makes: their address suffix
/// (`[0]`, `["key"]`) and values; `Err(())` when known only at apply.
fn instances(b: &Block, sc: &Scope) -> Result<Vec<(String, Option<Inst>)>, ()> {
    if let Some(c) = b.body.get_attribute("count") {
        return match eval(&c.value, sc, 0).value {
            Some(J::Number(n)) => match n.as_u64() {
                Some(n) => Ok((0..n)
                    .map(|i| (format!("[{i}]"), Some(Inst::Count(i))))
                    .collect()),
                None => Err(()),
            },
            Some(J::Bool(b)) => Ok(if b {
                vec![("[0]".into(), Some(Inst::Count(0)))]
            } else {
                vec![]
            }),
            _ => Err(()),
        };
    }
    if let Some(f) = b.body.get_attribute("for_each") {
        return match eval(&f.value, sc, 0).value {
            Some(J::Object(o)) => Ok(o
                .into_iter()
                .map(|(k, v)| {
                    (
                        format!("[{}]", J::String(k.clone())),
                        Some(Inst::Each(J::String(k), v)),
                    )
                })
                .collect()),
            Some(J::Array(a)) => {
                let mut keys: Vec<String> = Vec::new();
                for x in a {
                    match x {
                        J::String(s) if !keys.contains(&s) => keys.push(s),
                        J::String(_) => {}
                        _ => return Err(()),
                    }
                }
                keys.sort();
                Ok(keys
                    .into_iter()
                    .map(|k| {
                        (
                            format!("[{}]", J::String(k.clone())),
                            Some(Inst::Each(J::String(k.clone()), J::String(k))),
                        )
                    })
                    .collect())
            }
            _ => Err(()),
        };
    }
    Ok(vec![(String::new(), None)])
}

/// What reading a configuration collects, across its modules.
struct Out {
    changes: Vec<J>,
    src: HashMap<String, (String, Pos)>,
    notes: Vec<String>,
    errors: Vec<InputError>,
    /// `terraform init`'s modules: call path → directory.
    installed: HashMap<String, String>,
    default_tags: Option<J>,
    /// `# phiguard:waive` comments above resource blocks, by address.
    waivers: HashMap<String, Vec<phiguard_model::ResourceWaiver>>,
    waiver_errors: Vec<InputError>,
}

/// One module (the root, or one instance of a call): its planned values
/// (`resources`, `child_modules`) and configuration (`resources`,
/// `module_calls`).
#[allow(clippy::too_many_arguments)]
fn read_tree(
    dir: &str,
    bodies: &Parsed,
    inputs: HashMap<String, Ev>,
    path: &str,
    key: &str,
    depth: u32,
    out: &mut Out,
) -> (J, J) {
    let sc = module_scope(bodies, inputs);
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    let mut planned = Vec::new();
    let mut config = Vec::new();
    let mut children = Vec::new();
    let mut calls = Map::new();
    for (file, text, body) in bodies {
        for b in body.blocks() {
            let at = |b: &Block| {
                b.span()
                    .map(|s| super::offset_pos(text, s.start.min(text.len())))
                    .unwrap_or(Pos { line: 1, col: 1 })
            };
            let ident = b.ident.value().as_str();
            if ident == "module" {
                let Some(name) = label(b, 0) else { continue };
                let child_key = if key.is_empty() {
                    name.to_string()
                } else {
                    format!("{key}.{name}")
                };
                let line = at(b).line;
                let source = match b
                    .body
                    .get_attribute("source")
                    .map(|a| eval(&a.value, &sc, 0).value)
                {
                    Some(Some(J::String(s))) => s,
                    _ => {
                        out.notes.push(format!("{file}:{line}: module \"{name}\" has no literal source: its resources are not judged"));
                        continue;
                    }
                };
                let child_dir = if is_local(&source) {
                    Some(join(dir, &source))
                } else {
                    out.installed.get(&child_key).cloned()
                };
                let files = child_dir.as_deref().map(files_in).unwrap_or_default();
                let (Some(child_dir), false) = (child_dir, files.is_empty()) else {
                    out.notes.push(format!(
                        "{file}:{line}: module \"{name}\" ({source}) is not followed: {}",
                        if is_local(&source) {
                            "its directory has no .tf files".to_string()
                        } else {
                            "it is not installed (run terraform init, which records it in .terraform/modules/modules.json), so its resources are not judged".to_string()
                        }
                    ));
                    continue;
                };
                if depth >= 16 {
                    out.notes.push(format!(
                        "{file}:{line}: module \"{name}\" is nested too deep: not followed"
                    ));
                    continue;
                }
                let parsed = match parse_files(&files) {
                    Ok(p) => p,
                    Err(e) => {
                        out.errors.extend(e);
                        continue;
                    }
                };
                let insts = match instances(b, &sc) {
                    Ok(i) => i,
                    Err(()) => {
                        out.notes.push(format!("{file}:{line}: module \"{name}\": how many instances its count/for_each makes is known only at apply: not followed"));
                        continue;
                    }
                };
                let mut call_exprs = Map::new();
                let mut child_config = json!({});
                for (n, (suffix, inst)) in insts.into_iter().enumerate() {
                    *sc.inst.borrow_mut() = inst;
                    let mut child_inputs = HashMap::new();
                    for a in b.body.attributes() {
                        let k = a.key.value().to_string();
                        if matches!(
                            k.as_str(),
                            "source"
                                | "version"
                                | "count"
                                | "for_each"
                                | "providers"
                                | "depends_on"
                        ) {
                            continue;
                        }
                        let ev = eval(&a.value, &sc, 0);
                        if n == 0 {
                            let e = match (&ev.value, ev.refs.is_empty()) {
                                (Some(v), true) => json!({ "constant_value": v }),
                                _ => json!({ "references": ev.refs }),
                            };
                            call_exprs.insert(k.clone(), e);
                        }
                        child_inputs.insert(
                            k,
                            Ev {
                                value: ev.value,
                                refs: vec![],
                                partial: ev.partial,
                            },
                        );
                    }
                    *sc.inst.borrow_mut() = None;
                    let child_path = format!("{prefix}module.{name}{suffix}");
                    let (pv, cfg) = read_tree(
                        &child_dir,
                        &parsed,
                        child_inputs,
                        &child_path,
                        &child_key,
                        depth + 1,
                        out,
                    );
                    children.push(pv);
                    if n == 0 {
                        child_config = cfg;
                    }
                }
                calls.insert(
                    name.to_string(),
                    json!({"source": source, "expressions": call_exprs, "module": child_config}),
                );
                continue;
            }
            if ident != "resource" {
                continue;
            }
            let (Some(ty), Some(name)) = (label(b, 0), label(b, 1)) else {
                continue;
            };
            // `count = 0` (or an empty for_each) creates nothing; a known
            // count or for_each makes its instances (`b[0]`, `b["key"]`).
            // When how many is known only at apply, the resource is read
            // as one, and what it sets is too: it never makes another
            // resource pass.
            let (insts, certain) = match instances(b, &sc) {
                Ok(i) => (i, true),
                Err(()) => (vec![(String::new(), None)], false),
            };
            let pos = at(b);
            let mut declared = Vec::new();
            for (line, spec) in waiver_comments(text, pos.line) {
                match phiguard_model::parse_waiver(spec) {
                    Ok(w) => declared.push(w),
                    Err(e) => out.waiver_errors.push(InputError {
                        file: file.to_string(),
                        line,
                        column: 1,
                        message: format!("{prefix}{ty}.{name}: {e}"),
                    }),
                }
            }
            let mut first_exprs = None;
            for (suffix, inst) in insts {
                *sc.inst.borrow_mut() = inst;
                let address = format!("{prefix}{ty}.{name}{suffix}");
                let (mut values, mut unknown, exprs) = body_json(&b.body, &sc, 0);
                *sc.inst.borrow_mut() = None;
                if let Some(J::Object(d)) = &out.default_tags {
                    let own = match values.get("tags") {
                        Some(J::Object(t)) => Some(t.clone()),
                        None if !unknown.contains_key("tags") => Some(Map::new()),
                        _ => None,
                    };
                    if let Some(own) = own {
                        let mut all = d.clone();
                        all.extend(own);
                        values.insert("tags_all".into(), J::Object(all));
                    }
                }
                if !certain {
                    for (k, _) in std::mem::take(&mut values) {
                        unknown.insert(k, J::Bool(true));
                    }
                }
                if !declared.is_empty() {
                    out.waivers.insert(address.clone(), declared.clone());
                }
                out.src.insert(address.clone(), (file.to_string(), pos));
                planned.push(json!({
                    "address": address, "mode": "managed", "type": ty, "name": name,
                    "values": values,
                }));
                out.changes.push(json!({
                    "address": address, "mode": "managed", "type": ty, "name": name,
                    "change": {"actions": ["create"], "after": values, "after_unknown": unknown},
                }));
                first_exprs.get_or_insert(exprs);
            }
            if let Some(exprs) = first_exprs {
                config.push(json!({
                    "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
                    "expressions": exprs,
                }));
            }
        }
    }
    let mut pv = json!({"resources": planned, "child_modules": children});
    if !path.is_empty() {
        pv["address"] = J::String(path.to_string());
    }
    (pv, json!({"resources": config, "module_calls": calls}))
}

/// Reads one directory's `.tf` (and `.tf.json`) files as one module into a
/// plan, following its module calls (local sources, and sources `terraform
/// init` installed), with notes on what is not read. Any syntax error: the
/// errors, and no plan (a module read in part could pass what the missing
/// part fails).
pub fn read_module(
    dir: &str,
    files: &[(String, String)],
) -> Result<(Plan, Vec<String>), Vec<InputError>> {
    let is_vars = |l: &str| l.ends_with(".tfvars");
    // Terraform loads terraform.tfvars, then *.auto.tfvars in name order;
    // other variable files are given on the command line: not read.
    let auto = |l: &str| {
        let name = l.rsplit('/').next().unwrap_or(l);
        name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
    };
    let mut files: Vec<(String, String)> = files
        .iter()
        .filter(|(l, _)| !is_vars(l) || auto(l))
        .cloned()
        .collect();
    if !files.iter().any(|(l, _)| !is_vars(l)) {
        return Err(vec![]);
    }
    files.sort_by_key(|(l, _)| (l.ends_with(".auto.tfvars"), l.clone()));
    let parsed = parse_files(&files)?;
    let bodies: &Parsed = &parsed;
    let mut provider = Map::new();
    let mut default_tags: Option<J> = None;
    for (_, _, body) in bodies {
        for b in body.blocks() {
            if b.ident.value().as_str() == "provider"
                && label(b, 0) == Some("aws")
                && provider.is_empty()
                && b.body.get_attribute("alias").is_none()
            {
                // The provider's values are read in the root's scope.
                let sc = module_scope(bodies, HashMap::new());
                let (v, _, e) = body_json(&b.body, &sc, 0);
                provider = e;
                // `default_tags { tags = {...} }`: every resource's tags_all.
                default_tags = v
                    .get("default_tags")
                    .and_then(|d| d.get(0))
                    .and_then(|d| d.get("tags"))
                    .filter(|t| t.is_object())
                    .cloned();
            }
        }
    }
    let mut out = Out {
        changes: Vec::new(),
        src: HashMap::new(),
        notes: Vec::new(),
        errors: Vec::new(),
        installed: installed_modules(dir),
        default_tags,
        waivers: HashMap::new(),
        waiver_errors: Vec::new(),
    };
    let (planned, config) = read_tree(dir, bodies, HashMap::new(), "", "", 0, &mut out);
    if !out.errors.is_empty() {
        return Err(out.errors);
    }
    let root = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": planned},
        "resource_changes": out.changes,
        "configuration": {
            "provider_config": {"aws": {"expressions": provider}},
            "root_module": config,
        },
    });
    let plan = Plan {
        file: dir.to_string(),
        root,
        text: String::new(),
        src: out.src,
        waivers: out.waivers,
        waiver_errors: out.waiver_errors,
    };
    Ok((plan, out.notes))
}

/// A module's variables (defaults, then `terraform.tfvars` and
/// `*.auto.tfvars` at the root, or the values its call passes) and locals.
fn module_scope(bodies: &Parsed, inputs: HashMap<String, Ev>) -> Scope<'_> {
    let mut sc = Scope {
        vars: HashMap::new(),
        locals: HashMap::new(),
        inputs,
        inst: Default::default(),
        done: Default::default(),
    };
    for (_, _, body) in bodies {
        for b in body.blocks() {
            match b.ident.value().as_str() {
                "variable" => {
                    if let Some(n) = label(b, 0) {
                        let default = b.body.get_attribute("default").map(|a| &a.value);
                        sc.vars.insert(n.to_string(), default);
                    }
                }
                "locals" => {
                    for a in b.body.attributes() {
                        sc.locals.insert(a.key.value().to_string(), &a.value);
                    }
                }
                _ => {}
            }
        }
    }
    for (l, _, body) in bodies {
        if l.ends_with(".tfvars") {
            for a in body.attributes() {
                let k = a.key.value().to_string();
                if sc.vars.contains_key(&k) {
                    sc.vars.insert(k, Some(&a.value));
                }
            }
        }
    }
    sc
}

/// The `# phiguard:waive …` (or `// phiguard:waive …`) comments in the run of
/// comment lines right above line `line` (1-based), with their line numbers.
fn waiver_comments(text: &str, line: u32) -> Vec<(u32, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = line.saturating_sub(1) as usize;
    while i > 0 {
        let l = lines.get(i - 1).map(|l| l.trim()).unwrap_or("");
        let body = l
            .strip_prefix('#')
            .or_else(|| l.strip_prefix("//"))
            .map(str::trim);
        let Some(body) = body else { break };
        if let Some(spec) = body.strip_prefix(phiguard_model::WAIVE) {
            if spec.is_empty() || spec.starts_with(char::is_whitespace) {
                out.push((i as u32, spec));
            }
        }
        i -= 1;
    }
    out.reverse();
    out
}

#[cfg(test)]
mod waiver_tests {
    use super::waiver_comments;

    #[test]
    fn comments_right_above_the_block() {
        let text = "# phiguard:waive X owner=a expires=2027-01-01 reason=far\n\n# other\n// phiguard:waive ENC-2 owner=o expires=2027-01-01 reason=r\n# phiguard:waive ENC-3 owner=o expires=2027-01-01 reason=r\nresource \"a\" \"b\" {}\n";
        let w = waiver_comments(text, 6);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].0, 4);
        assert!(w[0].1.trim().starts_with("ENC-2"));
        assert!(w[1].1.trim().starts_with("ENC-3"));
    }
}
