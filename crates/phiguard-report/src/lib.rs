//! Renders one list of findings in many formats. Each format is one module
//! behind [`render`]; all read the same [`Report`].

pub mod json;
pub mod junit;
pub mod sarif;
mod text;

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
    pub summary: Summary,
    /// Estate-wide rules whose absence was not judged (no `--complete`).
    pub not_judged: Vec<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["text", "json", "sarif", "junit"];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
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
    }
}

/// Strips control characters from text taken from a resource (names, tags,
/// messages), so that a hostile name cannot drive the terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
