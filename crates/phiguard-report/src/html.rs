//! The HTML report: one self-contained file for an auditor. No network, no
//! CDN, no external font: the CSS, the script and the SVG charts are inline,
//! and a Content-Security-Policy forbids the page any other source.
//!
//! What the page shows is written here, on the server side, and escaped with
//! [`esc`]: the scope, the counts per control with an SVG bar and the HIPAA
//! citations, each rule's explanation and remediation. The findings are
//! embedded as JSON in a `<script type="application/json">` (with `<`, `>`,
//! `&`, U+2028 and U+2029 written as `\u` escapes, so no text can close the
//! element) and the table is built from it with `textContent`, never
//! `innerHTML`: a resource's name or tag is data, never markup.

use crate::{Report, clean, fields, time};
use phiguard_rules::{Control, Finding, Outcome, Rule, Severity, registry};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write;

const OUTCOMES: [Outcome; 4] = [
    Outcome::Fail,
    Outcome::Unknown,
    Outcome::Waived,
    Outcome::Pass,
];
const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

/// Counts by outcome, in [`OUTCOMES`] order.
#[derive(Default, Clone, Copy)]
struct Counts([usize; 4]);

impl Counts {
    fn add(&mut self, o: Outcome) {
        self.0[outcome_index(o)] += 1;
    }
    fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

fn outcome_index(o: Outcome) -> usize {
    OUTCOMES.iter().position(|x| *x == o).unwrap_or(0)
}

fn severity_index(s: Severity) -> usize {
    SEVERITIES.iter().position(|x| *x == s).unwrap_or(0)
}

/// HTML-escapes text (element content and quoted attribute values alike).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside a `<script>` element: nothing in it can end the
/// element or start a comment, and JavaScript line separators are escaped.
pub fn script_json(v: &serde_json::Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(s.len() + 64);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = include_str!("html/report.css");
const JS: &str = include_str!("html/report.js");

pub fn render(r: &Report) -> String {
    let generated = time::rfc3339(time::now_ms());
    let mut by_control: BTreeMap<u8, Counts> = BTreeMap::new();
    let mut by_rule: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut accounts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut regions: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &r.findings {
        by_control
            .entry(f.control.number())
            .or_default()
            .add(f.outcome);
        by_rule.entry(f.rule).or_default().add(f.outcome);
        if let Some(a) = fields::account(f) {
            *accounts.entry(a).or_default() += 1;
        }
        if let Some(g) = fields::region(f) {
            *regions.entry(g).or_default() += 1;
        }
    }

    let mut h = String::with_capacity(64 * 1024 + r.findings.len() * 300);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<meta name=\"generator\" content=\"{} {}\">\n<title>phiguard {} report · {}</title>",
        esc(r.tool),
        esc(r.version),
        esc(&r.command),
        esc(&generated)
    );
    let _ = writeln!(h, "<style>\n{CSS}</style>\n</head>\n<body>");

    // Header.
    let s = &r.summary;
    let _ = writeln!(
        h,
        "<header class=\"top\"><div><h1>HIPAA Security Rule baseline report</h1>\
         <p class=\"sub\">phiguard <b>{}</b> · {} · generated <time datetime=\"{g}\">{g}</time></p></div>\
         <div class=\"verdict {}\">{}</div></header>",
        esc(&r.command),
        if r.command == "audit" {
            "the live AWS estate"
        } else {
            "infrastructure code"
        },
        if s.fail > 0 { "bad" } else { "good" },
        if s.fail > 0 {
            format!("{} failing", s.fail)
        } else {
            "nothing failing".into()
        },
        g = esc(&generated)
    );
    h.push_str("<main>\n");

    // Summary.
    h.push_str("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    h.push_str(&donut(&[s.fail, s.unknown, s.waived, s.pass]));
    for (o, n) in OUTCOMES.iter().zip([s.fail, s.unknown, s.waived, s.pass]) {
        let _ = write!(
            h,
            "<div class=\"card o-{name}\"><span class=\"n\" id=\"count-{name}\">{n}</span><span class=\"l\">{name}</span></div>",
            name = o.name()
        );
    }
    let _ = write!(
        h,
        "<div class=\"card total\"><span class=\"n\" id=\"count-total\">{}</span><span class=\"l\">findings</span></div></div>",
        r.findings.len()
    );
    h.push_str(
        "<p class=\"legend\"><b>pass</b>: the safeguard is in place · <b>fail</b>: it is not · \
         <b>unknown</b>: phiguard could not decide and says why (never counted as a pass) · \
         <b>waived</b>: a failure accepted by a named owner until a date.</p></section>\n",
    );

    // Scope.
    h.push_str("<section id=\"scope\"><h2>Scope of the scan</h2><dl class=\"scope\">");
    let _ = write!(
        h,
        "<dt>Command</dt><dd><code>phiguard {}</code>{}</dd>",
        esc(&r.command),
        if r.complete {
            " with <code>--complete</code> (the inputs are the whole baseline)"
        } else {
            ""
        }
    );
    let _ = write!(h, "<dt>Generated</dt><dd>{}</dd>", esc(&generated));
    let _ = write!(
        h,
        "<dt>Tool</dt><dd>{} {}</dd>",
        esc(r.tool),
        esc(r.version)
    );
    let _ = write!(h, "<dt>Inputs ({})</dt><dd>", r.inputs.len());
    list(&mut h, &r.inputs, 12);
    h.push_str("</dd>");
    if !accounts.is_empty() {
        let _ = write!(h, "<dt>Accounts ({})</dt><dd>", accounts.len());
        let names: Vec<String> = accounts.keys().map(|a| a.to_string()).collect();
        list(&mut h, &names, 40);
        h.push_str("</dd>");
        let _ = write!(h, "<dt>Regions ({})</dt><dd>", regions.len());
        let names: Vec<String> = regions.keys().map(|a| a.to_string()).collect();
        list(&mut h, &names, 40);
        h.push_str("</dd>");
    }
    if !r.skipped.is_empty() {
        let _ = write!(
            h,
            "<dt>Skipped ({})</dt><dd>read but not recognised, so not judged: ",
            r.skipped.len()
        );
        list(&mut h, &r.skipped, 20);
        h.push_str("</dd>");
    }
    if !r.not_judged.is_empty() {
        let _ = write!(
            h,
            "<dt>Not judged</dt><dd>estate-wide rules whose absence is only a failure with <code>--complete</code>: {}</dd>",
            esc(&r.not_judged.join(", "))
        );
    }
    h.push_str("</dl>");
    if !r.problems.is_empty() {
        let _ = write!(
            h,
            "<div class=\"alert\"><h3>Input errors ({})</h3><p>These inputs could not be read; what they hold was not judged.</p><ul>",
            r.problems.len()
        );
        for p in &r.problems {
            let _ = write!(
                h,
                "<li><code>{}:{}:{}</code> {}</li>",
                esc(&p.file),
                p.line,
                p.column,
                esc(&p.message)
            );
        }
        h.push_str("</ul></div>");
    }
    if !r.stale_waivers.is_empty() {
        let _ = write!(
            h,
            "<div class=\"alert\"><h3>Stale waivers ({})</h3><p>These waivers match no failing finding: the resource was fixed, renamed or removed.</p><ul>",
            r.stale_waivers.len()
        );
        for w in &r.stale_waivers {
            let _ = write!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul></div>");
    }
    if !r.collection_errors.is_empty() {
        let _ = write!(
            h,
            "<div class=\"alert\"><h3>Collection errors ({})</h3><p>What could not be read makes the rules that need it report unknown.</p><ul>",
            r.collection_errors.len()
        );
        for e in &r.collection_errors {
            let _ = write!(
                h,
                "<li><code>{}</code> {}: <code>{}</code>: {}</li>",
                esc(&e.unit),
                esc(&e.collection),
                esc(&e.operation),
                esc(&e.reason)
            );
        }
        h.push_str("</ul></div>");
    }
    h.push_str("</section>\n");

    // Controls.
    h.push_str(
        "<section id=\"controls\"><h2>Controls</h2><table class=\"controls\"><thead><tr>\
         <th>Control</th><th>HIPAA Security Rule</th><th class=\"num\">fail</th><th class=\"num\">unknown</th>\
         <th class=\"num\">waived</th><th class=\"num\">pass</th><th>Outcomes</th></tr></thead><tbody>",
    );
    for c in Control::ALL {
        let counts = by_control.get(&c.number()).copied().unwrap_or_default();
        let _ = write!(
            h,
            "<tr data-control=\"{n}\"><td><b>{n}</b> · {t}<div class=\"area\">{a}</div></td><td>{cit}</td>",
            n = c.number(),
            t = esc(c.title()),
            a = esc(c.area()),
            cit = c
                .citations()
                .iter()
                .map(|x| format!("§{}", esc(x)))
                .collect::<Vec<_>>()
                .join("<br>")
        );
        for (i, o) in OUTCOMES.iter().enumerate() {
            let n = counts.0[i];
            let _ = write!(
                h,
                "<td class=\"num{}\">{n}</td>",
                if n > 0 {
                    format!(" o-{}", o.name())
                } else {
                    String::new()
                }
            );
        }
        let _ = write!(h, "<td>{}</td></tr>", bar(&counts));
    }
    h.push_str("</tbody></table></section>\n");

    // Findings.
    h.push_str(
        "<section id=\"findings\"><h2>Findings</h2>\
         <div class=\"filters\" role=\"search\">\
         <label>Outcome <select id=\"f-outcome\"><option value=\"\">all</option></select></label>\
         <label>Control <select id=\"f-control\"><option value=\"\">all</option></select></label>\
         <label>Severity <select id=\"f-severity\"><option value=\"\">all</option></select></label>\
         <label>Account <select id=\"f-account\"><option value=\"\">all</option></select></label>\
         <label>Region <select id=\"f-region\"><option value=\"\">all</option></select></label>\
         <label class=\"grow\">Search <input id=\"f-search\" type=\"search\" placeholder=\"rule, resource, file, ARN, message…\"></label>\
         </div><p id=\"shown\" class=\"legend\" aria-live=\"polite\"></p>\
         <noscript><p class=\"alert\">The findings table needs JavaScript. Every finding is also in this file as JSON (the element <code>phiguard-data</code>), and in <code>--format json</code>.</p></noscript>\
         <table class=\"findings\"><thead><tr>\
         <th><button data-sort=\"0\">Outcome</button></th><th><button data-sort=\"1\">Severity</button></th>\
         <th><button data-sort=\"2\">Rule</button></th><th><button data-sort=\"3\">Control</button></th>\
         <th><button data-sort=\"4\">Resource</button></th><th><button data-sort=\"6\">Where</button></th>\
         <th><button data-sort=\"7\">Account / region</button></th><th><button data-sort=\"9\">Evidence</button></th>\
         </tr></thead><tbody id=\"rows\"></tbody></table>\
         <p class=\"more\"><button id=\"more\" hidden>Show more</button></p></section>\n",
    );
    // Rules.
    h.push_str("<section id=\"rules\"><h2>Rules</h2><p class=\"legend\">Each rule that judged something, with its explanation and remediation from the catalogue (<code>phiguard explain RULE</code>).</p>");
    for rule in registry::RULES.iter().copied() {
        let Some(counts) = by_rule.get(rule.id) else {
            continue;
        };
        rule_html(&mut h, rule, counts);
    }
    h.push_str("</section>\n");

    h.push_str("</main>\n");
    let _ = writeln!(
        h,
        "<footer>Generated by {} {} on {}. Self-contained: this file makes no network request and can be archived as it is.</footer>",
        esc(r.tool),
        esc(r.version),
        esc(&generated)
    );

    // Data.
    let controls: Vec<serde_json::Value> = Control::ALL
        .iter()
        .map(|c| json!([c.number(), c.title()]))
        .collect();
    h.push_str("<script type=\"application/json\" id=\"phiguard-data\">");
    let head = json!({
        "outcomes": OUTCOMES.iter().map(|o| o.name()).collect::<Vec<_>>(),
        "severities": SEVERITIES.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "controls": controls,
        "summary": r.summary,
    });
    let head = script_json(&head);
    // `{"outcomes":…,"summary":{…}}` + `,"findings":[…]}`: the findings are
    // written one by one.
    h.push_str(&head[..head.len() - 1]);
    h.push_str(",\"findings\":[");
    for (i, f) in r.findings.iter().enumerate() {
        if i > 0 {
            h.push(',');
        }
        h.push_str(&script_json(&row(f)));
    }
    h.push_str("]}</script>\n<script>\n");
    h.push_str(JS);
    h.push_str("</script>\n</body>\n</html>\n");
    h
}

/// One finding as the table reads it:
/// `[outcome, severity, rule, control, name, kind, where, account, region, message, waiver, title]`.
fn row(f: &Finding) -> serde_json::Value {
    let (name, kind) = match &f.subject {
        Some(s) => (s.name.as_str(), s.kind.as_str()),
        None => ("the estate as a whole", ""),
    };
    json!([
        outcome_index(f.outcome),
        severity_index(f.severity),
        f.rule,
        f.control.number(),
        name,
        kind,
        fields::location(f),
        fields::account(f).unwrap_or(""),
        fields::region(f).unwrap_or(""),
        f.message,
        f.waiver.as_deref().unwrap_or(""),
    ])
}

fn list(h: &mut String, items: &[String], max: usize) {
    if items.is_empty() {
        h.push_str("none");
        return;
    }
    let item = |h: &mut String, i: &String| {
        let _ = write!(h, "<li><code>{}</code></li>", esc(i));
    };
    h.push_str("<ul class=\"inline\">");
    for i in items.iter().take(max) {
        item(h, i);
    }
    h.push_str("</ul>");
    if items.len() > max {
        let _ = write!(
            h,
            "<details class=\"rest\"><summary>and {} more</summary><ul class=\"inline\">",
            items.len() - max
        );
        for i in &items[max..] {
            item(h, i);
        }
        h.push_str("</ul></details>");
    }
}

const COLORS: [&str; 4] = ["#c62828", "#b7791f", "#5e35b1", "#2e7d32"];

/// A stacked horizontal bar of the outcomes.
fn bar(c: &Counts) -> String {
    let total = c.total();
    if total == 0 {
        return "<span class=\"na\">nothing judged</span>".into();
    }
    let mut s = String::from(
        "<svg class=\"bar\" viewBox=\"0 0 200 14\" width=\"200\" height=\"14\" role=\"img\" aria-label=\"",
    );
    let _ = write!(
        s,
        "{}\">",
        OUTCOMES
            .iter()
            .zip(c.0)
            .map(|(o, n)| format!("{n} {}", o.name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut x = 0.0;
    for (i, n) in c.0.iter().enumerate() {
        if *n == 0 {
            continue;
        }
        let w = 200.0 * *n as f64 / total as f64;
        let _ = write!(
            s,
            "<rect x=\"{x:.2}\" y=\"0\" width=\"{w:.2}\" height=\"14\" fill=\"{}\"><title>{n} {}</title></rect>",
            COLORS[i],
            OUTCOMES[i].name()
        );
        x += w;
    }
    s.push_str("</svg>");
    s
}

/// A donut of the outcomes, with the total in the middle.
fn donut(n: &[usize; 4]) -> String {
    let total: usize = n.iter().sum();
    let mut s = String::from(
        "<svg class=\"donut\" viewBox=\"0 0 120 120\" width=\"120\" height=\"120\" role=\"img\" aria-label=\"outcomes\">\
         <circle cx=\"60\" cy=\"60\" r=\"46\" fill=\"none\" stroke=\"#e3e6ea\" stroke-width=\"18\"/>",
    );
    let circ = 2.0 * std::f64::consts::PI * 46.0;
    let mut offset = 0.0;
    for (i, v) in n.iter().enumerate() {
        if total == 0 || *v == 0 {
            continue;
        }
        let len = circ * *v as f64 / total as f64;
        let _ = write!(
            s,
            "<circle cx=\"60\" cy=\"60\" r=\"46\" fill=\"none\" stroke=\"{}\" stroke-width=\"18\" \
             stroke-dasharray=\"{len:.3} {:.3}\" stroke-dashoffset=\"{:.3}\" transform=\"rotate(-90 60 60)\"><title>{v} {}</title></circle>",
            COLORS[i],
            circ - len,
            -offset,
            OUTCOMES[i].name()
        );
        offset += len;
    }
    let _ = write!(
        s,
        "<text x=\"60\" y=\"58\" text-anchor=\"middle\" class=\"dn\">{total}</text>\
         <text x=\"60\" y=\"76\" text-anchor=\"middle\" class=\"dl\">findings</text></svg>"
    );
    s
}

fn rule_html(h: &mut String, rule: &Rule, c: &Counts) {
    let _ = write!(
        h,
        "<details class=\"rule\" id=\"rule-{id}\"><summary><span class=\"rid\">{id}</span> {title} \
         <span class=\"sev s-{sev}\">{sev}</span> <span class=\"rc\">",
        id = esc(rule.id),
        title = esc(rule.title),
        sev = rule.severity.name()
    );
    for (i, o) in OUTCOMES.iter().enumerate() {
        if c.0[i] > 0 {
            let _ = write!(
                h,
                "<span class=\"o-{}\">{} {}</span> ",
                o.name(),
                c.0[i],
                o.name()
            );
        }
    }
    let _ = write!(
        h,
        "</span></summary><p class=\"ctl\">Control {} · {} (HIPAA §{})</p>\
         <div class=\"remediation\"><b>Remediation.</b> {}</div><div class=\"doc\">{}</div></details>",
        rule.control.number(),
        esc(rule.control.title()),
        rule.control
            .citations()
            .iter()
            .map(|x| esc(x))
            .collect::<Vec<_>>()
            .join(", §"),
        inline(rule.remediation),
        doc_html(rule.doc)
    );
}

/// Escaped text with `code` spans.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

/// The catalogue's doc comments: `###` headings, paragraphs, `-` lists and
/// `code`, and nothing else.
fn doc_html(doc: &str) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut in_list = false;
    let flush = |out: &mut String, para: &mut Vec<&str>| {
        if !para.is_empty() {
            let _ = write!(out, "<p>{}</p>", inline(&para.join(" ")));
            para.clear();
        }
    };
    let mut fence: Option<Vec<&str>> = None;
    for raw in doc.lines() {
        let line = raw.trim();
        if line.starts_with("```") {
            match fence.take() {
                Some(code) => {
                    let _ = write!(out, "<pre>{}</pre>", esc(&code.join("\n")));
                }
                None => {
                    flush(&mut out, &mut para);
                    if in_list {
                        out.push_str("</ul>");
                        in_list = false;
                    }
                    fence = Some(Vec::new());
                }
            }
            continue;
        }
        if let Some(code) = fence.as_mut() {
            code.push(raw.strip_prefix(' ').unwrap_or(raw));
            continue;
        }
        if let Some(head) = line.strip_prefix("### ") {
            flush(&mut out, &mut para);
            if in_list {
                out.push_str("</ul>");
                in_list = false;
            }
            let _ = write!(out, "<h4>{}</h4>", inline(head));
        } else if let Some(item) = line.strip_prefix("- ") {
            flush(&mut out, &mut para);
            if !in_list {
                out.push_str("<ul>");
                in_list = true;
            }
            let _ = write!(out, "<li>{}</li>", inline(item));
        } else if line.is_empty() {
            flush(&mut out, &mut para);
            if in_list {
                out.push_str("</ul>");
                in_list = false;
            }
        } else if in_list && !para.is_empty() {
            para.push(line);
        } else if in_list {
            // A continuation of the last list item.
            if out.ends_with("</li>") {
                out.truncate(out.len() - 5);
                let _ = write!(out, " {}</li>", inline(line));
            } else {
                para.push(line);
            }
        } else {
            para.push(line);
        }
    }
    flush(&mut out, &mut para);
    if in_list {
        out.push_str("</ul>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_the_element() {
        let v = json!([
            "</script><script>alert(1)</script>",
            "<!--",
            "a\u{2028}b\u{2029}&"
        ]);
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "the escapes are plain JSON");
    }

    #[test]
    fn esc_escapes_markup_and_quotes() {
        assert_eq!(
            esc("<img src=x onerror=alert(1)> & \"'"),
            "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;&#39;"
        );
    }

    #[test]
    fn docs_render_headings_lists_and_code() {
        let h = doc_html("### What\nA `<b>` here\nand there.\n\n- one\n  more\n- two\n");
        assert_eq!(
            h,
            "<h4>What</h4><p>A <code>&lt;b&gt;</code> here and there.</p><ul><li>one more</li><li>two</li></ul>"
        );
    }
}
