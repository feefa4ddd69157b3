//! A small, deterministic YAML writer for CloudFormation templates: block
//! mappings and sequences, strings quoted whenever a plain scalar could be
//! read as something else.

use serde_json::Value;

/// The document for `v`, ending with a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out += &scalar(other);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Keys in the order a reader of CloudFormation expects; the others follow,
/// alphabetically.
const ORDER: &[&str] = &[
    "Type",
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Resources",
    "Outputs",
    "Version",
    "Sid",
    "Effect",
    "Principal",
    "NotAction",
    "Action",
    "Resource",
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Properties",
];

fn ordered(m: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
    let mut v: Vec<(&String, &Value)> = m.iter().collect();
    v.sort_by(|a, b| (rank(a.0), a.0).cmp(&(rank(b.0), b.0)));
    v
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, n: usize) {
    for (k, v) in ordered(m) {
        indent(out, n);
        out.push_str(&key(k));
        out.push(':');
        write_value_after_key(out, v, n);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, n: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, n + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, n + 2);
        }
        Value::String(s) if is_literal_block(s) => {
            out.push_str(" |\n");
            for line in s.lines() {
                if !line.is_empty() {
                    indent(out, n + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// Multi-line text that a literal block (`|`) keeps exactly: one final
/// newline, no tabs, no trailing spaces, no leading blank or indented first line.
fn is_literal_block(s: &str) -> bool {
    s.contains('\n')
        && s.ends_with('\n')
        && !s.ends_with("\n\n")
        && !s.starts_with([' ', '\n'])
        && !s.contains('\t')
        && !s.contains('\r')
        && s.lines().all(|l| !l.ends_with(' '))
}

fn write_seq(out: &mut String, a: &[Value], n: usize) {
    for v in a {
        indent(out, n);
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => {
                // The first key follows the dash; the others align with it.
                let mut first = true;
                for (k, v) in ordered(m) {
                    if !first {
                        indent(out, n + 2);
                    }
                    first = false;
                    out.push_str(&key(k));
                    out.push(':');
                    write_value_after_key(out, v, n + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.truncate(out.len() - 2);
                out.push_str("-\n");
                write_seq(out, inner, n + 2);
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn key(k: &str) -> String {
    if plain_ok(k) {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if plain_ok(s) {
                s.clone()
            } else {
                quoted(s)
            }
        }
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

fn quoted(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A plain scalar that YAML reads back as this very string.
fn plain_ok(s: &str) -> bool {
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    !s.is_empty()
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c))
        && !s.contains(": ")
        && !s.ends_with(':')
        && s.parse::<f64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_nested_blocks_and_quotes_ambiguous_scalars() {
        let v = json!({
            "A": {"B": [{"C": "x", "D": ["1", "yes", 2, true]}, "plain"], "E": {}},
            "F": "has space",
            "G": "arn:aws:iam::*:root",
            "H": [[1, 2]]
        });
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "A:\n  B:\n    - C: x\n      D:\n        - \"1\"\n        - \"yes\"\n        - 2\n        - true\n    - plain\n  E: {}\nF: \"has space\"\nG: \"arn:aws:iam::*:root\"\nH:\n  -\n    - 1\n    - 2\n"
        );
    }
}
