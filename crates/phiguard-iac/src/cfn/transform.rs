//! Template transforms, applied to the parsed template before it is
//! evaluated: `AWS::LanguageExtensions` (`Fn::ForEach`) and the SAM
//! transform are expanded as CloudFormation would; a custom macro or Rain
//! module makes the template a source rather than what deploys, so what is
//! written is judged and the rest is noted, never an input error.

use super::{foreach, sam};
use crate::InputError;
use crate::yaml::{Node, NodeKind, Scalar};

const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";

/// AWS's own transforms, which phiguard either expands or whose additions it
/// does not judge (a CodeDeploy hook, a rotation function).
const AWS_TRANSFORMS: &[&str] = &[
    sam::TRANSFORM,
    LANGUAGE_EXTENSIONS,
    "AWS::CodeDeployBlueGreen",
    "AWS::SecretsManager-2020-07-23",
    "AWS::Include",
];

/// The intrinsic functions CloudFormation evaluates (short-form tags).
const INTRINSIC_TAGS: &[&str] = &[
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "If",
    "Select",
    "Split",
    "FindInMap",
    "ImportValue",
    "Equals",
    "And",
    "Or",
    "Not",
    "Condition",
    "Base64",
    "Cidr",
    "GetAZs",
    "Length",
    "ToJsonString",
    "Transform",
];

/// The names in the template's `Transform` (a name or a list of names).
fn transforms(root: &Node) -> Vec<String> {
    match root.get("Transform").map(|t| &t.kind) {
        Some(NodeKind::Scalar(Scalar::Str(s))) => vec![s.clone()],
        Some(NodeKind::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        // `Transform: {Name: ..., Parameters: ...}`: a macro with parameters.
        Some(NodeKind::Map(_)) => root
            .get("Transform")
            .and_then(|t| t.get("Name"))
            .and_then(|n| n.as_str())
            .map(|n| vec![n.to_string()])
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn section_mut<'n>(root: &'n mut Node, name: &str) -> Option<&'n mut Node> {
    match &mut root.kind {
        NodeKind::Map(e) => e.iter_mut().find(|(k, _, _)| k == name).map(|(_, _, v)| v),
        _ => None,
    }
}

/// Does the template use Rain (`!Rain::Module`, `!Rain::Embed`, ... or a
/// `Modules` section)?
fn uses_rain(n: &Node, depth: u32) -> bool {
    if depth > 64 {
        return false;
    }
    if n.tag.as_deref().is_some_and(|t| t.starts_with("Rain::")) {
        return true;
    }
    match &n.kind {
        NodeKind::Seq(items) => items.iter().any(|i| uses_rain(i, depth + 1)),
        NodeKind::Map(e) => e.iter().any(|(_, _, v)| uses_rain(v, depth + 1)),
        NodeKind::Scalar(_) => false,
    }
}

/// Replaces what only the macro or Rain understands (tags that are not
/// intrinsic functions) by `Fn::Transform`, which is known only at deploy.
fn neutralise(n: &mut Node, depth: u32) {
    if depth > 64 {
        return;
    }
    if let Some(tag) = &n.tag {
        if !INTRINSIC_TAGS.contains(&tag.as_str()) {
            let pos = n.pos;
            let name = Node {
                kind: NodeKind::Scalar(Scalar::Str(tag.clone())),
                tag: None,
                pos,
            };
            *n = Node {
                kind: NodeKind::Map(vec![(
                    "Fn::Transform".into(),
                    pos,
                    Node {
                        kind: NodeKind::Map(vec![("Name".into(), pos, name)]),
                        tag: None,
                        pos,
                    },
                )]),
                tag: None,
                pos,
            };
            return;
        }
    }
    match &mut n.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(|i| neutralise(i, depth + 1)),
        NodeKind::Map(e) => e.iter_mut().for_each(|(_, _, v)| neutralise(v, depth + 1)),
        NodeKind::Scalar(_) => {}
    }
}

/// Resources of a source template that are not resources yet (no plain
/// `Type`: a Rain module, a macro's own syntax): left out, with a note.
fn drop_unresolved(root: &mut Node, file: &str, notes: &mut Vec<String>) {
    let Some(NodeKind::Map(entries)) = section_mut(root, "Resources").map(|r| &mut r.kind) else {
        return;
    };
    entries.retain(|(id, kp, r)| {
        let ok = r.get("Type").and_then(|t| t.as_str()).is_some() || id.starts_with(foreach::PREFIX);
        if !ok {
            notes.push(format!(
                "{file}:{}: {id} is not a resource until the template is processed (a module or macro): not judged",
                kp.line
            ));
        }
        ok
    });
}

fn loop_error(file: &str, (pos, message): foreach::LoopError) -> InputError {
    InputError {
        file: file.to_string(),
        line: pos.line,
        column: pos.col,
        message,
    }
}

/// Applies the template's transforms to `root`; returns the notes (what is
/// not judged, and why). A malformed `Fn::ForEach` is an input error.
pub fn apply(file: &str, root: &mut Node) -> Result<Vec<String>, InputError> {
    let mut notes = Vec::new();
    let names = transforms(root);
    let custom: Vec<&String> = names
        .iter()
        .filter(|n| !AWS_TRANSFORMS.contains(&n.as_str()))
        .collect();
    let rain = root.get("Modules").is_some() || uses_rain(root, 0);
    if !custom.is_empty() || rain {
        let what = if custom.is_empty() {
            "uses Rain modules or directives (rain pkg)".to_string()
        } else {
            format!(
                "uses the macro {} (Transform), which runs when the stack is deployed",
                custom
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        notes.push(format!(
            "{file}: the template {what}: it is a source, not the template that deploys; its resources are judged as written, and what the {} adds or changes is not judged",
            if custom.is_empty() { "modules" } else { "macro" }
        ));
        neutralise(root, 0);
        drop_unresolved(root, file, &mut notes);
    }
    if names.iter().any(|n| n == LANGUAGE_EXTENSIONS) {
        let params = root.get("Parameters").cloned();
        for section in ["Conditions", "Resources", "Outputs"] {
            if let Some(s) = section_mut(root, section) {
                let mut loop_notes = Vec::new();
                foreach::expand_map(s, params.as_ref(), &mut loop_notes, 0)
                    .map_err(|e| loop_error(file, e))?;
                notes.extend(loop_notes.into_iter().map(|n| format!("{file}:{n}")));
            }
        }
    }
    if names.iter().any(|n| n == sam::TRANSFORM) {
        for n in sam::expand(root) {
            if n.starts_with(|c: char| c.is_ascii_digit()) {
                notes.push(format!("{file}:{n}"));
            } else {
                notes.push(format!("{file}: {n}"));
            }
        }
    }
    Ok(notes)
}
