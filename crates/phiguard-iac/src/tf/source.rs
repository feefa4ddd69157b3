//! Terraform source (`.tf` files), read before any plan exists.
//!
//! The `.tf` files of one directory are one module. Its resources are
//! written into the JSON shape of a plan (`planned_values`,
//! `resource_changes` with `after_unknown`, `configuration` with
//! `constant_value` or `references`), so the plan reader and every Terraform
//! mapper judge source as they judge plans. Literals, variables with a
//! default and locals are resolved; a reference to another resource links to
//! it; anything else (variables without a default, data sources, function
//! calls, `count.index`, dynamic blocks) is known only after apply, never a
//! pass. Module calls are not followed.

use super::Plan;
use crate::InputError;
use crate::yaml::Pos;
use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
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
}

impl Ev {
    fn known(v: J) -> Ev {
        Ev {
            value: Some(v),
            refs: vec![],
        }
    }
    fn unknown(refs: Vec<String>) -> Ev {
        Ev { value: None, refs }
    }
}

struct Scope<'b> {
    vars: HashMap<String, Option<&'b Expression>>,
    locals: HashMap<String, &'b Expression>,
    /// Locals evaluated (each once), and `None` while being evaluated: a
    /// local that refers to itself is unknown.
    done: std::cell::RefCell<HashMap<String, Option<Ev>>>,
}

impl Scope<'_> {
    /// `var.x` (its default) or `local.x`, evaluated once.
    fn named(&self, head: &str, key: &str, depth: u32) -> Ev {
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
                    None => known = false,
                }
            }
            Ev {
                value: known.then_some(J::Array(items)),
                refs,
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
                    _ => known = false,
                }
            }
            Ev {
                value: known.then_some(J::Object(m)),
                refs,
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
                    }
                }
                _ => Ev::unknown(refs),
            }
        }
        Expression::Variable(_) => Ev::unknown(vec![]),
        Expression::Conditional(c) => {
            let mut refs = Vec::new();
            for x in [&c.cond_expr, &c.true_expr, &c.false_expr] {
                for r in eval(x, sc, depth + 1).refs {
                    push_ref(&mut refs, r);
                }
            }
            Ev::unknown(refs)
        }
        Expression::UnaryOp(_) | Expression::BinaryOp(_) | Expression::ForExpr(_) => {
            Ev::unknown(vec![])
        }
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
            Ev {
                value: lookup(base, 1),
                refs,
            }
        }
        "count" | "each" | "path" | "terraform" | "self" => Ev::unknown(vec![name]),
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

/// Reads one directory's `.tf` files (`(label, text)`) as one module into a
/// plan, with notes on what is not read (module calls). Any syntax error:
/// the errors, and no plan (a module read in part could pass what the
/// missing part fails).
pub fn read_module(
    dir: &str,
    files: &[(String, String)],
) -> Result<(Plan, Vec<String>), Vec<InputError>> {
    let mut bodies = Vec::new();
    let mut errors = Vec::new();
    let is_vars = |l: &str| l.ends_with(".tfvars");
    // Terraform loads terraform.tfvars, then *.auto.tfvars in name order;
    // other variable files are given on the command line: not read.
    let auto = |l: &str| {
        let name = l.rsplit('/').next().unwrap_or(l);
        name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
    };
    let mut files: Vec<&(String, String)> = files
        .iter()
        .filter(|(l, _)| !is_vars(l) || auto(l))
        .collect();
    if !files.iter().any(|(l, _)| !is_vars(l)) {
        return Err(vec![]);
    }
    files.sort_by_key(|(l, _)| (l.ends_with(".auto.tfvars"), l.clone()));
    for (label, text) in files {
        match hcl_edit::parser::parse_body(text) {
            Ok(b) => bodies.push((label.as_str(), text.as_str(), b)),
            Err(e) => {
                let name = label.rsplit('/').next().unwrap_or(label);
                errors.push(InputError {
                    file: label.clone(),
                    line: e.location().line().max(1) as u32,
                    column: e.location().column().max(1) as u32,
                    message: format!(
                        "{name} is not valid Terraform (HCL): {}",
                        e.message().lines().next().unwrap_or("syntax error")
                    ),
                })
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut sc = Scope {
        vars: HashMap::new(),
        locals: HashMap::new(),
        done: Default::default(),
    };
    for (_, _, body) in &bodies {
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
    for (label, _, body) in &bodies {
        if is_vars(label) {
            for a in body.attributes() {
                let k = a.key.value().to_string();
                if sc.vars.contains_key(&k) {
                    sc.vars.insert(k, Some(&a.value));
                }
            }
        }
    }
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut config = Vec::new();
    let mut provider = Map::new();
    let mut default_tags: Option<J> = None;
    for (_, _, body) in &bodies {
        for b in body.blocks() {
            if b.ident.value().as_str() == "provider"
                && label(b, 0) == Some("aws")
                && provider.is_empty()
                && b.body.get_attribute("alias").is_none()
            {
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
    let mut src = HashMap::new();
    let mut waivers = HashMap::new();
    let mut waiver_errors = Vec::new();
    let mut notes = Vec::new();
    for (file, text, body) in &bodies {
        for b in body.blocks() {
            let at = |b: &Block| {
                b.span()
                    .map(|s| super::offset_pos(text, s.start.min(text.len())))
                    .unwrap_or(Pos { line: 1, col: 1 })
            };
            if b.ident.value().as_str() == "module" {
                notes.push(format!(
                    "{file}:{}: module \"{}\" is not followed: its resources are not judged (judge a plan of the configuration for them)",
                    at(b).line,
                    label(b, 0).unwrap_or("")
                ));
            }
            if b.ident.value().as_str() != "resource" {
                continue;
            }
            let (Some(ty), Some(name)) = (label(b, 0), label(b, 1)) else {
                continue;
            };
            // `count = 0` (or an empty for_each) creates nothing;
            // another count or for_each is read as one resource.
            // When whether it exists is known only at apply, what
            // it sets is too: it never makes another resource pass.
            let (mut certain, mut none) = (true, false);
            for meta in ["count", "for_each"] {
                if let Some(c) = b.body.get_attribute(meta) {
                    match eval(&c.value, &sc, 0).value {
                        Some(J::Number(n)) => none |= n.as_f64() == Some(0.0),
                        Some(J::Array(a)) => none |= a.is_empty(),
                        Some(J::Object(o)) => none |= o.is_empty(),
                        _ => certain = false,
                    }
                }
            }
            if none {
                continue;
            }
            let address = format!("{ty}.{name}");
            let (mut values, mut unknown, exprs) = body_json(&b.body, &sc, 0);
            if let Some(J::Object(d)) = &default_tags {
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
            let pos = at(b);
            let mut declared = Vec::new();
            for (line, spec) in waiver_comments(text, pos.line) {
                match phiguard_model::parse_waiver(spec) {
                    Ok(w) => declared.push(w),
                    Err(e) => waiver_errors.push(InputError {
                        file: file.to_string(),
                        line,
                        column: 1,
                        message: format!("{address}: {e}"),
                    }),
                }
            }
            if !declared.is_empty() {
                waivers.insert(address.clone(), declared);
            }
            src.insert(address.clone(), (file.to_string(), pos));
            planned.push(json!({
                "address": address, "mode": "managed", "type": ty, "name": name,
                "values": values,
            }));
            changes.push(json!({
                "address": address, "mode": "managed", "type": ty, "name": name,
                "change": {"actions": ["create"], "after": values, "after_unknown": unknown},
            }));
            config.push(json!({
                "address": address, "mode": "managed", "type": ty, "name": name,
                "expressions": exprs,
            }));
        }
    }
    let root = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"expressions": provider}},
            "root_module": {"resources": config},
        },
    });
    let plan = Plan {
        file: dir.to_string(),
        root,
        text: String::new(),
        src,
        waivers,
        waiver_errors,
    };
    Ok((plan, notes))
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
