//! The Markdown report: failures first by control, passes collapsed, under
//! GitHub's comment limit, every resource value escaped.

mod common;

use phiguard_report::{Format, Style, markdown, render};
use phiguard_rules::{Outcome, Severity, summarize};

#[test]
fn failures_first_then_collapsed_sections() {
    let report = common::report(vec![]);
    let md = render(Format::Markdown, &report, Style::default());
    assert!(md.starts_with("## ❌ phiguard check: 3 failing, 1 unknown, 1 waived, 1 passing"));
    let failing = md.find("### Failing (3)").expect("a failing section");
    let unknown = md.find("### Unknown (1)").expect("an unknown section");
    let waived = md
        .find("<details><summary>Waived (1)</summary>")
        .expect("waived collapsed");
    let passing = md
        .find("<details><summary>Passing (1 findings, 1 rules)</summary>")
        .expect("passes collapsed");
    assert!(failing < unknown && unknown < waived && waived < passing);
    assert!(
        md.contains("#### 4 · At-rest encryption (HIPAA §164.312(a)(2)(iv), §164.312(e)(2)(ii))")
    );
    assert!(md.contains("| high | ENC-2 | AppBucket `AWS::S3::Bucket` | `stacks/app.yaml:12` |"));
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
}

#[test]
fn hostile_text_is_escaped() {
    let mut report = common::report(vec![]);
    report.findings[1].message =
        "<img src=x onerror=alert(1)> | @octocat [x](javascript:alert(1)) **b**\nnext".into();
    let md = render(Format::Markdown, &report, Style::default());
    assert!(!md.contains("<img"), "raw HTML from a resource");
    assert!(!md.contains("<script"), "raw HTML from a resource");
    assert!(!md.contains("@octocat"), "a mention would notify someone");
    assert!(!md.contains("](javascript"), "a link from a resource");
    assert!(md.contains("&lt;img src=x onerror=alert\\(1\\)&gt; &#124; &#64;octocat"));
    // Each table row is one line with its five cells.
    for line in md.lines().filter(|l| l.starts_with("| high |")) {
        assert_eq!(line.matches(" | ").count() + 2, 6, "{line}");
    }
}

#[test]
fn a_huge_report_stays_under_the_comment_limit_and_says_so() {
    let mut report = common::report(vec![]);
    let base = report.findings[1].clone();
    for i in 0..20_000 {
        let mut f = base.clone();
        f.message = format!("failure number {i} with a long explanation of what was read");
        f.outcome = if i % 3 == 0 {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        f.severity = if i % 2 == 0 {
            Severity::High
        } else {
            Severity::Medium
        };
        report.findings.push(f);
    }
    report.summary = summarize(&report.findings);
    let md = render(Format::Markdown, &report, Style::default());
    assert!(md.len() <= markdown::LIMIT, "{} bytes", md.len());
    assert!(md.chars().count() < 65_536);
    assert!(md.contains("more failing or unknown finding(s) are not listed"));
    assert!(md.contains("65,536-character limit"));
    // The counts are still the whole report's.
    let s = &report.summary;
    assert!(md.contains(&format!("{} failing", s.fail)));
    assert!(md.contains(&format!("Passing ({} findings", s.pass)));
}
