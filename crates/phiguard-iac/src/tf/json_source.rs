//! Terraform's JSON syntax (`.tf.json`), read as the native syntax it
//! stands for: each block is written out as HCL at the line where the JSON
//! names it, so findings and errors point at the JSON file's lines.
//!
//! JSON cannot tell a nested block from an attribute holding an object:
//! Terraform decides by the provider's schema. Here an object is a block,
//! except for the attributes that hold maps (`tags`, `variables`, ...), and
//! a list of objects is a repeated block; strings are templates
//! (`"${aws_kms_key.phi.arn}"` references the key).

use crate::InputError;
use serde_json::{Map, Value as J};

/// Attributes whose value is a map, not a nested block.
const MAP_ATTRIBUTES: &[&str] = &[
    "tags",
    "tags_all",
    "variables",
    "triggers",
    "parameters",
    "labels",
    "environment_variables",
    "stage_variables",
    "request_parameters",
    "response_parameters",
    "default",
    "locals",
];

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let chars: Vec<char> = s.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if depth == 0 && (c == '$' || c == '%') && next == Some('{') {
            if i > 0 && chars[i - 1] == c {
                // `$${`: an escaped literal, kept as written.
                out.push(c);
                i += 1;
                continue;
            }
            depth = 1;
            out.push(c);
            out.push('{');
            i += 2;
            continue;
        }
        if depth > 0 {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            out.push(c);
        } else {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => out.push(c),
            }
        }
        i += 1;
    }
    out.push('"');
    out
}

/// A value as an HCL expression, on one line.
fn expr(v: &J) -> String {
    match v {
        J::Null => "null".into(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => quote(s),
        J::Array(a) => format!("[{}]", a.iter().map(expr).collect::<Vec<_>>().join(", ")),
        J::Object(o) => format!(
            "{{ {} }}",
            o.iter()
                .filter(|(k, _)| *k != "//")
                .map(|(k, v)| format!("{} = {}", quote(k), expr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A block body: attributes, nested blocks, `dynamic` blocks.
fn body(o: &Map<String, J>, out: &mut String, depth: u32) {
    for (k, v) in o {
        if k == "//" {
            continue;
        }
        let is_ident = k
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !k.is_empty();
        match v {
            _ if !is_ident => {}
            J::Object(d) if k == "dynamic" => {
                for (label, _) in d {
                    out.push_str(&format!("dynamic {} {{\n}}\n", quote(label)));
                }
            }
            J::Object(inner) if !MAP_ATTRIBUTES.contains(&k.as_str()) && depth < 32 => {
                out.push_str(&format!("{k} {{\n"));
                body(inner, out, depth + 1);
                out.push_str("}\n");
            }
            J::Array(items)
                if !items.is_empty()
                    && items.iter().all(J::is_object)
                    && !MAP_ATTRIBUTES.contains(&k.as_str())
                    && depth < 32 =>
            {
                for i in items {
                    if let J::Object(inner) = i {
                        out.push_str(&format!("{k} {{\n"));
                        body(inner, out, depth + 1);
                        out.push_str("}\n");
                    }
                }
            }
            _ => out.push_str(&format!("{k} = {}\n", expr(v))),
        }
    }
}

/// The 1-based line of the first of `needles` found in order, from `from`.
fn line_of(text: &str, needles: &[String]) -> usize {
    let mut at = 0;
    for n in needles {
        match text[at..].find(n.as_str()) {
            Some(i) => at += i + n.len(),
            None => break,
        }
    }
    text[..at].matches('\n').count() + 1
}

fn bodies(v: &J) -> Vec<&Map<String, J>> {
    match v {
        J::Object(o) => vec![o],
        J::Array(a) => a.iter().filter_map(J::as_object).collect(),
        _ => vec![],
    }
}

/// The HCL a `.tf.json` file stands for.
pub fn to_hcl(label: &str, text: &str) -> Result<String, InputError> {
    let name = label.rsplit('/').next().unwrap_or(label);
    let root: J = serde_json::from_str(text).map_err(|e| InputError {
        file: label.to_string(),
        line: e.line().max(1) as u32,
        column: e.column().max(1) as u32,
        message: format!("{name} is not valid Terraform JSON: {e}"),
    })?;
    let Some(top) = root.as_object() else {
        return Err(InputError {
            file: label.to_string(),
            line: 1,
            column: 1,
            message: format!("{name}: a Terraform JSON file is a JSON object"),
        });
    };
    let q = |s: &str| format!("\"{s}\"");
    let mut blocks: Vec<(usize, String)> = Vec::new();
    for (kind, v) in top {
        match kind.as_str() {
            "resource" | "data" => {
                for (ty, named) in v.as_object().into_iter().flatten() {
                    for (n, b) in named.as_object().into_iter().flatten() {
                        for o in bodies(b) {
                            let mut s = format!("{kind} {} {} {{\n", quote(ty), quote(n));
                            body(o, &mut s, 0);
                            s.push_str("}\n");
                            blocks.push((line_of(text, &[q(kind), q(ty), q(n)]), s));
                        }
                    }
                }
            }
            "module" | "variable" | "output" | "provider" => {
                for (n, b) in v.as_object().into_iter().flatten() {
                    for o in bodies(b) {
                        let mut s = format!("{kind} {} {{\n", quote(n));
                        if kind == "variable" || kind == "output" || kind == "module" {
                            // Their attributes hold values, never blocks.
                            for (k, v) in o.iter().filter(|(k, _)| *k != "//") {
                                s.push_str(&format!("{k} = {}\n", expr(v)));
                            }
                        } else {
                            body(o, &mut s, 0);
                        }
                        s.push_str("}\n");
                        blocks.push((line_of(text, &[q(kind), q(n)]), s));
                    }
                }
            }
            "locals" => {
                for o in bodies(v) {
                    let mut s = "locals {\n".to_string();
                    for (k, v) in o.iter().filter(|(k, _)| *k != "//") {
                        s.push_str(&format!("{k} = {}\n", expr(v)));
                    }
                    s.push_str("}\n");
                    blocks.push((line_of(text, &[q(kind)]), s));
                }
            }
            _ => {}
        }
    }
    blocks.sort_by_key(|(l, _)| *l);
    let mut out = String::new();
    let mut line = 1;
    for (at, b) in blocks {
        while line < at {
            out.push('\n');
            line += 1;
        }
        line += b.matches('\n').count();
        out.push_str(&b);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_keep_their_interpolations() {
        assert_eq!(quote("a\"b${x[\"k\"]}"), "\"a\\\"b${x[\"k\"]}\"");
        let h = to_hcl(
            "m.tf.json",
            "{\n \"resource\": {\n  \"aws_s3_bucket\": {\n   \"b\": {\"bucket\": \"x\", \"tags\": {\"Name\": \"y\"}}\n  }\n }\n}\n",
        )
        .unwrap();
        assert!(
            h.starts_with("\n\n\nresource \"aws_s3_bucket\" \"b\" {"),
            "{h}"
        );
        assert!(hcl_edit::parser::parse_body(&h).is_ok(), "{h}");
    }
}
