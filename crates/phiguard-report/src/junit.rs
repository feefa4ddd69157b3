//! JUnit XML, for CI dashboards: one `<testsuite>` per control that has
//! findings, one `<testcase>` per finding. A failure is a `<failure>` (its
//! `type` is the severity); unknown and waived findings are `<skipped>`; a
//! pass is an empty test case.

use crate::Report;
use phiguard_rules::{Control, Finding, Outcome, registry};
use std::fmt::Write;

pub fn render(r: &Report) -> String {
    let mut suites = String::new();
    for control in Control::ALL {
        let findings: Vec<&Finding> = r.findings.iter().filter(|f| f.control == control).collect();
        if findings.is_empty() {
            continue;
        }
        let failures = count(&findings, |o| o == Outcome::Fail);
        let skipped = count(&findings, |o| {
            matches!(o, Outcome::Unknown | Outcome::Waived)
        });
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
            attr(&format!("{} · {}", control.number(), control.title())),
            findings.len(),
        );
        for f in findings {
            testcase(&mut suites, f);
        }
        suites.push_str("  </testsuite>\n");
    }
    let all: Vec<&Finding> = r.findings.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        attr(&format!("{} {}", r.tool, r.command)),
        all.len() + r.problems.len(),
        count(&all, |o| o == Outcome::Fail),
        r.problems.len(),
        count(&all, |o| matches!(o, Outcome::Unknown | Outcome::Waived)),
    );
    out.push_str(&suites);
    if !r.problems.is_empty() {
        // Input problems: one suite of errors, so a CI run shows them.
        let _ = writeln!(
            out,
            "  <testsuite name=\"input\" tests=\"{}\" failures=\"0\" errors=\"{}\" skipped=\"0\">",
            r.problems.len(),
            r.problems.len()
        );
        for p in &r.problems {
            let at = if p.line > 0 {
                format!("{}:{}:{}", p.file, p.line, p.column)
            } else {
                p.file.clone()
            };
            let _ = writeln!(
                out,
                "    <testcase classname=\"input\" name=\"{}\">\n      <error message=\"{}\" type=\"input\">{}</error>\n    </testcase>",
                attr(&at),
                attr(&p.message),
                text(&format!("{at}: {}", p.message)),
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn count(f: &[&Finding], pred: impl Fn(Outcome) -> bool) -> usize {
    f.iter().filter(|f| pred(f.outcome)).count()
}

fn testcase(out: &mut String, f: &Finding) {
    let name = match &f.subject {
        Some(s) => format!("{} ({})", s.name, s.origin.location()),
        None => "estate".to_string(),
    };
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        attr(f.rule),
        attr(&name)
    );
    let rule = registry::find(f.rule);
    match f.outcome {
        Outcome::Pass => out.push_str("/>\n"),
        Outcome::Fail => {
            let mut body = String::new();
            if let Some(s) = &f.subject {
                let _ = writeln!(body, "{} {} at {}", s.kind, s.name, s.origin.location());
            } else {
                body.push_str("estate-wide\n");
            }
            let _ = writeln!(body, "{}", f.message);
            if let Some(rule) = rule {
                let _ = writeln!(body, "{}: {}", rule.id, rule.title);
                let _ = writeln!(body, "Remediation: {}", rule.remediation);
            }
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                attr(&f.message),
                f.severity.name(),
                text(&body)
            );
        }
        Outcome::Unknown | Outcome::Waived => {
            let message = if f.outcome == Outcome::Unknown {
                format!("unknown: {}", f.message)
            } else {
                format!(
                    "waived: {} ({})",
                    f.waiver.as_deref().unwrap_or("no reason given"),
                    f.message
                )
            };
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(&message)
            );
        }
    }
}

/// Whether XML 1.0 allows this character, and we want it: control
/// characters other than tab, newline and carriage return are dropped (XML
/// 1.0 forbids C0 controls; DEL and C1 controls are discouraged), as are the
/// non-characters U+FFFE and U+FFFF.
fn keep(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// Escaped character data.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| keep(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// An escaped attribute value (double-quoted). Whitespace other than space
/// is written as a character reference, so it survives attribute-value
/// normalisation.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| keep(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}
