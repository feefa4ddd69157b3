//! The terminal report: grouped by control, `file:line` first, failures before
//! unknowns, passes counted (listed with `--verbose`).

use crate::{Report, Style, clean};
use phiguard_rules::{Control, Finding, Outcome};
use std::fmt::Write;

struct Paint(bool);

impl Paint {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn outcome(&self, o: Outcome) -> String {
        let (label, code) = match o {
            Outcome::Fail => ("FAIL   ", "1;31"),
            Outcome::Unknown => ("UNKNOWN", "1;33"),
            Outcome::Pass => ("PASS   ", "32"),
            Outcome::Waived => ("WAIVED ", "36"),
        };
        self.paint(code, label)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

fn line(out: &mut String, p: &Paint, f: &Finding) {
    let (loc, what) = match &f.subject {
        Some(s) => (
            clean(&s.origin.location()).into_owned(),
            format!("{} ({})", clean(&crate::display_name(s)), clean(&s.kind)),
        ),
        None => ("estate".to_string(), "the estate as a whole".to_string()),
    };
    let _ = writeln!(
        out,
        "  {} {:<8} {:<6} {}  {}",
        p.outcome(f.outcome),
        f.severity.name(),
        f.rule,
        p.bold(&loc),
        what
    );
    let _ = writeln!(out, "           {}", clean(&f.message));
    if let Some(w) = &f.waiver {
        let _ = writeln!(out, "           {}", p.dim(&clean(w)));
    }
    if let Some(t) = &f.failing_since {
        let _ = writeln!(
            out,
            "           {}",
            p.dim(&format!("failing since {}", clean(t)))
        );
    }
}

/// The lines of each group of findings, in order, written on every core in
/// one pass over all the groups (a group alone may be too small to share):
/// for each group, its lines in parts.
fn lines(p: &Paint, groups: &[&[&Finding]]) -> Vec<Vec<String>> {
    let chunks: Vec<(usize, &[&Finding])> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, fs)| fs.chunks(256).map(move |c| (g, c)))
        .collect();
    let written = phiguard_model::par::in_parallel(&chunks, |(_, chunk)| {
        let mut s = String::new();
        for f in *chunk {
            line(&mut s, p, f);
        }
        s
    });
    let mut out = vec![Vec::new(); groups.len()];
    for ((g, _), s) in chunks.iter().zip(written) {
        out[*g].push(s);
    }
    out
}

pub fn render(r: &Report, style: Style) -> String {
    let p = Paint(style.color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {} input(s) judged{}{}",
        p.bold("phiguard"),
        r.command,
        r.inputs.len(),
        if r.skipped.is_empty() {
            String::new()
        } else {
            format!(", {} skipped (not CloudFormation)", r.skipped.len())
        },
        if r.complete {
            ", complete baseline"
        } else {
            ""
        }
    );
    // Each control's findings to show (failures, then unknowns, then
    // waivers; passes with --verbose) and its passes.
    let mut by_control: Vec<Vec<&Finding>> = vec![Vec::new(); Control::ALL.len()];
    for f in &r.findings {
        by_control[usize::from(f.control.number()) - 1].push(f);
    }
    let groups: Vec<(Control, Vec<&Finding>, usize)> = Control::ALL
        .into_iter()
        .zip(by_control)
        .filter_map(|(c, fs)| {
            if fs.is_empty() {
                return None;
            }
            let mut shown: Vec<&Finding> = Vec::new();
            for o in [Outcome::Fail, Outcome::Unknown, Outcome::Waived] {
                shown.extend(fs.iter().filter(|f| f.outcome == o));
            }
            let passed: Vec<&Finding> = fs
                .iter()
                .copied()
                .filter(|f| f.outcome == Outcome::Pass)
                .collect();
            let n_passed = passed.len();
            if style.verbose {
                shown.extend(passed);
            }
            Some((c, shown, n_passed))
        })
        .collect();
    let shown: Vec<&[&Finding]> = groups.iter().map(|(_, s, _)| s.as_slice()).collect();
    let written = lines(&p, &shown);
    // The report is made in one string of about its final size: megabytes
    // of lines are copied once. Room is left for each control's heading and
    // count, and for the input errors and summary after them (were it short,
    // all the lines would be copied again to grow it).
    let lines_len: usize = written.iter().flatten().map(String::len).sum();
    out.reserve(lines_len + 256 * groups.len() + 256 * r.problems.len() + 4096);
    for ((c, _, n_passed), parts) in groups.iter().zip(written) {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}",
            p.bold(&format!("{:>2} · {} ({})", c.number(), c.title(), c.area())),
            p.dim(&format!("HIPAA {}", c.citations().join(", ")))
        );
        for text in parts {
            out.push_str(&text);
        }
        if !style.verbose && *n_passed > 0 {
            let _ = writeln!(
                out,
                "  {} {} check(s) passed",
                p.outcome(Outcome::Pass),
                n_passed
            );
        }
    }
    if !r.collection_errors.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                "1;33",
                &format!(
                    "Collection errors ({}; the rules that needed this data report unknown):",
                    r.collection_errors.len()
                )
            )
        );
        for e in &r.collection_errors {
            let _ = writeln!(
                out,
                "  {} {}: {}: {}",
                clean(&e.unit),
                clean(&e.collection),
                clean(&e.operation),
                clean(&e.reason)
            );
        }
    }
    if !r.problems.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            p.paint("1;31", "Input errors (these were not judged):")
        );
        for e in &r.problems {
            if e.line == 0 {
                let _ = writeln!(out, "  {}: {}", clean(&e.file), clean(&e.message));
            } else {
                let _ = writeln!(
                    out,
                    "  {}:{}:{}: {}",
                    clean(&e.file),
                    e.line,
                    e.column,
                    clean(&e.message)
                );
            }
        }
    }
    if !r.not_judged.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            p.dim(&format!(
                "Not judged for absence (pass --complete when these paths are the whole baseline): {}",
                r.not_judged.join(", ")
            ))
        );
    }
    if !r.stale_waivers.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                "1;33",
                &format!("Stale waivers ({}; remove them):", r.stale_waivers.len())
            )
        );
        for w in &r.stale_waivers {
            let _ = writeln!(out, "  {}", clean(w));
        }
    }
    let s = &r.summary;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {} failed, {} unknown, {} passed, {} waived",
        p.bold("Summary:"),
        p.paint(if s.fail > 0 { "1;31" } else { "32" }, &s.fail.to_string()),
        s.unknown,
        s.pass,
        s.waived
    );
    out
}
