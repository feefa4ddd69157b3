//! CSV: one row per finding, RFC 4180 (comma-separated, CRLF line ends,
//! fields quoted where they hold a comma, quote or line break), with a header
//! row. Written by the `csv` crate.
//!
//! A cell that a spreadsheet would read as a formula (it begins with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, as OWASP
//! advises against CSV injection: a resource name cannot run anything in
//! the spreadsheet that opens the report.

use crate::{Report, fields};
use phiguard_rules::registry;

pub const HEADER: &[&str] = &[
    "outcome",
    "severity",
    "rule",
    "rule_title",
    "control",
    "control_title",
    "hipaa",
    "resource_kind",
    "resource_name",
    "resource_id",
    "location",
    "account",
    "region",
    "message",
    "waiver",
];

pub fn render(r: &Report) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    for f in &r.findings {
        let rule = registry::find(f.rule);
        let (kind, name, id) = match &f.subject {
            Some(s) => (s.kind.clone(), s.name.clone(), fields::resource_id(s)),
            None => (String::new(), String::new(), String::new()),
        };
        let row = [
            f.outcome.name().to_string(),
            f.severity.name().to_string(),
            f.rule.to_string(),
            rule.map(|r| r.title).unwrap_or_default().to_string(),
            f.control.number().to_string(),
            f.control.title().to_string(),
            f.control.citations().join("; "),
            kind,
            name,
            id,
            fields::location(f),
            fields::account(f).unwrap_or_default().to_string(),
            fields::region(f).unwrap_or_default().to_string(),
            f.message.clone(),
            f.waiver.clone().unwrap_or_default(),
        ];
        let _ = w.write_record(row.iter().map(|c| defuse(c).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A cell a spreadsheet would evaluate, prefixed with `'`.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}
