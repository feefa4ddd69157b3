//! Scanner reports, recognised by their content, normalised to [`Vuln`]s.
//!
//! - Trivy JSON: `SchemaVersion: 2` (`ArtifactName`, `Results[].Vulnerabilities[]`)
//!   and the older top-level list of results (Trivy before 0.20);
//! - Grype JSON (`grype -o json`): `matches[]` with `vulnerability`,
//!   `relatedVulnerabilities`, `artifact`, and `source.target`;
//! - SARIF 2.1.0 written by Trivy (`-f sarif`) or Grype (`-o sarif`);
//! - Amazon Inspector findings (`aws inspector2 list-findings` output).
//!
//! Each report is parsed in one pass into types that keep only what phiguard
//! reads (the rest is skipped unparsed), so a 50 MB report reads in well
//! under a second.

use crate::{Severity, Vuln, parse_time};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

/// What `cve-gate` expects, for error messages.
pub const EXPECTED: &str =
    "expected a Trivy JSON, Grype JSON, SARIF (Trivy or Grype) or Inspector list-findings report";

/// One report, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// `trivy`, `grype`, `trivy-sarif`, `grype-sarif`, `inspector`.
    pub format: &'static str,
    /// Every target the report covers, also those with no vulnerability:
    /// what a target no longer shows is closed.
    pub targets: Vec<String>,
    pub vulns: Vec<Vuln>,
}

/// Reads one report. `file` names it in messages and is the target of last
/// resort. The error says what was wrong and what was expected.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, String> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(format!("empty file; {EXPECTED}")),
        Some(b'[') => {
            let v: Vec<TrivyResult> = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
            if v.is_empty() || v.iter().any(|r| r.target.is_none()) {
                return Err(format!(
                    "a JSON list that is not a Trivy report (each item needs a \"Target\"); {EXPECTED}"
                ));
            }
            Ok(trivy(file, None, v, "trivy"))
        }
        Some(b'{') => {
            let top: Top = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
            classify(file, top)
        }
        Some(_) => Err(format!("not JSON; {EXPECTED}")),
    }
}

fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends early (truncated?)",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected JSON shape",
        serde_json::error::Category::Io => "cannot read",
    };
    // serde_json's message ends with "at line L column C".
    format!("{what}: {e}; {EXPECTED}")
}

/// The top-level keys of every format this reads. Every field is optional,
/// so that the shape decides the format rather than the first error.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Top {
    // Trivy
    #[serde(rename = "SchemaVersion")]
    trivy_schema: Option<IgnoredAny>,
    #[serde(rename = "ArtifactName")]
    artifact_name: Option<String>,
    #[serde(rename = "Results")]
    results: Option<Vec<TrivyResult>>,
    // Grype
    matches: Option<Vec<GrypeMatch>>,
    source: Option<Value>,
    descriptor: Option<Value>,
    // SARIF
    version: Option<Value>,
    runs: Option<Vec<SarifRun>>,
    // Inspector
    findings: Option<Vec<InspectorFinding>>,
    // phiguard's own JSON report
    tool: Option<IgnoredAny>,
    schema_version: Option<IgnoredAny>,
}

fn classify(file: &str, top: Top) -> Result<Parsed, String> {
    if top.trivy_schema.is_some() && (top.results.is_some() || top.artifact_name.is_some()) {
        let name = top.artifact_name.clone();
        return Ok(trivy(file, name, top.results.unwrap_or_default(), "trivy"));
    }
    if let Some(m) = top.matches {
        if top.source.is_some() || top.descriptor.is_some() {
            return Ok(grype(file, m, top.source.as_ref()));
        }
    }
    if let Some(runs) = top.runs {
        if top
            .version
            .as_ref()
            .and_then(Value::as_str)
            .map(|v| v.starts_with("2."))
            == Some(true)
        {
            return sarif(file, runs);
        }
    }
    if let Some(f) = top.findings {
        if top.tool.is_some() && top.schema_version.is_some() {
            return Err(format!(
                "a phiguard report (check or audit), not a vulnerability scan; {EXPECTED}"
            ));
        }
        if f.iter()
            .all(|x| x.finding_arn.is_some() || x.package_vulnerability_details.is_some())
        {
            return Ok(inspector(file, f));
        }
    }
    Err(format!("a JSON object of an unknown shape; {EXPECTED}"))
}

fn severity(s: Option<&str>) -> Severity {
    s.map(Severity::parse).unwrap_or(Severity::Unknown)
}

fn push_target(targets: &mut Vec<String>, t: &str) {
    if !targets.iter().any(|x| x == t) {
        targets.push(t.to_string());
    }
}

// ---------------------------------------------------------------- Trivy

#[derive(Deserialize, Default)]
#[serde(default)]
struct TrivyResult {
    #[serde(rename = "Target")]
    target: Option<String>,
    #[serde(rename = "Class")]
    class: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    #[serde(rename = "Vulnerabilities")]
    vulnerabilities: Option<Vec<TrivyVuln>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TrivyVuln {
    #[serde(rename = "VulnerabilityID")]
    id: String,
    #[serde(rename = "PkgName")]
    pkg_name: String,
    #[serde(rename = "PkgPath")]
    pkg_path: Option<String>,
    #[serde(rename = "InstalledVersion")]
    installed: String,
    #[serde(rename = "FixedVersion")]
    fixed: Option<String>,
    #[serde(rename = "Severity")]
    severity: Option<String>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "PrimaryURL")]
    url: Option<String>,
}

/// The image or path a Trivy report is about: `ArtifactName`, or (in the
/// old list format) the OS result's target without its ` (alpine 3.10.2)`.
fn trivy(
    file: &str,
    artifact: Option<String>,
    results: Vec<TrivyResult>,
    format: &'static str,
) -> Parsed {
    let target = artifact.filter(|a| !a.is_empty()).unwrap_or_else(|| {
        results
            .iter()
            .filter_map(|r| r.target.as_deref())
            .find(|t| t.ends_with(')') && t.contains(" ("))
            .map(|t| t[..t.rfind(" (").unwrap_or(t.len())].to_string())
            .unwrap_or_else(|| file.to_string())
    });
    let mut out = Parsed {
        format,
        targets: vec![target.clone()],
        vulns: Vec::new(),
    };
    for r in results {
        let kind = r.kind.clone().or(r.class.clone());
        for v in r.vulnerabilities.unwrap_or_default() {
            if v.id.is_empty() {
                continue;
            }
            out.vulns.push(Vuln {
                target: target.clone(),
                id: v.id,
                aliases: Vec::new(),
                severity: severity(v.severity.as_deref()),
                package: v.pkg_name,
                installed: v.installed,
                fixed: v.fixed.filter(|f| !f.is_empty()),
                kind: kind.clone(),
                path: v.pkg_path.or_else(|| r.target.clone()),
                first_observed: None,
                title: v.title,
                url: v.url,
                scanners: vec![format],
            });
        }
    }
    out
}

// ---------------------------------------------------------------- Grype

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrypeMatch {
    vulnerability: GrypeVuln,
    #[serde(rename = "relatedVulnerabilities")]
    related: Vec<GrypeRelated>,
    artifact: GrypeArtifact,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrypeVuln {
    id: String,
    severity: Option<String>,
    description: Option<String>,
    #[serde(rename = "dataSource")]
    data_source: Option<String>,
    fix: GrypeFix,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrypeFix {
    versions: Vec<String>,
    state: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrypeRelated {
    id: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrypeArtifact {
    name: String,
    version: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    locations: Vec<GrypeLocation>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrypeLocation {
    path: Option<String>,
}

/// `source.target` is the user's input for an image (`{userInput, ...}`)
/// and the path for a directory or file.
fn grype_target(file: &str, source: Option<&Value>) -> String {
    let t = source.and_then(|s| s.get("target"));
    t.and_then(|t| t.get("userInput"))
        .and_then(Value::as_str)
        .or_else(|| t.and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .unwrap_or(file)
        .to_string()
}

fn grype(file: &str, matches: Vec<GrypeMatch>, source: Option<&Value>) -> Parsed {
    let target = grype_target(file, source);
    let vulns = matches
        .into_iter()
        .filter(|m| !m.vulnerability.id.is_empty())
        .map(|m| {
            let (id, aliases) = prefer_cve(m.vulnerability.id, m.related.into_iter().map(|r| r.id));
            let fixed = if m.vulnerability.fix.state.as_deref() == Some("fixed") {
                m.vulnerability.fix.versions.first().cloned()
            } else {
                None
            };
            Vuln {
                target: target.clone(),
                id,
                aliases,
                severity: severity(m.vulnerability.severity.as_deref()),
                package: m.artifact.name,
                installed: m.artifact.version,
                fixed,
                kind: m.artifact.kind,
                path: m.artifact.locations.into_iter().find_map(|l| l.path),
                first_observed: None,
                title: m.vulnerability.description,
                url: m.vulnerability.data_source,
                scanners: vec!["grype"],
            }
        })
        .collect();
    Parsed {
        format: "grype",
        targets: vec![target],
        vulns,
    }
}

/// A GHSA or distribution advisory that names exactly one CVE is reported
/// under the CVE, so that scanners that name it differently agree; the
/// other ids are kept as aliases.
fn prefer_cve(id: String, related: impl Iterator<Item = String>) -> (String, Vec<String>) {
    let related: Vec<String> = related.filter(|r| *r != id).collect();
    if id.starts_with("CVE-") {
        return (id, related);
    }
    let cves: Vec<&String> = related.iter().filter(|r| r.starts_with("CVE-")).collect();
    if cves.len() == 1 {
        let cve = cves[0].clone();
        let mut aliases = vec![id];
        aliases.extend(related.into_iter().filter(|r| *r != cve));
        (cve, aliases)
    } else {
        (id, related)
    }
}

// ---------------------------------------------------------------- SARIF

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifRun {
    tool: SarifTool,
    results: Vec<SarifResult>,
    properties: Option<Value>,
    #[serde(rename = "originalUriBaseIds")]
    original_uri_base_ids: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifDriver {
    name: String,
    rules: Vec<SarifRule>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifRule {
    id: String,
    #[serde(rename = "shortDescription")]
    short: Option<SarifText>,
    help: Option<SarifText>,
    #[serde(rename = "helpUri")]
    help_uri: Option<String>,
    properties: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifText {
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SarifResult {
    #[serde(rename = "ruleId")]
    rule_id: Option<String>,
    #[serde(rename = "ruleIndex")]
    rule_index: Option<usize>,
    message: SarifText,
    locations: Vec<Value>,
}

/// `Key: value` lines of Trivy's and Grype's help and message texts.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        l.trim()
            .strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    })
}

/// The id in a `Vulnerability CVE-…` line (Trivy's and Grype's help texts;
/// Grype's rule ids add the package: `CVE-…-openssl`).
fn named_id(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        l.trim()
            .strip_prefix("Vulnerability ")
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_string)
    })
}

/// A CVSS score as a severity (the `security-severity` property).
fn from_score(s: f64) -> Severity {
    if s >= 9.0 {
        Severity::Critical
    } else if s >= 7.0 {
        Severity::High
    } else if s >= 4.0 {
        Severity::Medium
    } else if s > 0.0 {
        Severity::Low
    } else {
        Severity::Unknown
    }
}

fn sarif(file: &str, runs: Vec<SarifRun>) -> Result<Parsed, String> {
    let mut out = Parsed {
        format: "sarif",
        targets: Vec::new(),
        vulns: Vec::new(),
    };
    for run in runs {
        let driver = run.tool.driver.name.to_ascii_lowercase();
        let format = if driver.contains("trivy") {
            "trivy-sarif"
        } else if driver.contains("grype") {
            "grype-sarif"
        } else {
            return Err(format!(
                "SARIF from {:?}, not from Trivy or Grype; {EXPECTED}",
                run.tool.driver.name
            ));
        };
        out.format = format;
        let image = run
            .properties
            .as_ref()
            .and_then(|p| p.get("imageName"))
            .and_then(Value::as_str)
            .map(str::to_string);
        // A filesystem or repository scan: Trivy's ROOTPATH.
        let root = run
            .original_uri_base_ids
            .as_ref()
            .and_then(|b| b.pointer("/ROOTPATH/uri"))
            .and_then(Value::as_str)
            .map(|u| {
                let p = u.strip_prefix("file://").unwrap_or(u);
                let p = p.trim_end_matches('/');
                if p.is_empty() {
                    "/".to_string()
                } else {
                    p.to_string()
                }
            });
        let run_target = image.clone().or(root);
        if let Some(t) = &run_target {
            push_target(&mut out.targets, t);
        }
        for r in run.results {
            let rule = r
                .rule_index
                .and_then(|i| run.tool.driver.rules.get(i))
                .filter(|x| Some(&x.id) == r.rule_id.as_ref())
                .or_else(|| {
                    run.tool
                        .driver
                        .rules
                        .iter()
                        .find(|x| Some(&x.id) == r.rule_id.as_ref())
                });
            let help = rule
                .and_then(|x| x.help.as_ref())
                .and_then(|h| h.text.as_deref())
                .unwrap_or("");
            let msg = r.message.text.as_deref().unwrap_or("");
            let id = named_id(help)
                .or_else(|| named_id(msg))
                .or_else(|| r.rule_id.clone())
                .unwrap_or_default();
            // The severity the scanner gave: Trivy's tag, the help text's
            // `Severity:` line, else the `security-severity` score.
            let props = rule.and_then(|x| x.properties.as_ref());
            let tag_sev = props
                .and_then(|p| p.get("tags"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(Severity::parse)
                .find(|s| *s != Severity::Unknown);
            let severity = tag_sev
                .or_else(|| field(help, "Severity").map(Severity::parse))
                .or_else(|| {
                    props
                        .and_then(|p| p.get("security-severity"))
                        .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_f64()))
                        .map(from_score)
                })
                .unwrap_or(Severity::Unknown);
            let package = field(msg, "Package")
                .or_else(|| field(help, "Package"))
                .unwrap_or("")
                .to_string();
            let installed = field(msg, "Installed Version")
                .or_else(|| field(help, "Version"))
                .or_else(|| field(help, "Installed Version"))
                .unwrap_or("")
                .to_string();
            let fixed = field(msg, "Fixed Version")
                .or_else(|| field(help, "Fixed Version"))
                .or_else(|| field(help, "Fix Version"))
                .filter(|f| !f.eq_ignore_ascii_case("none") && !f.eq_ignore_ascii_case("unknown"))
                .map(str::to_string);
            // Grype names the image in the logical location:
            // `alpine:3.18@sha256:…:/lib/apk/db/installed`.
            let grype_target = r
                .locations
                .first()
                .and_then(|l| l.pointer("/logicalLocations/0/fullyQualifiedName"))
                .and_then(Value::as_str)
                .and_then(|q| q.split_once('@'))
                .map(|(image, _)| image.to_string())
                .filter(|i| !i.is_empty());
            let path = r
                .locations
                .first()
                .and_then(|l| l.pointer("/physicalLocation/artifactLocation/uri"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let target = run_target
                .clone()
                .or(grype_target)
                .or_else(|| path.clone())
                .unwrap_or_else(|| file.to_string());
            push_target(&mut out.targets, &target);
            if id.is_empty() {
                continue;
            }
            out.vulns.push(Vuln {
                target,
                id,
                aliases: Vec::new(),
                severity,
                package,
                installed,
                fixed,
                kind: field(help, "Type").map(str::to_string),
                path,
                first_observed: None,
                title: rule
                    .and_then(|x| x.short.as_ref())
                    .and_then(|s| s.text.clone()),
                url: rule.and_then(|x| x.help_uri.clone()),
                scanners: vec![format],
            });
        }
    }
    if out.targets.is_empty() {
        out.targets.push(file.to_string());
    }
    Ok(out)
}

// ---------------------------------------------------------------- Inspector

#[derive(Deserialize, Default)]
#[serde(default)]
struct InspectorFinding {
    #[serde(rename = "findingArn")]
    finding_arn: Option<String>,
    severity: Option<String>,
    status: Option<String>,
    title: Option<String>,
    #[serde(rename = "firstObservedAt")]
    first_observed_at: Option<Value>,
    #[serde(rename = "fixAvailable")]
    fix_available: Option<String>,
    resources: Vec<InspectorResource>,
    #[serde(rename = "packageVulnerabilityDetails")]
    package_vulnerability_details: Option<InspectorDetails>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InspectorResource {
    id: Option<String>,
    region: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    details: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InspectorDetails {
    #[serde(rename = "vulnerabilityId")]
    vulnerability_id: String,
    #[serde(rename = "vulnerablePackages")]
    packages: Vec<InspectorPackage>,
    #[serde(rename = "sourceUrl")]
    source_url: Option<String>,
    #[serde(rename = "relatedVulnerabilities")]
    related: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InspectorPackage {
    name: String,
    version: String,
    release: Option<String>,
    #[serde(rename = "fixedInVersion")]
    fixed_in_version: Option<String>,
    #[serde(rename = "packageManager")]
    package_manager: Option<String>,
    #[serde(rename = "filePath")]
    file_path: Option<String>,
}

/// Inspector's severities: `CRITICAL`, `HIGH`, `MEDIUM`, `LOW`,
/// `INFORMATIONAL`, `UNTRIAGED`.
fn inspector_severity(s: Option<&str>) -> Severity {
    match s.map(str::to_ascii_uppercase).as_deref() {
        Some("INFORMATIONAL") => Severity::Negligible,
        Some("UNTRIAGED") | None => Severity::Unknown,
        Some(x) => Severity::parse(x),
    }
}

/// The image (`repository:tag` or `repository@digest`) of an ECR finding,
/// else the resource id (an instance id, a function ARN).
fn inspector_target(r: &InspectorResource) -> Option<String> {
    let ecr = r
        .details
        .as_ref()
        .and_then(|d| d.get("awsEcrContainerImage"));
    if let Some(e) = ecr {
        let repo = e.get("repositoryName").and_then(Value::as_str);
        let registry = e.get("registry").and_then(Value::as_str);
        let tag = e
            .get("imageTags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str);
        let hash = e.get("imageHash").and_then(Value::as_str);
        if let Some(repo) = repo {
            // The image reference a pipeline would scan:
            // `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG`.
            let prefix = match (registry, r.region.as_deref()) {
                (Some(a), Some(region)) => format!("{a}.dkr.ecr.{region}.amazonaws.com/"),
                (Some(a), None) => format!("{a}/"),
                _ => String::new(),
            };
            return Some(match (tag, hash) {
                (Some(t), _) => format!("{prefix}{repo}:{t}"),
                (None, Some(h)) => format!("{prefix}{repo}@{h}"),
                _ => format!("{prefix}{repo}"),
            });
        }
    }
    r.id.clone()
}

fn inspector(file: &str, findings: Vec<InspectorFinding>) -> Parsed {
    let mut out = Parsed {
        format: "inspector",
        targets: Vec::new(),
        vulns: Vec::new(),
    };
    for f in findings {
        let target = f
            .resources
            .first()
            .and_then(inspector_target)
            .unwrap_or_else(|| file.to_string());
        push_target(&mut out.targets, &target);
        // Closed and suppressed findings are no longer present.
        if f.status.as_deref().is_some_and(|s| s != "ACTIVE") {
            continue;
        }
        let Some(d) = f.package_vulnerability_details else {
            continue;
        };
        let first = f.first_observed_at.as_ref().and_then(|v| match v {
            Value::String(s) => parse_time(s),
            Value::Number(n) => n.as_f64().map(|x| x as i64),
            _ => None,
        });
        let kind = f.resources.first().and_then(|r| r.kind.clone());
        let (id, aliases) = prefer_cve(d.vulnerability_id, d.related.into_iter());
        for p in d.packages {
            let installed = match &p.release {
                Some(r) if !r.is_empty() => format!("{}-{r}", p.version),
                _ => p.version.clone(),
            };
            let fixed = p
                .fixed_in_version
                .filter(|v| !v.is_empty() && v != "NotAvailable")
                .or_else(|| {
                    // `fixAvailable` YES without a version: a fix exists.
                    (f.fix_available.as_deref() == Some("YES")).then(|| "available".to_string())
                });
            out.vulns.push(Vuln {
                target: target.clone(),
                id: id.clone(),
                aliases: aliases.clone(),
                severity: inspector_severity(f.severity.as_deref()),
                package: p.name,
                installed,
                fixed,
                kind: p.package_manager.or(kind.clone()),
                path: p.file_path,
                first_observed: first,
                title: f.title.clone(),
                url: d.source_url.clone(),
                scanners: vec!["inspector"],
            });
        }
    }
    if out.targets.is_empty() {
        out.targets.push(file.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sarif_text_fields() {
        let help =
            "Vulnerability CVE-2024-1\nSeverity: HIGH\nPackage: openssl\nFixed Version: 3.1\n";
        assert_eq!(field(help, "Severity"), Some("HIGH"));
        assert_eq!(field(help, "Package"), Some("openssl"));
        assert_eq!(field(help, "Fixed Version"), Some("3.1"));
        assert_eq!(field(help, "Version"), None);
        assert_eq!(from_score(9.8), Severity::Critical);
        assert_eq!(from_score(7.5), Severity::High);
        assert_eq!(from_score(0.0), Severity::Unknown);
    }

    #[test]
    fn a_ghsa_with_one_cve_is_named_by_the_cve() {
        let (id, al) = prefer_cve("GHSA-x".into(), ["CVE-1".to_string()].into_iter());
        assert_eq!((id.as_str(), al), ("CVE-1", vec!["GHSA-x".to_string()]));
        let (id, _) = prefer_cve(
            "GHSA-x".into(),
            ["CVE-1".to_string(), "CVE-2".to_string()].into_iter(),
        );
        assert_eq!(id, "GHSA-x");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            " ",
            "[",
            "{",
            "[]",
            "{}",
            "null",
            "1",
            "[1]",
            "[{}]",
            "{\"runs\": 1}",
            "{\"matches\": [], \"source\": 1}",
            "{\"findings\": [1]}",
            "\u{feff}{}",
            "{\"SchemaVersion\": 2, \"Results\": null}",
        ] {
            let _ = parse("f", s.as_bytes());
        }
    }
}
