//! CloudFormation templates (YAML or JSON) into the typed model.
//!
//! All templates of one run form one estate: a `!Ref` stays within its
//! template, and `Fn::ImportValue` reaches the `Export` of another.

pub mod estate;
pub mod eval;
pub mod foreach;
pub mod map;
pub mod policy;
pub mod props;
pub mod sam;
pub mod transform;
pub mod value;

use crate::InputError;
use crate::yaml::{Node, NodeKind, Pos};
use estate::{Estate, EvalRes};
use eval::{Param, Scope};
use phiguard_model::{
    CodeValue, Inventory, Meta, Origin, ResourceWaiver, Rid, SourceKind, Unit, Val,
};
use props::P;
use std::collections::{HashMap, HashSet};
use value::Value;

/// A parsed template, not yet evaluated.
pub struct Template {
    pub file: String,
    pub root: Node,
    /// What its transforms leave unjudged, and why.
    pub notes: Vec<String>,
}

/// Is this document a CloudFormation template? A mapping with
/// `AWSTemplateFormatVersion`, or with `Resources` whose entries have a `Type`
/// like `AWS::S3::Bucket`.
pub fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(res) = root.get("Resources").and_then(|r| r.entries()) else {
        return false;
    };
    res.iter().any(|(_, _, r)| {
        r.get("Type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.contains("::"))
    })
}

fn err(file: &str, pos: Pos, message: impl Into<String>) -> InputError {
    InputError {
        file: file.to_string(),
        line: pos.line,
        column: pos.col,
        message: message.into(),
    }
}

struct Prepared<'t> {
    t: &'t Template,
    unit: u32,
    params: HashMap<String, Param>,
    resources: HashMap<String, Rid>,
    skipped: HashSet<String>,
}

/// Reads the template-level `Metadata.Phiguard` block: where the template deploys.
fn unit_for(t: &Template) -> Unit {
    let meta = t.root.get("Metadata").and_then(|m| m.get("Phiguard"));
    let field = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let unknown = "the account a template deploys to is not known from the code (set Metadata.Phiguard.Account)";
    Unit {
        name: t.file.clone(),
        source: SourceKind::CloudFormation,
        account: field("Account").map(Val::Known).unwrap_or(Val::unknown(unknown)),
        region: field("Region")
            .map(Val::Known)
            .unwrap_or(Val::unknown("the region a template deploys to is not known from the code (set Metadata.Phiguard.Region)")),
        account_role: match field("AccountRole") {
            Some(r) => Val::Known(Some(r)),
            None => Val::unknown(
                "the account a template deploys to is not known from the code (set Metadata.Phiguard.AccountRole)",
            ),
        },
    }
}

fn params_of(t: &Template, errors: &mut Vec<InputError>) -> HashMap<String, Param> {
    let mut out = HashMap::new();
    let Some(params) = t.root.get("Parameters") else {
        return out;
    };
    let Some(entries) = params.entries() else {
        errors.push(err(&t.file, params.pos, "Parameters must be a mapping"));
        return out;
    };
    for (name, kp, p) in entries {
        if p.entries().is_none() {
            errors.push(err(
                &t.file,
                *kp,
                format!("parameter {name} must be a mapping"),
            ));
            continue;
        }
        let ptype = p
            .get("Type")
            .and_then(|t| t.as_str())
            .unwrap_or("String")
            .to_string();
        let no_echo = match p.get("NoEcho").map(|n| &n.kind) {
            Some(NodeKind::Scalar(crate::yaml::Scalar::Bool(b))) => *b,
            Some(NodeKind::Scalar(crate::yaml::Scalar::Str(s))) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        out.insert(
            name.clone(),
            Param {
                ptype,
                default: p.get("Default").cloned(),
                no_echo,
                pos: *kp,
            },
        );
    }
    out
}

/// Waivers declared on a resource:
///
/// ```yaml
/// Metadata:
///   Phiguard:
///     Waivers:
///       - Rule: ENC-2
///         Owner: platform-team
///         Reason: migrating to the PHI key, SEC-142
///         Expires: "2027-03-31"
/// ```
fn waivers_of(resource: &Node) -> Result<Vec<ResourceWaiver>, (Pos, String)> {
    let Some(list) = resource
        .get("Metadata")
        .and_then(|m| m.get("Phiguard"))
        .and_then(|p| p.get("Waivers"))
    else {
        return Ok(vec![]);
    };
    let NodeKind::Seq(items) = &list.kind else {
        return Err((list.pos, "Metadata.Phiguard.Waivers must be a list".into()));
    };
    let mut out = Vec::new();
    for w in items {
        let field = |k: &str| -> Result<String, (Pos, String)> {
            match w.get(k).and_then(|v| v.as_str()) {
                Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
                _ => Err((
                    w.pos,
                    format!("a waiver needs {k} (Rule, Owner, Reason, Expires)"),
                )),
            }
        };
        let expires = field("Expires")?;
        let b = expires.as_bytes();
        let is_date = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !is_date {
            return Err((
                w.pos,
                format!("a waiver's Expires must be a date YYYY-MM-DD, found {expires:?}"),
            ));
        }
        out.push(ResourceWaiver {
            rule: field("Rule")?,
            owner: field("Owner")?,
            reason: field("Reason")?,
            expires,
        });
    }
    Ok(out)
}

/// Evaluates the templates into `inv`; returns the input errors found. A
/// template with a broken structure is left out whole; a resource that cannot
/// be read is left out alone; the rest is judged.
pub fn build(templates: &[Template], inv: &mut Inventory) -> Vec<InputError> {
    build_world(templates, inv, World::Created).0
}

/// Resources whose `Condition` cannot be decided before deploy exist in one
/// world and not in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    /// They are created.
    Created,
    /// They are not.
    NotCreated,
}

/// Builds one world; also returns the resources whose condition is undecided
/// (`file: logical id (condition)`).
pub fn build_world(
    templates: &[Template],
    inv: &mut Inventory,
    world: World,
) -> (Vec<InputError>, Vec<String>) {
    let mut undecided = Vec::new();
    let errors = build_inner(templates, inv, world, &mut undecided);
    (errors, undecided)
}

fn build_inner(
    templates: &[Template],
    inv: &mut Inventory,
    world: World,
    undecided: &mut Vec<String>,
) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut prepared = Vec::new();

    // 1. Units, parameters, conditions and reference cycles, each template
    // on its own (on every core); then a rid for every resource that is
    // created, in the order of the templates.
    let staged = crate::in_parallel(templates, |t| stage_one(t, world));
    for (t, st) in templates.iter().zip(staged) {
        let StageOne {
            unit,
            params,
            created,
            mut resources,
            skipped,
            undecided: und,
            errors: errs,
        } = st;
        errors.extend(errs);
        undecided.extend(und);
        let Some(unit_def) = unit else {
            continue;
        };
        let unit = inv.units.len() as u32;
        inv.units.push(unit_def);
        // The template's resources take the next rids, in document order.
        let first = inv.add_metas(created, unit);
        for rid in resources.values_mut() {
            rid.0 += first.0;
        }
        let p = Prepared {
            t,
            unit,
            params,
            resources,
            skipped,
        };
        // Parameters are where code may hold a credential (SEC-5).
        let mut names: Vec<_> = p.params.iter().collect();
        names.sort_by_key(|(_, prm)| prm.pos);
        for (name, prm) in names {
            let origin = Origin::Template {
                file: t.file.clone(),
                logical_id: name.clone(),
                line: prm.pos.line,
                column: prm.pos.col,
            };
            let rid = inv.add_meta("AWS::CloudFormation::Parameter", name.clone(), origin, unit);
            let literal = prm
                .default
                .as_ref()
                .and_then(|d| d.as_str())
                .map(str::to_string);
            inv.code_values.push(CodeValue {
                rid,
                place: "Parameter".into(),
                name: name.clone(),
                literal,
                no_echo: Some(prm.no_echo),
            });
        }
        prepared.push(p);
    }
    // 2. Exports, across the estate.
    // Each template's exports are evaluated on its own (on every core), and
    // joined in the order of the templates.
    let names: &[phiguard_model::Meta] = inv.metas();
    let mut exports: HashMap<String, Value> = HashMap::new();
    let mut candidates: HashMap<String, Vec<(u32, Value)>> = HashMap::new();
    let no_exports = HashMap::new();
    let per_template = crate::in_parallel(&prepared, |p| {
        let mut found = Vec::new();
        let Some(outputs) = p.t.root.get("Outputs").and_then(|o| o.entries()) else {
            return (found, Vec::new());
        };
        let scope = scope_for(p, &no_exports, names);
        for (_, _, o) in outputs {
            let Some(export) = o.get("Export").and_then(|e| e.get("Name")) else {
                continue;
            };
            let (Ok(Value::Str(name)), Some(v)) = (scope.eval(export), o.get("Value")) else {
                continue;
            };
            if let Ok(v) = scope.eval(v) {
                found.push((name, v));
            }
        }
        (found, scope.guard.take())
    });
    for (p, (found, cycles)) in prepared.iter().zip(per_template) {
        for (name, v) in found {
            candidates.entry(name).or_default().push((p.unit, v));
        }
        add_cycles(&mut errors, &p.t.file, cycles);
    }
    errors.extend(import_cycles(&prepared));
    // An export name is unique within an account and region: where several
    // templates export one name, an import takes the one deployed in the
    // importer's account and region, when the templates say where.
    let mut ambiguous: Vec<(String, Vec<(u32, Value)>)> = Vec::new();
    for (name, mut c) in candidates {
        if c.len() == 1 {
            exports.insert(name, c.remove(0).1);
        } else {
            exports.insert(
                name.clone(),
                Value::Unknown(format!(
                    "several templates export {name}, and where they deploy is not known"
                )),
            );
            ambiguous.push((name, c));
        }
    }

    // 3. Properties, evaluated: each template on its own (on every core),
    // joined in the order of the templates.
    let inv_ro: &Inventory = inv;
    let per_template = crate::in_parallel(&prepared, |p| {
        let mut errs: Vec<InputError> = Vec::new();
        let mut evald = Vec::new();
        let inv = inv_ro;
        let local;
        let exports_here = if ambiguous.is_empty() {
            &exports
        } else {
            let place = |u: u32| {
                let unit = &inv.units[u as usize];
                match (&unit.account, &unit.region) {
                    (Val::Known(a), Val::Known(r)) => Some((a.clone(), r.clone())),
                    _ => None,
                }
            };
            let mut l = exports.clone();
            if let Some(here) = place(p.unit) {
                for (name, c) in &ambiguous {
                    let same: Vec<&Value> = c
                        .iter()
                        .filter(|(u, _)| place(*u).as_ref() == Some(&here))
                        .map(|(_, v)| v)
                        .collect();
                    if let [v] = same.as_slice() {
                        l.insert(name.clone(), (*v).clone());
                    }
                }
            }
            local = l;
            &local
        };
        let scope = scope_for(p, exports_here, names);
        // Tags are read here, on every core, for the model's metadata: they
        // name no other resource, so no estate is needed to read them.
        let no_estate = Estate::default();
        for (id, kp, r) in
            p.t.root
                .get("Resources")
                .and_then(|r| r.entries())
                .unwrap_or(&[])
        {
            let Some(rid) = p.resources.get(id).copied() else {
                continue;
            };
            let ty = inv.meta(rid).kind.clone();
            let props_node = r.get("Properties");
            let props = match props_node {
                None => None,
                Some(n) if n.entries().is_none() && n.tag.is_none() => {
                    errs.push(err(
                        &p.t.file,
                        n.pos,
                        format!(
                            "resource {id}: Properties must be a mapping, found {}",
                            n.type_name()
                        ),
                    ));
                    continue;
                }
                Some(n) => match scope.eval(n) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        errs.push(err(
                            &p.t.file,
                            e.pos,
                            format!("resource {id}: {}", e.message),
                        ));
                        continue;
                    }
                },
            };
            let tags = P::root(props.as_ref(), props_node, *kp, &no_estate)
                .get("Tags")
                .tags();
            evald.push((
                tags,
                EvalRes {
                    rid,
                    ty,
                    logical_id: id.clone(),
                    pos: *kp,
                    unit: p.unit,
                    props,
                    node: props_node,
                    file: p.t.file.clone(),
                },
            ));
        }
        let cycles: Vec<InputError> = scope
            .guard
            .take()
            .into_iter()
            .map(|e| err(&p.t.file, e.pos, e.message))
            .collect();
        (errs, evald, cycles)
    });
    let mut evaluated = Vec::new();
    for (errs, evald, cycles) in per_template {
        errors.extend(errs);
        for e in cycles {
            // A cycle already told (by step 1) is reported once.
            if !errors
                .iter()
                .any(|x| x.file == e.file && x.message == e.message)
            {
                errors.push(e);
            }
        }
        for (tags, r) in evald {
            inv.meta_mut(r.rid).tags = tags;
            evaluated.push(r);
        }
    }

    // 4. The typed model.
    let est = Estate::new(evaluated);
    errors.extend(map::map_all(inv, &est));
    // The evaluated properties were made on the worker threads: they are
    // freed on a thread of their own, not one by one here.
    let owned: Vec<_> = est
        .resources
        .into_iter()
        .map(|r| (r.props, r.ty, r.logical_id, r.file))
        .collect();
    // So are the templates' parameters and names of resources.
    let scopes: Vec<_> = prepared
        .into_iter()
        .map(|p| (p.params, p.resources, p.skipped))
        .collect();
    crate::free_in_background((owned, scopes));
    errors
}

/// What step 1 finds in one template, before rids are given.
struct StageOne {
    /// `None` when the template's `Resources` is missing or broken: it is left out whole.
    unit: Option<Unit>,
    params: HashMap<String, Param>,
    /// The metadata of each resource that is created, in document order
    /// (rids are given on one thread, in the order of the templates).
    created: Vec<Meta>,
    /// Logical id → position in `created` (a rid once the first rid of the
    /// template is added).
    resources: HashMap<String, Rid>,
    skipped: HashSet<String>,
    undecided: Vec<String>,
    errors: Vec<InputError>,
}

/// Step 1 of one template: its unit, parameters, the resources its
/// conditions create, and its reference cycles.
fn stage_one(t: &Template, world: World) -> StageOne {
    let mut out = StageOne {
        unit: None,
        params: HashMap::new(),
        created: Vec::new(),
        resources: HashMap::new(),
        skipped: HashSet::new(),
        undecided: Vec::new(),
        errors: Vec::new(),
    };
    let errors = &mut out.errors;
    let resources_node = match t.root.get("Resources") {
        Some(r) if r.entries().is_some() => r,
        Some(r) => {
            errors.push(err(
                &t.file,
                r.pos,
                format!("Resources must be a mapping, found {}", r.type_name()),
            ));
            return out;
        }
        None => {
            errors.push(err(&t.file, t.root.pos, "the template has no Resources"));
            return out;
        }
    };
    let unit = unit_for(t);
    let params = params_of(t, errors);
    let (empty_res, empty_exp) = (HashMap::new(), HashMap::new());
    let scope = Scope {
        params: &params,
        mappings: t.root.get("Mappings"),
        conditions: t.root.get("Conditions"),
        resources: &empty_res,
        exports: &empty_exp,
        names: &[],
        skipped: None,
        cond_cache: Default::default(),
        guard: Default::default(),
    };
    let mut created = Vec::new();
    for (id, kp, r) in resources_node.entries().unwrap_or(&[]) {
        let Some(ty) = r.get("Type").and_then(|t| t.as_str()) else {
            let msg = if id.starts_with("Fn::ForEach::") {
                // A loop in a template that does not declare the
                // transform that expands it: CloudFormation refuses it.
                format!(
                    "{id}: Fn::ForEach needs `Transform: AWS::LanguageExtensions` in the template"
                )
            } else {
                format!("resource {id} has no Type")
            };
            errors.push(err(&t.file, *kp, msg));
            continue;
        };
        if let Some(c) = r.get("Condition") {
            let Some(name) = c.as_str() else {
                errors.push(err(
                    &t.file,
                    c.pos,
                    format!("resource {id}: Condition must be a condition name"),
                ));
                continue;
            };
            match scope.condition(name, c.pos) {
                Ok(Some(false)) => {
                    out.skipped.insert(id.clone());
                    continue;
                }
                Ok(Some(true)) => {}
                Ok(None) => {
                    out.undecided.push(format!("{id} (condition {name})"));
                    if world == World::NotCreated {
                        out.skipped.insert(id.clone());
                        continue;
                    }
                }
                Err(e) => {
                    errors.push(err(&t.file, e.pos, e.message));
                    continue;
                }
            }
        }
        created.push((id.clone(), *kp, ty.to_string()));
    }
    // Reference cycles among parameters, mappings and conditions, and
    // between resources (Ref, GetAtt, Sub, DependsOn): input errors at
    // their position; what they touch is unknown, the rest is judged.
    scope.find_cycles();
    add_cycles(errors, &t.file, scope.guard.take());
    let ids: HashSet<&str> = created.iter().map(|(id, _, _)| id.as_str()).collect();
    errors.extend(resource_cycles(&t.file, resources_node, &ids));
    out.created.reserve(created.len());
    for (i, (id, kp, ty)) in created.into_iter().enumerate() {
        let origin = Origin::Template {
            file: t.file.clone(),
            logical_id: id.clone(),
            line: kp.line,
            column: kp.col,
        };
        let mut meta = Meta::new(ty, id.clone(), origin, Some(&unit));
        match resources_node.get(&id).map(waivers_of) {
            Some(Ok(w)) => meta.waivers = w,
            Some(Err((pos, msg))) => {
                errors.push(err(&t.file, pos, format!("resource {id}: {msg}")))
            }
            None => {}
        }
        out.created.push(meta);
        out.resources.insert(id, Rid(i as u32));
    }
    drop(scope);
    out.unit = Some(unit);
    out.params = params;
    out
}

fn scope_for<'a>(
    p: &'a Prepared,
    exports: &'a HashMap<String, Value>,
    names: &'a [phiguard_model::Meta],
) -> Scope<'a> {
    Scope {
        params: &p.params,
        mappings: p.t.root.get("Mappings"),
        conditions: p.t.root.get("Conditions"),
        resources: &p.resources,
        exports,
        names,
        skipped: Some(&p.skipped),
        cond_cache: Default::default(),
        guard: Default::default(),
    }
}

/// Adds the reference cycles `scope` found, each once.
fn add_cycles(errors: &mut Vec<InputError>, file: &str, cycles: Vec<eval::EvalError>) {
    for e in cycles {
        let e = err(file, e.pos, e.message);
        if !errors
            .iter()
            .any(|x| x.file == e.file && x.message == e.message)
        {
            errors.push(e);
        }
    }
}

/// At most this many cycles are reported per template (or estate, for imports).
const MAX_CYCLES: usize = 10;

/// The names an intrinsic in `n` refers to, with where: `Ref`, `Fn::GetAtt`,
/// the `${...}` of `Fn::Sub` (the part before a dot), `Fn::ImportValue` of a
/// literal name (with `imports` set).
fn references(n: &Node, imports: bool, out: &mut Vec<(String, Pos)>) {
    let tag = n
        .tag
        .as_deref()
        .map(|t| t.strip_prefix("Fn::").unwrap_or(t));
    if let Some(tag) = tag {
        fn_references(tag, n, n.pos, imports, out);
    }
    match &n.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Seq(items) => {
            for i in items {
                references(i, imports, out);
            }
        }
        NodeKind::Map(entries) => {
            for (k, kp, v) in entries {
                if entries.len() == 1 {
                    let name = k.strip_prefix("Fn::").unwrap_or(k);
                    fn_references(name, v, *kp, imports, out);
                }
                references(v, imports, out);
            }
        }
    }
}

/// A string scalar's text, tagged or not (the argument of `!Ref X` is the
/// tagged node itself).
fn text(n: &Node) -> Option<&str> {
    match &n.kind {
        NodeKind::Scalar(crate::yaml::Scalar::Str(s)) => Some(s),
        _ => None,
    }
}

fn fn_references(name: &str, arg: &Node, at: Pos, imports: bool, out: &mut Vec<(String, Pos)>) {
    match (name, &arg.kind) {
        ("Ref", _) if !imports => {
            if let Some(t) = text(arg) {
                out.push((t.to_string(), at));
            }
        }
        ("GetAtt", NodeKind::Scalar(_)) if !imports => {
            if let Some(t) = text(arg) {
                out.push((t.split('.').next().unwrap_or(t).to_string(), at));
            }
        }
        ("GetAtt", NodeKind::Seq(items)) if !imports => {
            if let Some(t) = items.first().and_then(text) {
                out.push((t.to_string(), at));
            }
        }
        ("Sub", _) if !imports => {
            let (text, vars) = match &arg.kind {
                NodeKind::Seq(items) => (items.first().and_then(text), items.get(1)),
                _ => (text(arg), None),
            };
            let mut rest = text.unwrap_or("");
            while let Some(i) = rest.find("${") {
                let after = &rest[i + 2..];
                let Some(end) = after.find('}') else { break };
                let var = after[..end].trim();
                rest = &after[end + 1..];
                if var.starts_with('!') || vars.and_then(|v| v.get(var)).is_some() {
                    continue;
                }
                out.push((var.split('.').next().unwrap_or(var).to_string(), at));
            }
        }
        ("ImportValue", _) if imports => {
            if let Some(t) = text(arg) {
                out.push((t.to_string(), at));
            }
        }
        _ => {}
    }
}

/// Cycles in a directed graph given as edges `from → (to, where)`, found by
/// an iterative depth-first search (no recursion: the graph may be large).
/// Each cycle comes as its nodes in order and where its last edge is.
fn cycles(
    nodes: &[String],
    edges: &HashMap<String, Vec<(String, Pos)>>,
) -> Vec<(Vec<String>, Pos)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark: HashMap<&str, Mark> = nodes.iter().map(|n| (n.as_str(), Mark::New)).collect();
    let mut found = Vec::new();
    for start in nodes {
        if mark[start.as_str()] != Mark::New {
            continue;
        }
        // The path being explored, each node with the index of its next edge.
        let mut path: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        mark.insert(start.as_str(), Mark::Open);
        while let Some((node, next)) = path.last_mut() {
            let out = edges.get(*node).map(Vec::as_slice).unwrap_or(&[]);
            let Some((to, pos)) = out.get(*next) else {
                mark.insert(node, Mark::Done);
                path.pop();
                continue;
            };
            *next += 1;
            match mark.get(to.as_str()) {
                Some(Mark::New) => {
                    mark.insert(to.as_str(), Mark::Open);
                    path.push((to.as_str(), 0));
                }
                Some(Mark::Open) if found.len() < MAX_CYCLES => {
                    let i = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    let mut chain: Vec<String> =
                        path[i..].iter().map(|(n, _)| n.to_string()).collect();
                    chain.push(to.clone());
                    found.push((chain, *pos));
                }
                _ => {}
            }
        }
    }
    found
}

/// Resources that depend on themselves through `Ref`, `Fn::GetAtt`,
/// `Fn::Sub` or `DependsOn`: CloudFormation refuses such a template
/// ("Circular dependency between resources").
fn resource_cycles(file: &str, resources: &Node, created: &HashSet<&str>) -> Vec<InputError> {
    let mut nodes = Vec::new();
    let mut edges: HashMap<String, Vec<(String, Pos)>> = HashMap::new();
    for (id, _, r) in resources.entries().unwrap_or(&[]) {
        if !created.contains(id.as_str()) {
            continue;
        }
        let mut refs = Vec::new();
        if let Some(p) = r.get("Properties") {
            references(p, false, &mut refs);
        }
        match r.get("DependsOn").map(|d| (&d.kind, d)) {
            Some((NodeKind::Seq(items), _)) => {
                for i in items {
                    if let Some(t) = i.as_str() {
                        refs.push((t.to_string(), i.pos));
                    }
                }
            }
            Some((_, d)) => {
                if let Some(t) = d.as_str() {
                    refs.push((t.to_string(), d.pos));
                }
            }
            None => {}
        }
        refs.retain(|(t, _)| created.contains(t.as_str()));
        nodes.push(id.clone());
        edges.insert(id.clone(), refs);
    }
    cycles(&nodes, &edges)
        .into_iter()
        .map(|(chain, pos)| {
            err(
                file,
                pos,
                format!(
                    "circular dependency between resources: {} (through Ref, GetAtt, Sub or DependsOn); CloudFormation refuses to create it",
                    chain.join(" → ")
                ),
            )
        })
        .collect()
}

/// Exports whose value imports, directly or not, the export itself: no
/// order of deploys can create them.
fn import_cycles(prepared: &[Prepared]) -> Vec<InputError> {
    let mut nodes = Vec::new();
    let mut edges: HashMap<String, Vec<(String, Pos)>> = HashMap::new();
    let mut at: HashMap<String, (String, Pos)> = HashMap::new();
    for p in prepared {
        for (_, _, o) in
            p.t.root
                .get("Outputs")
                .and_then(Node::entries)
                .unwrap_or(&[])
        {
            let Some(name) = o
                .get("Export")
                .and_then(|e| e.get("Name"))
                .and_then(Node::as_str)
            else {
                continue;
            };
            let mut refs = Vec::new();
            if let Some(v) = o.get("Value") {
                references(v, true, &mut refs);
            }
            if !edges.contains_key(name) {
                nodes.push(name.to_string());
                at.insert(name.to_string(), (p.t.file.clone(), o.pos));
            }
            edges
                .entry(name.to_string())
                .or_default()
                .extend(refs.into_iter().map(|(t, _)| (t, o.pos)));
        }
    }
    cycles(&nodes, &edges)
        .into_iter()
        .map(|(chain, _)| {
            let (file, pos) = at[chain.last().map(String::as_str).unwrap_or("")].clone();
            err(
                &file,
                pos,
                format!(
                    "export {} imports itself: {} (Fn::ImportValue); no order of deploys can create it",
                    chain[0],
                    chain.join(" → ")
                ),
            )
        })
        .collect()
}
