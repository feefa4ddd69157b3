//! The runbooks: filled with the configuration's values, one self-contained
//! HTML file, and every `aws` command (in the runbooks and in the generated
//! README.md) checked against the AWS CLI's own command tables
//! (scripts/check_aws_commands.py, run with PHIGUARD_TOOLS_PYTHON from
//! scripts/pytools.sh; a missing tool fails under CI or PHIGUARD_REQUIRE_TOOLS).

use phiguard_generate::{Options, generate, runbooks::runbooks};
use phiguard_rules::Config;
use phiguard_rules::baseline::SCENARIOS;
use std::path::{Path, PathBuf};
use std::process::Command;

fn config() -> Config {
    let cfg = Config::from_toml(include_str!("data/phiguard.toml")).unwrap();
    assert!(
        cfg.runbook_errors().is_empty(),
        "{:?}",
        cfg.runbook_errors()
    );
    cfg
}

fn text(name: &str) -> String {
    runbooks(&config())
        .into_iter()
        .find(|f| f.path == name)
        .unwrap()
        .text
}

#[test]
fn every_scenario_is_there_filled_with_the_configuration() {
    let md = text("runbooks.md");
    let html = text("runbooks.html");
    for (id, title) in SCENARIOS {
        assert!(
            md.contains(&format!("## {title}")),
            "{title} missing from the Markdown"
        );
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "{id} missing from the HTML"
        );
    }
    for needle in [
        "Dana Smith",
        "+1 555 0101",
        "security@example.com",
        "example-health-prod-isolation",
        "example-health-staging-isolation",
        "example-health-prod-vault",
        "example-health-copy-vault",
        "us-west-2",
        "`111111111111`",
        "`555555555555`",
        "60 calendar days",
        "RTO measured",
        "https://wiki.example.com/security/runbooks",
    ] {
        assert!(md.contains(needle), "{needle} missing from the Markdown");
    }
    assert!(md.contains("1. On-call engineer\n2. Security officer\n3. Privacy officer"));
}

#[test]
fn the_html_is_self_contained_and_escaped() {
    let html = text("runbooks.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no script");
    for attr in ["src=", "href=\"http", "@import", "url("] {
        assert!(
            !html.contains(attr),
            "refers to something outside the file: {attr}"
        );
    }
    assert!(html.contains("@media print"));
    let mut cfg = config();
    cfg.baseline.incident_response.privacy_officer.name = "<b>Eve & co</b>".into();
    let html = runbooks(&cfg)
        .into_iter()
        .find(|f| f.path == "runbooks.html")
        .unwrap()
        .text;
    assert!(html.contains("&lt;b&gt;Eve &amp; co&lt;/b&gt;"));
    assert!(!html.contains("<b>Eve"));
}

#[test]
fn the_output_is_byte_identical_across_runs() {
    assert_eq!(runbooks(&config()), runbooks(&config()));
}

fn tools_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PHIGUARD_TOOLS_PYTHON").map(PathBuf::from) {
        if p.exists() {
            return Some(p);
        }
    }
    let required =
        std::env::var_os("CI").is_some() || std::env::var_os("PHIGUARD_REQUIRE_TOOLS").is_some();
    assert!(
        !required,
        "the AWS CLI models are required (CI or PHIGUARD_REQUIRE_TOOLS) but PHIGUARD_TOOLS_PYTHON does not name a Python with awscli: run scripts/pytools.sh install"
    );
    eprintln!(
        "skipping: no Python with awscli (PHIGUARD_TOOLS_PYTHON; scripts/pytools.sh install)"
    );
    None
}

#[test]
fn every_aws_command_names_a_real_operation_and_real_options() {
    let Some(py) = tools_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut files = runbooks(&config());
    files.extend(generate(&config(), Options { with_eks: true }));
    let mut checked = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".md")) {
        let p = dir.path().join(f.path.replace('/', "_"));
        std::fs::write(&p, &f.text).unwrap();
        checked.push(p);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check_aws_commands.py");
    let out = Command::new(py)
        .arg(script)
        .args(&checked)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n: usize = stdout
        .split_whitespace()
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or(0);
    assert!(n >= 40, "too few commands checked: {stdout}");
}
