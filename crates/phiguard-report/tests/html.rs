//! The HTML report, as a person sees it: opened in headless Chromium.
//!
//! Chromium comes from `scripts/chromium.sh` (Debian's `chromium`), found
//! through `PHIGUARD_CHROMIUM` or on `PATH`. Where it is missing the browser
//! tests skip with a message, and fail when `CI` or
//! `PHIGUARD_REQUIRE_CHROMIUM` is set.
//!
//! A small harness script, put first in `<head>` of a copy of the report,
//! records console errors, uncaught errors, failed loads and any call of
//! `alert`, then drives the outcome filter; the DOM is dumped after the
//! page settles (`--dump-dom` with `--virtual-time-budget`).

mod common;

use phiguard_model::Origin;
use phiguard_report::{Format, Report, Style, render};
use phiguard_rules::{Outcome, Severity, Subject, summarize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const XSS: &str = "<img src=x onerror=alert(1)>";

fn chromium() -> Option<PathBuf> {
    let required =
        std::env::var_os("CI").is_some() || std::env::var_os("PHIGUARD_REQUIRE_CHROMIUM").is_some();
    let candidates: Vec<PathBuf> = std::env::var_os("PHIGUARD_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .filter_map(|name| {
                    std::env::var_os("PATH").and_then(|paths| {
                        std::env::split_paths(&paths)
                            .map(|d| d.join(name))
                            .find(|p| p.is_file())
                    })
                }),
        )
        .collect();
    match candidates.into_iter().find(|p| p.is_file()) {
        Some(p) => Some(p),
        None if required => panic!(
            "headless Chromium is required (CI or PHIGUARD_REQUIRE_CHROMIUM) but missing: run scripts/chromium.sh"
        ),
        None => {
            eprintln!("skipping: no chromium (run scripts/chromium.sh, or set PHIGUARD_CHROMIUM)");
            None
        }
    }
}

fn scratch(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "phiguard-html-{}-{tag}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs Chromium on `file` and returns the DOM after scripts ran, and stderr.
fn dump_dom(chromium: &Path, file: &Path, budget_ms: u32) -> (String, String) {
    let profile = scratch("profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--virtual-time-budget={budget_ms}"))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Records errors and alerts on `<html>` attributes, then filters by
/// outcome and records the rows shown.
const HARNESS: &str = r#"<script>
(function () {
  var root = document.documentElement, errors = [];
  function note(m) { errors.push(String(m)); root.setAttribute('data-t-errors', JSON.stringify(errors)); }
  root.setAttribute('data-t-errors', '[]');
  root.setAttribute('data-t-alerts', '0');
  window.alert = window.confirm = window.prompt = function () {
    root.setAttribute('data-t-alerts', String(Number(root.getAttribute('data-t-alerts')) + 1));
  };
  var ce = console.error;
  console.error = function () { note(Array.prototype.join.call(arguments, ' ')); ce.apply(console, arguments); };
  window.addEventListener('error', function (e) {
    note(e.message || ('failed to load ' + (e.target && (e.target.src || e.target.tagName))));
  }, true);
  window.addEventListener('unhandledrejection', function (e) { note('unhandled rejection ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) { note('CSP ' + e.violatedDirective + ' ' + e.blockedURI); });
  window.addEventListener('load', function () {
    var rows = function () { return document.querySelectorAll('#rows tr').length; };
    var sel = document.getElementById('f-outcome');
    var t0 = performance.now();
    root.setAttribute('data-t-rows-all', String(rows()));
    root.setAttribute('data-t-matching-all', document.getElementById('shown').getAttribute('data-matching'));
    ['fail', 'pass', 'unknown', 'waived'].forEach(function (name) {
      var opt = Array.prototype.find.call(sel.options, function (o) { return o.textContent === name; });
      if (!opt) { root.setAttribute('data-t-rows-' + name, 'absent'); return; }
      sel.value = opt.value;
      sel.dispatchEvent(new Event('change'));
      root.setAttribute('data-t-rows-' + name, String(rows()));
      root.setAttribute('data-t-matching-' + name, document.getElementById('shown').getAttribute('data-matching'));
    });
    sel.value = '';
    sel.dispatchEvent(new Event('change'));
    var q = document.getElementById('f-search');
    q.value = 'onerror';
    q.dispatchEvent(new Event('input'));
    root.setAttribute('data-t-matching-search', document.getElementById('shown').getAttribute('data-matching'));
    root.setAttribute('data-t-filter-ms', String(Math.round(performance.now() - t0)));
    root.setAttribute('data-t-images', String(document.images.length));
    root.setAttribute('data-t-load-ms', String(Math.round(t0)));
  });
})();
</script>"#;

fn attr(dom: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let at = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no attribute {name} in the dumped DOM"));
    let rest = &dom[at + key.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn count(dom: &str, id: &str) -> usize {
    let key = format!("id=\"{id}\">");
    let at = dom.find(&key).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &dom[at + key.len()..];
    rest[..rest.find('<').unwrap()].parse().unwrap()
}

/// The common report, with a live finding whose resource name and tag value
/// are an XSS payload.
fn hostile_report() -> Report {
    let mut r = common::report(vec![]);
    let mut f = common::finding(
        "ENC-2",
        Severity::High,
        Outcome::Fail,
        Some(Subject {
            kind: "AWS::S3::Bucket".into(),
            name: XSS.into(),
            origin: Origin::Live {
                arn: format!("arn:aws:s3:::{XSS}"),
                account: "111122223333".into(),
                region: "us-east-1".into(),
            },
            label: None,
            tags: Default::default(),
        }),
        &format!("tag data-class = {XSS}; </script><script>alert(2)</script>"),
    );
    f.waiver = None;
    r.findings.push(f);
    r.summary = summarize(&r.findings);
    r
}

fn write_with_harness(html: &str, dir: &Path) -> PathBuf {
    let at = html.find("<head>").expect("a head") + "<head>".len();
    let page = format!("{}\n{HARNESS}{}", &html[..at], &html[at..]);
    let file = dir.join("report.html");
    std::fs::write(&file, page).unwrap();
    file
}

#[test]
fn the_report_renders_counts_filters_and_runs_nothing_from_a_resource() {
    let Some(chromium) = chromium() else { return };
    let report = hostile_report();
    let html = render(Format::Html, &report, Style::default());
    let dir = scratch("report");
    let file = write_with_harness(&html, &dir);
    let (dom, stderr) = dump_dom(&chromium, &file, 10_000);

    assert_eq!(
        attr(&dom, "data-phiguard-ready"),
        "1",
        "the page script ran"
    );
    assert_eq!(attr(&dom, "data-t-errors"), "[]", "console or page errors");
    assert!(
        !stderr.contains("Uncaught"),
        "an uncaught error in Chromium's log:\n{stderr}"
    );

    // The counts shown equal the JSON report's.
    let json: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &report, Style::default())).unwrap();
    let s = &json["summary"];
    for name in ["pass", "fail", "unknown", "waived"] {
        let n = s[name].as_u64().unwrap() as usize;
        assert_eq!(count(&dom, &format!("count-{name}")), n, "{name} card");
        assert_eq!(
            attr(&dom, &format!("data-t-rows-{name}")),
            n.to_string(),
            "{name} filter"
        );
        assert_eq!(
            attr(&dom, &format!("data-t-matching-{name}")),
            n.to_string()
        );
    }
    let total = json["findings"].as_array().unwrap().len();
    assert_eq!(count(&dom, "count-total"), total);
    assert_eq!(attr(&dom, "data-t-rows-all"), total.to_string());
    // The outcome filter changes the rows shown.
    assert_ne!(
        attr(&dom, "data-t-rows-fail"),
        attr(&dom, "data-t-rows-all")
    );
    // The search finds the hostile finding, by its text.
    assert_eq!(attr(&dom, "data-t-matching-search"), "1");

    // The payload is text: shown, escaped, and nothing ran or loaded.
    assert_eq!(
        attr(&dom, "data-t-alerts"),
        "0",
        "a script from a resource ran"
    );
    assert_eq!(
        attr(&dom, "data-t-images"),
        "0",
        "markup from a resource became an element"
    );
    assert!(
        dom.contains("<b>&lt;img src=x onerror=alert(1)&gt;</b>"),
        "the name is shown as text"
    );
    assert!(dom.contains("tag data-class = &lt;img src=x onerror=alert(1)&gt;; &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_page_needs_nothing_from_the_network() {
    let html = render(Format::Html, &hostile_report(), Style::default());
    // Nothing is loaded from anywhere: no source, stylesheet, import or CSS
    // URL. (Rule explanations cite AWS documentation pages as text; a cited
    // address is not a load.)
    for bad in ["//cdn", "@import", "url(", "src=\"", "<link", "href=\"http"] {
        assert!(!html.contains(bad), "the report refers to {bad}");
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // The hostile text appears only escaped, in the JSON data.
    assert!(!html.contains(XSS));
    assert!(html.contains("\\u003cimg src=x onerror=alert(1)\\u003e"));
    assert!(!html.contains("</script><script>alert(2)"));
}

/// `cargo test -p phiguard-report --test html -- --ignored --nocapture`:
/// how long a 20,000-finding report takes to open and to filter.
#[test]
#[ignore = "a benchmark: run it by hand"]
fn benchmark_20000_findings() {
    let Some(chromium) = chromium() else { return };
    let mut report = common::report(vec![]);
    let base = report.findings[1].clone();
    report.findings.clear();
    for i in 0..20_000u32 {
        let mut f = base.clone();
        f.outcome = [
            Outcome::Fail,
            Outcome::Pass,
            Outcome::Unknown,
            Outcome::Pass,
        ][i as usize % 4];
        f.severity = [Severity::High, Severity::Medium, Severity::Critical][i as usize % 3];
        f.subject = Some(Subject {
            kind: "AWS::S3::Bucket".into(),
            name: format!("bucket-{i}"),
            origin: Origin::Live {
                arn: format!("arn:aws:s3:::bucket-{i}"),
                account: format!("1111222233{:02}", i % 40),
                region: ["us-east-1", "eu-west-1", "ap-southeast-2"][i as usize % 3].into(),
            },
            label: None,
            tags: Default::default(),
        });
        f.message =
            format!("bucket-{i} has no default encryption configuration (S3 applies SSE-S3)");
        report.findings.push(f);
    }
    report.summary = summarize(&report.findings);
    let started = std::time::Instant::now();
    let html = render(Format::Html, &report, Style::default());
    let rendered = started.elapsed();
    let dir = scratch("bench");
    let file = write_with_harness(&html, &dir);
    let started = std::time::Instant::now();
    let (dom, _) = dump_dom(&chromium, &file, 30_000);
    let wall = started.elapsed();
    assert_eq!(attr(&dom, "data-t-errors"), "[]");
    assert_eq!(
        attr(&dom, "data-t-matching-fail"),
        report.summary.fail.to_string()
    );
    println!(
        "20,000 findings: {} bytes of HTML rendered in {:?}; in Chromium: page script done at {} ms, \
         4 outcome filters + 1 search in {} ms; chromium wall time {:?}",
        html.len(),
        rendered,
        attr(&dom, "data-t-load-ms"),
        attr(&dom, "data-t-filter-ms"),
        wall
    );
    let _ = std::fs::remove_dir_all(&dir);
}
