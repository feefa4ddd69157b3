//! The gate: policy, waivers, first-seen dates across runs (an injected
//! clock) on both stores, closing, statistics, exit codes and every output
//! format checked against its schema or parsed.

#[path = "../../phiguard-store/tests/common/mod.rs"]
mod common;

use phiguard_cve::{Mode, Severity, gate, render, stats};
use phiguard_rules::Config;
use phiguard_store::Store;

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;
/// 2026-12-01T00:00:00Z
const T0: i64 = 1_796_083_200;
const IMAGE: &str = "registry.example.com/patient-api:1.4.2";

fn data(name: &str) -> (String, Result<Vec<u8>, String>) {
    let p = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    (
        name.to_string(),
        std::fs::read(&p).map_err(|e| e.to_string()),
    )
}

fn cfg(toml: &str) -> Config {
    Config::from_toml(toml).unwrap()
}

fn find<'a>(g: &'a phiguard_cve::Gate, id: &str) -> &'a phiguard_cve::Judged {
    g.findings
        .iter()
        .find(|j| j.vuln.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn block_mode_blocks_critical_and_high_only() {
    let (g, e) = gate(
        vec![data("trivy-image.json"), data("grype-image.json")],
        None,
        &Config::default(),
        Mode::Block,
        T0,
    );
    assert!(e.is_none());
    assert_eq!(g.exit_code(), 1);
    assert_eq!(g.findings.len(), 8);
    assert!(find(&g, "CVE-2024-5535").blocks);
    // High with no fix: blocks by default (block_unfixed = true).
    assert!(find(&g, "CVE-2023-45853").blocks);
    for id in [
        "CVE-2024-29041",
        "CVE-2011-3374",
        "CVE-2022-27943",
        "CVE-2005-2541",
    ] {
        assert!(!find(&g, id).blocks, "{id}");
    }
    // Negligible and unknown are kept and reported.
    assert_eq!(
        find(&g, "CVE-2022-27943").vuln.severity,
        Severity::Negligible
    );
    assert!(find(&g, "CVE-2022-27943").sla.is_none());
    // SLAs from [limits] by default.
    assert_eq!(find(&g, "CVE-2024-5535").sla, Some(48 * HOUR));
    assert_eq!(find(&g, "CVE-2023-44487").sla, Some(14 * DAY));
    assert_eq!(find(&g, "CVE-2024-29041").sla, Some(90 * DAY));
}

#[test]
fn a_clean_image_passes() {
    let (g, _) = gate(
        vec![data("trivy-clean.json")],
        None,
        &Config::default(),
        Mode::Block,
        T0,
    );
    assert_eq!(g.exit_code(), 0);
    assert!(render::text(&g).contains("no vulnerabilities"));
}

#[test]
fn policy_and_waivers_from_the_config() {
    let c = cfg(r#"
[limits]
critical_sla_hours = 24
[cve]
block = ["critical"]
block_unfixed = false
high_sla_days = 7
[[cve.waiver]]
id = "CVE-2024-5535"
target = "registry.example.com/*"
owner = "platform"
reason = "not reachable: ALPN unused"
expires = "2026-12-31"
[[cve.waiver]]
id = "GHSA-qwcr-r2fm-qrc7"
package = "body-parser"
owner = "api-team"
reason = "upgrade in flight"
expires = "2026-11-30"
"#);
    let (g, _) = gate(
        vec![data("trivy-image.json"), data("grype-image.json")],
        None,
        &c,
        Mode::Block,
        T0,
    );
    let ssl = find(&g, "CVE-2024-5535");
    assert!(matches!(
        ssl.waiver,
        Some(phiguard_cve::WaiverState::Active(_))
    ));
    assert!(!ssl.blocks);
    assert_eq!(ssl.sla, Some(24 * HOUR), "[limits] still sets the default");
    // The waiver names the GHSA alias; it expired yesterday and says so.
    let bp = find(&g, "CVE-2024-45590");
    match &bp.waiver {
        Some(phiguard_cve::WaiverState::Expired(w)) => {
            assert!(w.contains("expired on 2026-11-30"), "{w}")
        }
        w => panic!("{w:?}"),
    }
    assert!(!bp.blocks, "high does not block under this policy");
    assert_eq!(bp.sla, Some(7 * DAY));
    assert!(!find(&g, "CVE-2023-45853").blocks);
    assert_eq!(g.exit_code(), 0);
    // The waiver expires: the critical blocks again.
    let (g, _) = gate(
        vec![data("trivy-image.json")],
        None,
        &c,
        Mode::Block,
        T0 + 31 * DAY,
    );
    assert!(find(&g, "CVE-2024-5535").blocks);
    assert_eq!(g.exit_code(), 1);
    assert!(
        Config::from_toml("[cve]\nblock = ['severe']\n")
            .unwrap_err()
            .contains("severe")
    );
    assert!(
        Config::from_toml("[[cve.waiver]]\nid='CVE-1'\nowner='o'\nreason='r'\nexpires='soon'\n")
            .unwrap_err()
            .contains("YYYY-MM-DD")
    );
}

/// First seen survives runs; age grows with the injected clock; the SLA
/// breaks; `--mode sla` fails only then; a later scan without a finding
/// closes it; `--stats` shows time to remediate. On SQLite, and on
/// PostgreSQL shared by "two machines" (two connections).
#[test]
fn first_seen_age_sla_and_closing_across_runs_and_machines() {
    let (_d, stores) = common::stores();
    for (label, spec) in stores {
        let mut a = Store::open(&spec).unwrap();
        let mut b = Store::open(&spec).unwrap();
        let c = Config::default();
        // Day 0, machine A: first seen.
        let (g, e) = gate(
            vec![data("trivy-image.json")],
            Some(&mut a),
            &c,
            Mode::Sla,
            T0,
        );
        assert!(e.is_none(), "{label}: {e:?}");
        assert_eq!(find(&g, "CVE-2024-5535").age, 0, "{label}");
        assert_eq!(g.exit_code(), 0, "{label}: nothing is past its SLA yet");
        // 30 hours later, machine B: same first seen.
        let (g, _) = gate(
            vec![data("trivy-image.json")],
            Some(&mut b),
            &c,
            Mode::Sla,
            T0 + 30 * HOUR,
        );
        let ssl = find(&g, "CVE-2024-5535");
        assert_eq!((ssl.first_seen, ssl.age), (T0, 30 * HOUR), "{label}");
        assert_eq!(ssl.time_left(), Some(18 * HOUR), "{label}");
        assert_eq!(g.exit_code(), 0, "{label}");
        // Day 3: the critical is past its 48 h SLA: sla mode fails.
        let (g, _) = gate(
            vec![data("trivy-image.json")],
            Some(&mut a),
            &c,
            Mode::Sla,
            T0 + 3 * DAY,
        );
        let ssl = find(&g, "CVE-2024-5535");
        assert!(ssl.past_sla && ssl.fails, "{label}");
        assert_eq!(ssl.time_left(), Some(-DAY), "{label}");
        assert!(
            !find(&g, "CVE-2023-44487").past_sla,
            "{label}: high has 14 days"
        );
        assert_eq!(g.exit_code(), 1, "{label}");
        assert!(render::text(&g).contains("overdue 1d"), "{label}");
        // Day 5, machine B: the image is clean: everything closes.
        let (g, _) = gate(
            vec![data("trivy-clean.json"), {
                // the same image, rebuilt without vulnerabilities
                let (n, b) = data("trivy-clean.json");
                let b = b.map(|b| {
                    String::from_utf8(b)
                        .unwrap()
                        .replace("audit-worker:2.0.0", "patient-api:1.4.2")
                        .into_bytes()
                });
                (n.replace("clean", "fixed"), b)
            }],
            Some(&mut b),
            &c,
            Mode::Block,
            T0 + 5 * DAY,
        );
        assert_eq!(g.exit_code(), 0, "{label}");
        let eps = phiguard_cve::episodes(&mut a).unwrap();
        assert_eq!(eps.len(), 6, "{label}");
        assert!(
            eps.iter().all(|e| e.closed_at == Some(T0 + 5 * DAY)),
            "{label}"
        );
        let st = stats(&eps, &phiguard_cve::Policy::from_config(&c), T0 + 5 * DAY);
        let crit = &st[0];
        assert_eq!(
            (crit.closed, crit.p90, crit.closed_late),
            (1, Some(5 * DAY), 1),
            "{label}"
        );
        let high = &st[1];
        assert_eq!(
            (high.closed, high.mean),
            (3, Some(5.0 * DAY as f64)),
            "{label}"
        );
        assert!(render::stats("text", &st, a.name(), T0).contains("critical"));
        let j: serde_json::Value =
            serde_json::from_str(&render::stats("json", &st, a.name(), T0)).unwrap();
        assert_eq!(j["severities"][0]["closed"], 1);
    }
}

/// Inspector's own first-observed date is older than the store's: it wins.
#[test]
fn the_scanners_first_observed_date_counts_when_older() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open(&d.path().join("h.sqlite").display().to_string()).unwrap();
    let first = phiguard_cve::parse_time("2026-11-20T08:15:42.118Z").unwrap();
    let (g, _) = gate(
        vec![data("inspector-findings.json")],
        Some(&mut s),
        &Config::default(),
        Mode::Sla,
        T0,
    );
    let curl = find(&g, "CVE-2023-38545");
    assert_eq!(curl.first_seen, first);
    assert!(curl.past_sla, "observed 10 days ago, critical SLA 48 h");
    assert_eq!(g.exit_code(), 1);
    // And without a store too.
    let (g, _) = gate(
        vec![data("inspector-findings.json")],
        None,
        &Config::default(),
        Mode::Sla,
        T0,
    );
    assert_eq!(find(&g, "CVE-2023-38545").first_seen, first);
}

#[test]
fn bad_inputs_exit_2_and_the_others_are_still_judged() {
    let (g, _) = gate(
        vec![
            data("bad/truncated.json"),
            data("trivy-image.json"),
            data("bad/empty.json"),
            data("bad/npm-audit.json"),
            (
                "missing.json".into(),
                Err("No such file or directory (os error 2)".into()),
            ),
        ],
        None,
        &Config::default(),
        Mode::Block,
        T0,
    );
    assert_eq!(g.exit_code(), 2);
    assert_eq!(g.problems.len(), 4);
    assert_eq!(g.findings.len(), 6);
    let text = render::text(&g);
    for f in [
        "bad/truncated.json",
        "bad/empty.json",
        "bad/npm-audit.json",
        "missing.json",
    ] {
        assert!(text.contains(&format!("error: {f}:")), "{f} in {text}");
    }
}

#[test]
fn every_format_is_well_formed() {
    let mut c = Config::default();
    c.cve.waivers.push(phiguard_rules::CveWaiver {
        id: "CVE-2023-44487".into(),
        package: None,
        target: None,
        owner: "o <script>".into(),
        reason: "r | & \"".into(),
        expires: "2099-01-01".into(),
    });
    let (g, _) = gate(
        vec![
            data("trivy-image.json"),
            data("grype-image.json"),
            data("trivy-clean.json"),
            data("bad/empty.json"),
        ],
        None,
        &c,
        Mode::Block,
        T0,
    );
    // JSON: grouped by target, with age, SLA and time left.
    let j: serde_json::Value = serde_json::from_str(&render::to_json(&g)).unwrap();
    assert_eq!(j["result"], "error");
    assert_eq!(j["targets"].as_array().unwrap().len(), 2);
    let t = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == IMAGE)
        .unwrap();
    let f0 = &t["findings"][0];
    assert_eq!(f0["fails"], true);
    assert!(
        f0["sla_seconds"].is_i64()
            && f0["time_left_seconds"].is_i64()
            && f0["age_seconds"].is_i64()
    );
    assert_eq!(j["summary"]["by_severity"]["negligible"], 1);
    // SARIF against the published schema.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/../phiguard-report/tests/data/sarif-schema-2.1.0.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&render::sarif(&g)).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errs: Vec<String> = v.iter_errors(&sarif).map(|e| e.to_string()).collect();
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 8);
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    // JUnit parses; one suite per target plus the unreadable inputs.
    let xml = render::junit(&g);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 3);
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, g.count(|j| j.fails));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("skipped"))
            .count(),
        1
    );
    // Markdown: a table per target, the hostile waiver escaped.
    let md = render::markdown(&g);
    assert!(md.contains(&format!("### {}", IMAGE)));
    assert!(md.contains("&lt;script&gt;") && !md.contains("<script>"));
    assert!(md.contains("r \\| &amp;"));
    assert!(md.contains("No vulnerabilities."));
}
