//! The gate's report in text, JSON, SARIF 2.1.0, JUnit XML and Markdown,
//! grouped by target, each finding with its age, SLA and time left or
//! overdue. Everything taken from a report (names, titles) is escaped for
//! the format it goes into.

use crate::{Gate, Judged, Severity, SeverityStats, WaiverState, format_time, human};
use serde_json::{Value, json};

/// The formats of `cve-gate --format`.
pub const FORMATS: &[&str] = &["text", "json", "sarif", "junit", "markdown"];

pub fn render(format: &str, g: &Gate) -> String {
    match format {
        "json" => to_json(g),
        "sarif" => sarif(g),
        "junit" => junit(g),
        "markdown" => markdown(g),
        _ => text(g),
    }
}

/// Control characters out, so that a hostile name cannot drive a terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The findings of each target, targets in order, with no-finding targets too.
fn by_target(g: &Gate) -> Vec<(&str, Vec<&Judged>)> {
    let mut targets: Vec<&str> = g.targets.iter().map(String::as_str).collect();
    for j in &g.findings {
        if !targets.contains(&j.vuln.target.as_str()) {
            targets.push(&j.vuln.target);
        }
    }
    targets.sort();
    targets
        .into_iter()
        .map(|t| {
            let mut v: Vec<&Judged> = g.findings.iter().filter(|j| j.vuln.target == t).collect();
            v.sort_by(|a, b| {
                (!a.fails, a.vuln.severity, a.time_left(), &a.vuln.id).cmp(&(
                    !b.fails,
                    b.vuln.severity,
                    b.time_left(),
                    &b.vuln.id,
                ))
            });
            (t, v)
        })
        .collect()
}

fn status(j: &Judged) -> &'static str {
    match (&j.waiver, j.blocks, j.past_sla) {
        (Some(WaiverState::Active(_)), _, _) => "waived",
        (_, true, true) => "blocks, past SLA",
        (_, true, false) => "blocks",
        (_, false, true) => "past SLA",
        _ => "ok",
    }
}

fn sla_cell(j: &Judged) -> String {
    match (j.sla, j.time_left()) {
        (Some(s), Some(l)) if l < 0 => format!("{} (overdue {})", human(s), human(-l)),
        (Some(s), Some(l)) => format!("{} ({} left)", human(s), human(l)),
        _ => "none".into(),
    }
}

fn verdict(g: &Gate) -> &'static str {
    match g.exit_code() {
        0 => "PASS",
        1 => "FAIL",
        _ => "ERROR",
    }
}

fn headline(g: &Gate) -> String {
    format!(
        "{} findings in {} target(s): {} block, {} past SLA, {} waived (mode {})",
        g.findings.len(),
        by_target(g).len(),
        g.count(|j| j.blocks),
        g.count(|j| j.past_sla),
        g.count(|j| matches!(j.waiver, Some(WaiverState::Active(_)))),
        g.mode.name()
    )
}

pub fn text(g: &Gate) -> String {
    let mut s = format!("phiguard cve-gate: {} — {}\n", verdict(g), headline(g));
    for (t, js) in by_target(g) {
        s += &format!("\n{}\n", clean(t));
        if js.is_empty() {
            s += "  no vulnerabilities\n";
        }
        for j in js {
            let fix = j
                .vuln
                .fixed
                .as_deref()
                .map_or("no fix".to_string(), |f| format!("fix {}", clean(f)));
            s += &format!(
                "  {:<10} {:<20} {} {} ({})  age {}  SLA {}  {}\n",
                j.vuln.severity.name().to_uppercase(),
                clean(&j.vuln.id),
                clean(&j.vuln.package),
                clean(&j.vuln.installed),
                fix,
                human(j.age),
                sla_cell(j),
                status(j).to_uppercase(),
            );
            match &j.waiver {
                Some(WaiverState::Active(w)) | Some(WaiverState::Expired(w)) => {
                    s += &format!("             {}\n", clean(w))
                }
                None => {}
            }
        }
    }
    for p in &g.problems {
        s += &format!("\nerror: {}: {}\n", clean(&p.file), clean(&p.message));
    }
    for n in &g.notes {
        s += &format!("\nnote: {}\n", clean(n));
    }
    s
}

fn finding_json(j: &Judged, g: &Gate) -> Value {
    json!({
        "id": j.vuln.id,
        "aliases": j.vuln.aliases,
        "severity": j.vuln.severity.name(),
        "package": j.vuln.package,
        "installed_version": j.vuln.installed,
        "fixed_version": j.vuln.fixed,
        "package_type": j.vuln.kind,
        "path": j.vuln.path,
        "title": j.vuln.title,
        "url": j.vuln.url,
        "scanners": j.vuln.scanners,
        "first_seen": format_time(j.first_seen),
        "age_seconds": j.age,
        "sla_seconds": j.sla,
        "time_left_seconds": j.time_left(),
        "blocks": j.blocks,
        "past_sla": j.past_sla,
        "fails": j.fails,
        "status": status(j),
        "waiver": match &j.waiver { Some(WaiverState::Active(w)) | Some(WaiverState::Expired(w)) => Some(w), None => None },
        "reason": j.reason(g.mode),
    })
}

pub fn to_json(g: &Gate) -> String {
    let by_sev: serde_json::Map<String, Value> = Severity::ALL
        .iter()
        .map(|s| {
            (
                s.name().to_string(),
                json!(g.count(|j| j.vuln.severity == *s)),
            )
        })
        .collect();
    let doc = json!({
        "schema_version": 1,
        "tool": { "name": "phiguard", "version": g.version },
        "command": "cve-gate",
        "mode": g.mode.name(),
        "time": format_time(g.now),
        "result": verdict(g).to_ascii_lowercase(),
        "store": g.store,
        "inputs": g.inputs.iter().map(|i| json!({
            "file": i.file, "format": i.format, "targets": i.targets, "vulnerabilities": i.vulnerabilities,
        })).collect::<Vec<_>>(),
        "problems": g.problems.iter().map(|p| json!({"file": p.file, "message": p.message})).collect::<Vec<_>>(),
        "summary": {
            "findings": g.findings.len(),
            "blocking": g.count(|j| j.blocks),
            "past_sla": g.count(|j| j.past_sla),
            "waived": g.count(|j| matches!(j.waiver, Some(WaiverState::Active(_)))),
            "failing": g.count(|j| j.fails),
            "by_severity": by_sev,
        },
        "targets": by_target(g).into_iter().map(|(t, js)| json!({
            "target": t,
            "findings": js.into_iter().map(|j| finding_json(j, g)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "notes": g.notes,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn sarif_level(j: &Judged) -> &'static str {
    if j.fails {
        "error"
    } else if j.blocks || j.past_sla {
        "warning"
    } else {
        "note"
    }
}

fn score(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Negligible | Severity::Unknown => "0.0",
    }
}

pub fn sarif(g: &Gate) -> String {
    let mut ids: Vec<(&str, Severity, Option<&str>, Option<&str>)> = Vec::new();
    for j in &g.findings {
        if !ids.iter().any(|r| r.0 == j.vuln.id) {
            ids.push((
                &j.vuln.id,
                j.vuln.severity,
                j.vuln.title.as_deref(),
                j.vuln.url.as_deref(),
            ));
        }
    }
    let rules: Vec<Value> = ids
        .iter()
        .map(|(id, sev, title, url)| {
            let mut r = json!({
                "id": id,
                "shortDescription": { "text": title.unwrap_or(id) },
                "properties": { "security-severity": score(*sev), "tags": ["security", "vulnerability", sev.name()] },
            });
            if let Some(u) = url.filter(|u| u.starts_with("http")) {
                r["helpUri"] = json!(u);
            }
            r
        })
        .collect();
    let results: Vec<Value> = g
        .findings
        .iter()
        .map(|j| {
            let idx = ids.iter().position(|r| r.0 == j.vuln.id).unwrap_or(0);
            let mut r = json!({
                "ruleId": j.vuln.id,
                "ruleIndex": idx,
                "kind": "fail",
                "level": sarif_level(j),
                "message": { "text": format!("{} in {} {} ({}): {}", j.vuln.id, j.vuln.package, j.vuln.installed, j.vuln.target, j.reason(g.mode)) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": j.vuln.path.clone().unwrap_or_else(|| j.vuln.target.clone()) } },
                    "logicalLocations": [{ "name": j.vuln.package, "fullyQualifiedName": format!("{}/{}", j.vuln.target, j.vuln.package), "kind": "module" }],
                }],
                "properties": {
                    "target": j.vuln.target,
                    "firstSeen": format_time(j.first_seen),
                    "ageSeconds": j.age,
                    "slaSeconds": j.sla,
                    "timeLeftSeconds": j.time_left(),
                    "fixedVersion": j.vuln.fixed,
                },
            });
            if let Some(WaiverState::Active(w)) = &j.waiver {
                r["suppressions"] = json!([{ "kind": "external", "status": "accepted", "justification": w }]);
            }
            r
        })
        .collect();
    let notifications: Vec<Value> = g
        .problems
        .iter()
        .map(|p| json!({ "level": "error", "message": { "text": format!("{}: {}", p.file, p.message) } }))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "phiguard",
                "version": g.version,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": g.problems.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

pub fn junit(g: &Gate) -> String {
    let groups = by_target(g);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"phiguard cve-gate\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        g.findings.len(),
        g.count(|j| j.fails),
        g.problems.len()
    );
    for (t, js) in groups {
        s += &format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
            xml(t),
            js.len(),
            js.iter().filter(|j| j.fails).count(),
            js.iter()
                .filter(|j| matches!(j.waiver, Some(WaiverState::Active(_))))
                .count(),
        );
        for j in js {
            s += &format!(
                "    <testcase classname=\"{}\" name=\"{} {} {}\">\n",
                xml(t),
                xml(&j.vuln.id),
                xml(&j.vuln.package),
                xml(&j.vuln.installed)
            );
            let body = format!(
                "{} age {}, SLA {}: {}",
                j.vuln.severity.name(),
                human(j.age),
                sla_cell(j),
                j.reason(g.mode)
            );
            if j.fails {
                s += &format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    j.vuln.severity.name(),
                    xml(&j.reason(g.mode)),
                    xml(&body)
                );
            } else if let Some(WaiverState::Active(w)) = &j.waiver {
                s += &format!("      <skipped message=\"{}\"/>\n", xml(w));
            } else {
                s += &format!("      <system-out>{}</system-out>\n", xml(&body));
            }
            s += "    </testcase>\n";
        }
        s += "  </testsuite>\n";
    }
    if !g.problems.is_empty() {
        s += &format!(
            "  <testsuite name=\"inputs\" tests=\"{n}\" failures=\"0\" errors=\"{n}\">\n",
            n = g.problems.len()
        );
        for p in &g.problems {
            s += &format!(
                "    <testcase classname=\"inputs\" name=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
                xml(&p.file),
                xml(&p.message)
            );
        }
        s += "  </testsuite>\n";
    }
    s + "</testsuites>\n"
}

/// Markdown table cells: pipes, HTML and line breaks escaped.
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' => {
                o.push('\\');
                o.push(c)
            }
            '\n' | '\r' => o.push(' '),
            c if c.is_control() => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

pub fn markdown(g: &Gate) -> String {
    let mut s = format!("## phiguard cve-gate: {}\n\n{}\n", verdict(g), headline(g));
    for (t, js) in by_target(g) {
        s += &format!("\n### {}\n\n", md(t));
        if js.is_empty() {
            s += "No vulnerabilities.\n";
            continue;
        }
        s += "| Severity | Vulnerability | Package | Installed | Fixed | Age | SLA | Status |\n|---|---|---|---|---|---|---|---|\n";
        for j in js {
            s += &format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                j.vuln.severity.name(),
                md(&j.vuln.id),
                md(&j.vuln.package),
                md(&j.vuln.installed),
                j.vuln.fixed.as_deref().map_or("none".into(), md),
                human(j.age),
                sla_cell(j),
                match &j.waiver {
                    Some(WaiverState::Active(w)) => format!("waived: {}", md(w)),
                    Some(WaiverState::Expired(w)) => format!("{} ({})", status(j), md(w)),
                    None => status(j).to_string(),
                }
            );
        }
    }
    if !g.problems.is_empty() {
        s += "\n### Inputs that could not be read\n\n";
        for p in &g.problems {
            s += &format!("- {}: {}\n", md(&p.file), md(&p.message));
        }
    }
    s
}

/// `--stats` as text or JSON.
pub fn stats(format: &str, st: &[SeverityStats], store: &str, now: i64) -> String {
    let opt = |v: Option<i64>| v.map_or("-".to_string(), human);
    if format == "json" {
        let rows: Vec<Value> = st
            .iter()
            .map(|s| {
                json!({
                    "severity": s.severity.name(),
                    "sla_seconds": s.sla,
                    "closed": s.closed,
                    "mean_time_to_remediate_seconds": s.mean,
                    "p90_time_to_remediate_seconds": s.p90,
                    "closed_past_sla": s.closed_late,
                    "open": s.open,
                    "open_past_sla": s.open_past_sla,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&json!({
            "tool": "phiguard", "command": "cve-gate --stats", "time": format_time(now), "store": store, "severities": rows,
        }))
        .unwrap_or_default()
            + "\n";
    }
    let mut s = format!(
        "Time to remediate, from {store}, at {}\n\n{:<11} {:>7} {:>7} {:>9} {:>9} {:>11} {:>6} {:>13}\n",
        format_time(now),
        "SEVERITY",
        "SLA",
        "CLOSED",
        "MEAN",
        "P90",
        "CLOSED LATE",
        "OPEN",
        "OPEN PAST SLA"
    );
    for r in st {
        s += &format!(
            "{:<11} {:>7} {:>7} {:>9} {:>9} {:>11} {:>6} {:>13}\n",
            r.severity.name(),
            opt(r.sla),
            r.closed,
            opt(r.mean.map(|m| m.round() as i64)),
            opt(r.p90),
            r.closed_late,
            r.open,
            r.open_past_sla
        );
    }
    s
}
