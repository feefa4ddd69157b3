//! Each scanner format, read from fixtures shaped like the real tools'
//! output: what must be found, and what must not.

use phiguard_cve::parse::parse;
use phiguard_cve::{Severity, Vuln, dedup};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn find<'a>(v: &'a [Vuln], id: &str, pkg: &str) -> &'a Vuln {
    v.iter()
        .find(|x| x.id == id && x.package == pkg)
        .unwrap_or_else(|| panic!("no {id} in {pkg}: {v:#?}"))
}

const IMAGE: &str = "registry.example.com/patient-api:1.4.2";

#[test]
fn trivy_image_with_os_and_language_packages() {
    let p = parse("trivy-image.json", &read("trivy-image.json")).unwrap();
    assert_eq!(p.format, "trivy");
    assert_eq!(p.targets, vec![IMAGE]);
    assert_eq!(p.vulns.len(), 7, "the duplicated entry is still read");
    let ssl = find(&p.vulns, "CVE-2024-5535", "libssl3");
    assert_eq!(ssl.severity, Severity::Critical);
    assert_eq!(ssl.installed, "3.0.11-1~deb12u2");
    assert_eq!(ssl.fixed.as_deref(), Some("3.0.14-1~deb12u1"));
    assert_eq!(ssl.kind.as_deref(), Some("debian"));
    assert_eq!(ssl.target, IMAGE);
    let zlib = find(&p.vulns, "CVE-2023-45853", "zlib1g");
    assert_eq!(
        (zlib.severity, zlib.fixed.as_deref()),
        (Severity::High, None)
    );
    let go = find(&p.vulns, "CVE-2023-44487", "golang.org/x/net");
    assert_eq!(go.kind.as_deref(), Some("gobinary"));
    assert_eq!(go.path.as_deref(), Some("usr/local/bin/healthcheck"));
    assert_eq!(
        find(&p.vulns, "CVE-2011-3374", "apt").severity,
        Severity::Low
    );
    // The duplicate counts once.
    let d = dedup(p.vulns);
    assert_eq!(d.len(), 6);
}

#[test]
fn trivy_with_no_vulnerabilities_still_names_its_target() {
    let p = parse("trivy-clean.json", &read("trivy-clean.json")).unwrap();
    assert_eq!(p.targets, vec!["registry.example.com/audit-worker:2.0.0"]);
    assert!(p.vulns.is_empty());
}

#[test]
fn trivy_legacy_list() {
    let p = parse("trivy-legacy.json", &read("trivy-legacy.json")).unwrap();
    assert_eq!(p.targets, vec!["python:3.4-alpine"]);
    assert_eq!(p.vulns.len(), 2);
    assert_eq!(
        find(&p.vulns, "CVE-2019-14697", "musl").severity,
        Severity::Critical
    );
    assert_eq!(
        find(&p.vulns, "CVE-2019-1549", "openssl").fixed.as_deref(),
        Some("1.1.1d-r0")
    );
}

#[test]
fn grype_with_negligible_unknown_and_ghsa() {
    let p = parse("grype-image.json", &read("grype-image.json")).unwrap();
    assert_eq!(p.format, "grype");
    assert_eq!(p.targets, vec![IMAGE]);
    assert_eq!(p.vulns.len(), 5);
    assert_eq!(
        find(&p.vulns, "CVE-2022-27943", "libstdc++6").severity,
        Severity::Negligible
    );
    let tar = find(&p.vulns, "CVE-2005-2541", "tar");
    assert_eq!(
        (tar.severity, tar.fixed.as_deref()),
        (Severity::Unknown, None)
    );
    // A GHSA that names one CVE is reported under the CVE, as Trivy does.
    let bp = find(&p.vulns, "CVE-2024-45590", "body-parser");
    assert_eq!(bp.aliases, vec!["GHSA-qwcr-r2fm-qrc7"]);
    assert_eq!(bp.severity, Severity::High);
    assert_eq!(bp.fixed.as_deref(), Some("1.20.3"));
    assert_eq!(bp.kind.as_deref(), Some("npm"));
    let dir = parse("grype-dir.json", &read("grype-dir.json")).unwrap();
    assert_eq!(dir.targets, vec!["./services/billing"]);
}

#[test]
fn trivy_and_grype_of_one_image_count_each_finding_once() {
    let mut all = parse("t", &read("trivy-image.json")).unwrap().vulns;
    all.extend(parse("g", &read("grype-image.json")).unwrap().vulns);
    let d = dedup(all);
    // 6 from Trivy; Grype adds libstdc++6 and tar, and agrees on libssl3,
    // body-parser and express.
    assert_eq!(d.len(), 8, "{d:#?}");
    let ssl = find(&d, "CVE-2024-5535", "libssl3");
    assert_eq!(ssl.scanners, vec!["trivy", "grype"]);
    // Trivy says medium for express, Grype medium too: unchanged.
    assert_eq!(
        find(&d, "CVE-2024-29041", "express").severity,
        Severity::Medium
    );
}

#[test]
fn sarif_from_trivy_and_grype() {
    let t = parse("trivy-image.sarif", &read("trivy-image.sarif")).unwrap();
    assert_eq!(t.format, "trivy-sarif");
    assert_eq!(t.targets, vec![IMAGE]);
    let ssl = find(&t.vulns, "CVE-2024-5535", "libssl3");
    assert_eq!(ssl.severity, Severity::Critical);
    assert_eq!(ssl.installed, "3.0.11-1~deb12u2");
    assert_eq!(ssl.fixed.as_deref(), Some("3.0.14-1~deb12u1"));
    assert_eq!(
        find(&t.vulns, "CVE-2023-44487", "golang.org/x/net").severity,
        Severity::High
    );

    let g = parse("grype-image.sarif", &read("grype-image.sarif")).unwrap();
    assert_eq!(g.format, "grype-sarif");
    assert_eq!(g.targets, vec![IMAGE]);
    let ssl = find(&g.vulns, "CVE-2024-5535", "libssl3");
    assert_eq!(ssl.severity, Severity::Critical);
    assert_eq!(ssl.installed, "3.0.11-1~deb12u2");
    assert_eq!(ssl.fixed.as_deref(), Some("3.0.14-1~deb12u1"));
    // The help's own severity wins over the security-severity score.
    let tar = find(&g.vulns, "CVE-2005-2541", "tar");
    assert_eq!(
        (tar.severity, tar.fixed.as_deref()),
        (Severity::Unknown, None)
    );
    // Trivy JSON and Grype SARIF of one image agree.
    let mut all = parse("t", &read("trivy-image.json")).unwrap().vulns;
    all.extend(g.vulns);
    assert_eq!(dedup(all).len(), 7);
}

#[test]
fn inspector_findings() {
    let p = parse("inspector.json", &read("inspector-findings.json")).unwrap();
    assert_eq!(p.format, "inspector");
    assert_eq!(
        p.targets,
        vec!["111122223333.dkr.ecr.us-east-1.amazonaws.com/patient-api:1.4.2"]
    );
    assert_eq!(p.vulns.len(), 2, "the CLOSED finding is not present");
    let curl = find(&p.vulns, "CVE-2023-38545", "curl");
    assert_eq!(curl.severity, Severity::Critical);
    assert_eq!(curl.installed, "7.88.1-10+deb12u1");
    assert_eq!(curl.fixed.as_deref(), Some("0:7.88.1-10+deb12u4"));
    assert_eq!(
        curl.first_observed,
        phiguard_cve::parse_time("2026-11-20T08:15:42.118Z")
    );
    let libc = find(&p.vulns, "CVE-2023-4806", "libc6");
    assert_eq!(
        (libc.severity, libc.fixed.as_deref()),
        (Severity::Medium, None)
    );
}

#[test]
fn bad_input_says_what_was_expected() {
    let e = parse("empty.json", &read("bad/empty.json")).unwrap_err();
    assert!(
        e.contains("empty file") && e.contains("expected a Trivy JSON"),
        "{e}"
    );
    let e = parse("truncated.json", &read("bad/truncated.json")).unwrap_err();
    assert!(e.contains("truncated") && e.contains("line "), "{e}");
    assert!(e.contains("expected a Trivy JSON"), "{e}");
    let e = parse("npm-audit.json", &read("bad/npm-audit.json")).unwrap_err();
    assert!(e.contains("unknown shape") && e.contains("expected"), "{e}");
    let e = parse(
        "x.sarif",
        br#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[]}]}"#,
    )
    .unwrap_err();
    assert!(e.contains("\"CodeQL\""), "{e}");
    let e = parse(
        "phiguard.json",
        br#"{"schema_version":1,"tool":{"name":"phiguard"},"findings":[{"rule":"ENC-2"}]}"#,
    )
    .unwrap_err();
    assert!(e.contains("a phiguard report"), "{e}");
    assert!(parse("x", b"<xml/>").unwrap_err().contains("not JSON"));
}
