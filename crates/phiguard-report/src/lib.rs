//! Renders one list of findings in many formats. Each format is one module
//! behind [`render`]; all read the same [`Report`].

pub mod asff;
pub mod csv;
mod fields;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
mod text;
pub mod time;

use phiguard_rules::{Finding, Summary};
use serde::Serialize;

/// Bad input met while collecting: a file, a 1-based position, what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    /// 0 when the problem is about the whole file.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// A part of an account and region the live audit could not read. The rules
/// that needed it report `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CollectionError {
    /// `account/region` (`global` for global services).
    pub unit: String,
    /// What could not be read (`buckets`, `guard_duty`, ...).
    pub collection: String,
    /// The call that failed, `service:Operation`.
    pub operation: String,
    pub reason: String,
}

/// Everything a report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    /// `check` or `audit`.
    pub command: String,
    /// The inputs judged (templates, plans, accounts).
    pub inputs: Vec<String>,
    /// Files read but not recognised (not CloudFormation), so not judged.
    pub skipped: Vec<String>,
    /// Whether the inputs were declared to be the whole baseline.
    pub complete: bool,
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
    /// Live audits: what could not be read.
    pub collection_errors: Vec<CollectionError>,
    pub summary: Summary,
    /// Estate-wide rules whose absence was not judged (no `--complete`).
    pub not_judged: Vec<&'static str>,
    /// Waivers that match no failing finding (the resource was fixed,
    /// renamed or removed).
    pub stale_waivers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Markdown,
    Csv,
    Ocsf,
    Asff,
    Html,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &[
        "text", "json", "sarif", "junit", "html", "markdown", "csv", "ocsf", "asff",
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "markdown" | "md" => Format::Markdown,
            "csv" => Format::Csv,
            "ocsf" => Format::Ocsf,
            "asff" => Format::Asff,
            "html" => Format::Html,
            _ => return None,
        })
    }
}

/// Options for rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI colours (text only).
    pub color: bool,
    /// List passing findings one by one (text only); counts are always shown.
    pub verbose: bool,
}

pub fn render(format: Format, report: &Report, style: Style) -> String {
    match format {
        Format::Text => text::render(report, style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
        Format::Csv => csv::render(report),
        Format::Ocsf => ocsf::render(report),
        Format::Asff => asff::render(report),
        Format::Html => html::render(report),
    }
}

/// Serializes `doc` (pretty) with the large array at the string `placeholder`
/// written item by item, one item a line: a report of 100,000 findings never
/// holds them all as a JSON tree at once.
pub(crate) fn with_streamed_array(
    doc: &serde_json::Value,
    placeholder: &str,
    items: impl Iterator<Item = serde_json::Value> + Clone,
) -> String {
    let head = serde_json::to_string_pretty(doc).unwrap_or_default();
    let marker = serde_json::to_string(placeholder).unwrap_or_default();
    let mut found = head.match_indices(&marker);
    let (Some((at, _)), None) = (found.next(), found.next()) else {
        // The placeholder is not unique (a hostile input could spell it):
        // build the whole tree instead.
        let mut doc = doc.clone();
        replace_placeholder(
            &mut doc,
            placeholder,
            &serde_json::Value::Array(items.collect()),
        );
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    };
    let indent = head[..at]
        .rsplit('\n')
        .next()
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(0);
    let pad = " ".repeat(indent + 2);
    let mut out = String::with_capacity(head.len() + 1024);
    out.push_str(&head[..at]);
    out.push('[');
    let mut first = true;
    for item in items {
        out.push_str(if first { "\n" } else { ",\n" });
        first = false;
        out.push_str(&pad);
        out.push_str(&serde_json::to_string(&item).unwrap_or_default());
    }
    if !first {
        out.push('\n');
        out.push_str(&" ".repeat(indent));
    }
    out.push(']');
    out.push_str(&head[at + marker.len()..]);
    out.push('\n');
    out
}

/// Replaces the object values equal to `placeholder`; strings inside arrays
/// (where inputs that spell it would sit) stay as they are.
fn replace_placeholder(v: &mut serde_json::Value, placeholder: &str, with: &serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            for x in o.values_mut() {
                if x.as_str() == Some(placeholder) {
                    *x = with.clone();
                } else {
                    replace_placeholder(x, placeholder, with);
                }
            }
        }
        serde_json::Value::Array(a) => {
            for x in a.iter_mut().filter(|x| !x.is_string()) {
                replace_placeholder(x, placeholder, with);
            }
        }
        _ => {}
    }
}

/// Strips control characters from text taken from a resource (names, tags,
/// messages), so that a hostile name cannot drive the terminal.
/// How a report names a resource: what people call it first, then its
/// name (a live id shortened: `prod-shared (vpc-7c81…)`).
pub fn display_name(s: &phiguard_rules::Subject) -> String {
    let Some(label) = &s.label else {
        return s.name.clone();
    };
    let live = matches!(s.origin, phiguard_model::Origin::Live { .. });
    let name = if live && s.name.chars().count() > 12 {
        let head: String = s.name.chars().take(8).collect();
        format!("{head}\u{2026}")
    } else {
        s.name.clone()
    };
    if *label == s.name {
        label.clone()
    } else {
        format!("{label} ({name})")
    }
}

pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n';
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::with_streamed_array;
    use serde_json::json;

    #[test]
    fn streamed_arrays_equal_the_tree_even_when_an_input_spells_the_placeholder() {
        let items = vec![json!({"a": 1}), json!({"b": [2, 3]})];
        let doc = json!({"inputs": ["x"], "items": "@p@", "z": 1});
        let out: serde_json::Value =
            serde_json::from_str(&with_streamed_array(&doc, "@p@", items.clone().into_iter()))
                .unwrap();
        assert_eq!(out, json!({"inputs": ["x"], "items": items, "z": 1}));
        // A hostile input that spells the placeholder is left alone.
        let doc = json!({"inputs": ["@p@"], "items": "@p@"});
        let out: serde_json::Value =
            serde_json::from_str(&with_streamed_array(&doc, "@p@", items.clone().into_iter()))
                .unwrap();
        assert_eq!(out["inputs"][0], "@p@");
        assert_eq!(out["items"], json!(items));
        let empty: serde_json::Value = serde_json::from_str(&with_streamed_array(
            &json!({"items": "@p@"}),
            "@p@",
            std::iter::empty(),
        ))
        .unwrap();
        assert_eq!(empty, json!({"items": []}));
    }
}
