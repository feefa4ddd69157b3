//! Markdown for a pull-request comment: the counts, then failures grouped by
//! control (most severe first), then unknowns, with waived findings and
//! passes collapsed in `<details>`.
//!
//! GitHub refuses a comment longer than 65,536 characters. The report stays
//! under [`LIMIT`] bytes (so under the limit in characters too): when the
//! findings do not fit, the rest is summarised per rule and the comment says
//! so. Every value taken from a resource is escaped: HTML is written as
//! entities, Markdown punctuation is backslash-escaped, `@` cannot mention
//! anyone, and a line break cannot leave its table cell.

use crate::{Report, clean, fields};
use phiguard_rules::{Control, Finding, Outcome, registry};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Bytes the comment may take, below GitHub's 65,536-character limit with
/// room for a heading a CI step may add.
pub const LIMIT: usize = 60_000;

/// Kept free for the closing sections (waived, passes, the note).
const RESERVE: usize = 12_000;

pub fn render(r: &Report) -> String {
    render_limited(r, LIMIT)
}

/// The comment, at most `limit` bytes.
pub fn render_limited(r: &Report, limit: usize) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let verdict = if s.fail > 0 { "❌" } else { "✅" };
    let _ = writeln!(
        out,
        "## {verdict} phiguard {}: {} failing, {} unknown, {} waived, {} passing\n",
        esc(&r.command),
        s.fail,
        s.unknown,
        s.waived,
        s.pass
    );
    if !r.problems.is_empty() {
        let _ = writeln!(
            out,
            "**{} input error(s)**: the inputs below could not be judged.\n",
            r.problems.len()
        );
        for p in r.problems.iter().take(20) {
            let _ = writeln!(out, "- {}:{}: {}", code(&p.file), p.line, esc(&p.message));
        }
        if r.problems.len() > 20 {
            let _ = writeln!(out, "- … and {} more", r.problems.len() - 20);
        }
        out.push('\n');
    }
    if !r.collection_errors.is_empty() {
        let _ = writeln!(
            out,
            "**{} collection error(s)**: what could not be read makes its rules report unknown.\n",
            r.collection_errors.len()
        );
    }

    let body_limit = limit.saturating_sub(RESERVE).max(limit / 2);
    let mut omitted: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (outcome, heading) in [(Outcome::Fail, "Failing"), (Outcome::Unknown, "Unknown")] {
        let mut chosen: Vec<&Finding> =
            r.findings.iter().filter(|f| f.outcome == outcome).collect();
        if chosen.is_empty() {
            continue;
        }
        chosen.sort_by(|a, b| {
            a.control
                .number()
                .cmp(&b.control.number())
                .then(b.severity.cmp(&a.severity))
                .then(a.rule.cmp(b.rule))
        });
        let _ = writeln!(out, "### {heading} ({})", chosen.len());
        let mut current: Option<Control> = None;
        for f in chosen {
            if out.len() >= body_limit {
                *omitted.entry(f.rule).or_default() += 1;
                continue;
            }
            if current != Some(f.control) {
                current = Some(f.control);
                let _ = writeln!(
                    out,
                    "\n#### {} · {} (HIPAA §{})\n\n| severity | rule | resource | where | finding |\n|---|---|---|---|---|",
                    f.control.number(),
                    f.control.title(),
                    f.control.citations().join(", §")
                );
            }
            row(&mut out, f);
        }
        out.push('\n');
    }
    if !omitted.is_empty() {
        let n: usize = omitted.values().sum();
        let _ = writeln!(
            out,
            "> **{n} more failing or unknown finding(s) are not listed**, to keep this comment under GitHub's 65,536-character limit. Per rule: {}. The full report (`--format json`, `html` or `csv`) lists them all.\n",
            omitted
                .iter()
                .map(|(rule, n)| format!("{rule} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let waived: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Waived)
        .collect();
    if !waived.is_empty() {
        let mut section = format!(
            "<details><summary>Waived ({})</summary>\n\n| rule | resource | where | waiver |\n|---|---|---|---|\n",
            waived.len()
        );
        let room = limit.saturating_sub(out.len() + 4_000);
        let mut shown = 0;
        for f in &waived {
            let line = format!(
                "| {} | {} | {} | {} |\n",
                f.rule,
                f.subject
                    .as_ref()
                    .map(|s| esc(&s.name))
                    .unwrap_or_else(|| "estate".into()),
                code(&fields::location(f)),
                esc(f.waiver.as_deref().unwrap_or("waived"))
            );
            if section.len() + line.len() > room {
                break;
            }
            section.push_str(&line);
            shown += 1;
        }
        if shown < waived.len() {
            let _ = writeln!(
                section,
                "\n{} more waived finding(s) not listed (comment size limit).",
                waived.len() - shown
            );
        }
        section.push_str("\n</details>\n\n");
        out.push_str(&section);
    }

    // Passes: one line per rule, with its count.
    let mut passes: BTreeMap<(u8, &'static str), usize> = BTreeMap::new();
    for f in r.findings.iter().filter(|f| f.outcome == Outcome::Pass) {
        *passes.entry((f.control.number(), f.rule)).or_default() += 1;
    }
    if !passes.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Passing ({} findings, {} rules)</summary>\n\n| rule | title | passing |\n|---|---|---|",
            s.pass,
            passes.len()
        );
        for ((_, rule), n) in &passes {
            let title = registry::find(rule).map(|r| r.title).unwrap_or_default();
            let _ = writeln!(out, "| {rule} | {} | {n} |", esc(title));
        }
        out.push_str("\n</details>\n\n");
    }
    if !r.stale_waivers.is_empty() {
        let _ = writeln!(
            out,
            "**{} stale waiver(s)** match no failing finding: {}\n",
            r.stale_waivers.len(),
            r.stale_waivers
                .iter()
                .take(20)
                .map(|w| esc(w))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    if !r.not_judged.is_empty() {
        let _ = writeln!(
            out,
            "Not judged without `--complete` (their absence is only a failure for the whole baseline): {}.\n",
            r.not_judged.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "<sub>{} {} · {} input(s)</sub>",
        esc(r.tool),
        esc(r.version),
        r.inputs.len()
    );
    if out.len() > limit {
        // Only a pathological input (thousands of rules or problems) gets
        // here: cut at a character boundary and say so.
        let mut cut = limit.saturating_sub(200);
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("\n\n> **Truncated** to stay under GitHub's 65,536-character comment limit; the full report lists everything.\n");
    }
    out
}

fn row(out: &mut String, f: &Finding) {
    let resource = match &f.subject {
        Some(s) => format!("{} {}", esc(&s.name), code(&s.kind)),
        None => "the estate".into(),
    };
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        f.severity.name(),
        f.rule,
        resource,
        code(&fields::location(f)),
        esc(&f.message)
    );
}

/// Text from a resource, safe in a Markdown table cell: no HTML, no
/// emphasis, links, images or mentions, no line breaks.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '@' => out.push_str("&#64;"),
            '|' => out.push_str("&#124;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '~' | '{' | '}' | '.'
            | ':' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A location or type shown as `code`: inside backticks only a backtick and
/// `|` (which would end the table cell) need care; the text is shown literally.
fn code(s: &str) -> String {
    let s: String = clean(s)
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", s.replace('|', "\\|"))
}
