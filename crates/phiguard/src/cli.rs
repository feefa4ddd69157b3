use clap::{Args, Parser, Subcommand, ValueEnum};
use phiguard_iac::LoadOptions;
use phiguard_report::{Format, Problem, Report, Style};
use phiguard_rules::{Config, Outcome, RunOptions, Scope, Severity, registry};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// phiguard: the HIPAA baseline for AWS, checked before deploy.
///
/// One rule catalogue (16 controls of the HIPAA Security Rule) judges
/// CloudFormation templates and Terraform plans and states. Exit codes: 0 nothing fails at or above
/// --fail-on; 1 something does; 2 the command could not run (bad arguments,
/// unreadable or malformed input).
#[derive(Parser, Debug)]
#[command(name = "phiguard", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Judge CloudFormation templates and Terraform plans and states (files or
    /// directories, recursive).
    ///
    /// Templates and `terraform show -json` output (of a plan file, or of the
    /// state) are recognised by their content; other YAML/JSON files are
    /// skipped and counted. All templates given form one estate: a VPC in one
    /// template and its flow log in another are joined, also through
    /// Export/Fn::ImportValue. Each Terraform plan or state is joined within
    /// itself, through the references of its configuration. The `.tf` files
    /// of a directory are read as one Terraform module, before any plan.
    Check(CheckArgs),
    /// List the rule catalogue: id, control, severity, sources, title.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show a rule's full documentation.
    Explain {
        /// A rule id, e.g. ENC-2.
        id: String,
    },
    /// Audit the live AWS organization (or one account), read-only: every
    /// account, every approved region.
    ///
    /// Credentials come from the AWS default chain (environment, profiles,
    /// SSO, web identity, instance metadata) or --profile. When the caller can
    /// read AWS Organizations, every active account is audited through the
    /// role --role-name, which policy/phiguard-audit-role.yaml creates in each
    /// member account; otherwise the caller's account alone. Only
    /// List/Describe/Get calls are made (policy/phiguard-audit-policy.json
    /// lists them all). What cannot be read (access denied, a service not
    /// enabled, a timeout) is listed under collection errors, and the rules
    /// that needed it report unknown, never pass. Exit codes as for check;
    /// 2 when nothing could be read at all (no credentials).
    #[cfg(feature = "aws")]
    Audit(crate::audit::AuditArgs),
    /// Join the JSON reports of `audit --shard i/n` runs into one report.
    ///
    /// Findings and collection errors of every shard are kept; an
    /// organization-wide finding that several shards made (ORG-1, ORG-2, ...)
    /// is kept once. The exit code is computed over the merged findings.
    Merge(crate::merge::MergeArgs),
    /// Write a commented phiguard.toml with every key a generated baseline
    /// needs (never overwrites an existing file).
    Init(crate::init::InitArgs),
    /// Write the HIPAA baseline as CloudFormation templates from phiguard.toml,
    /// with a README.md giving the deployment order and the exact commands.
    ///
    /// The same phiguard.toml always gives byte-identical files. The templates
    /// pass `phiguard check --complete` and cfn-lint. A missing or invalid
    /// value is reported with its key and line (exit 2), and nothing is written.
    Generate(crate::generate::GenerateArgs),
    /// Write the incident-response runbooks (runbooks.md and one printable,
    /// self-contained runbooks.html), filled with phiguard.toml's accounts,
    /// regions, vaults, security groups and contacts.
    Runbooks(crate::generate::RunbooksArgs),
    /// Gate a deploy on vulnerability scanner reports (Trivy, Grype, SARIF,
    /// Inspector), and track each finding against its patch SLA.
    ///
    /// Reports are recognised by content; the same vulnerability in the same
    /// package and target counts once. Policy comes from `[cve]` in
    /// phiguard.toml (blocking severities, SLAs, waivers). The history store
    /// keeps when each finding was first seen, so ages survive across runs
    /// and machines; a finding absent from a later scan of its target is
    /// closed, and --stats reports time to remediate. Exit codes: 0 pass; 1 a
    /// finding fails the gate (--mode block: a blocking finding; --mode sla:
    /// a finding past its SLA); 2 a report could not be read (the others are
    /// still judged and reported).
    CveGate(crate::cve_gate::CveGateArgs),
    /// List the scans recorded in the history store, most recent first.
    History(crate::history::HistoryArgs),
    /// Compare two recorded scans: new, fixed and still-failing findings.
    ///
    /// With no ids, the last two scans of the same scope (that of the latest
    /// scan, or --scope). Exit codes: 0 nothing newly fails; 1 the newer scan
    /// has failures the older did not; 2 the comparison could not run.
    Diff(crate::history::DiffArgs),
    /// Write a recorded scan as an evidence pack an auditor can verify, or
    /// verify one (`phiguard evidence verify DIR`).
    ///
    /// The pack holds the scan's reports (JSON, HTML, text), its record in
    /// the history store (time, command, scope, inputs, tool version, the
    /// configuration's SHA-256) and a manifest with the SHA-256 of every
    /// file; the digest printed at the end (the manifest's SHA-256) is what
    /// to keep apart from the pack. `check --evidence DIR` and `audit
    /// --evidence DIR` write the pack of the scan they run, with the
    /// configuration and the inventory that was judged too. --upload stores
    /// the pack in S3 under Object Lock.
    Evidence(crate::evidence::EvidenceArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Templates or directories to judge.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, short = 'f', default_value = "text", value_parser = Format::NAMES.to_vec())]
    format: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when something fails at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "high",
          value_parser = ["critical", "high", "medium", "low", "info"])]
    fail_on: String,
    /// The configuration file [default: ./phiguard.toml when it exists].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The paths are the whole baseline: fail estate-wide rules whose subject
    /// is absent (no organization trail, no GuardDuty detector, ...).
    #[arg(long)]
    complete: bool,
    /// Only these rules (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// List passing findings one by one in the text report.
    #[arg(long, short)]
    verbose: bool,
    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Largest file read, in MB.
    #[arg(long, value_name = "MB", default_value_t = 20)]
    max_file_mb: u64,
    #[command(flatten)]
    store: crate::history::StoreArgs,
    /// Also write this scan's evidence pack (reports, configuration, the
    /// inventory that was judged, a SHA-256 manifest) to DIR, new or empty.
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
}

pub fn run() -> Result<u8, String> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(code);
        }
    };
    match cli.command {
        Command::Check(a) => check(a),
        #[cfg(feature = "aws")]
        Command::Audit(a) => crate::audit::run(a),
        Command::Merge(a) => crate::merge::run(a),
        Command::Init(a) => crate::init::run(a),
        Command::Generate(a) => crate::generate::run(a),
        Command::Runbooks(a) => crate::generate::runbooks(a),
        Command::CveGate(a) => crate::cve_gate::run(a),
        Command::History(a) => crate::history::history(a),
        Command::Diff(a) => crate::history::diff(a),
        Command::Evidence(a) => crate::evidence::run(a),
        Command::Rules { format } => {
            print!("{}", rules_listing(format));
            Ok(0)
        }
        Command::Explain { id } => match registry::find(&id) {
            Some(r) => {
                print!("{}", explain(r));
                Ok(0)
            }
            None => Err(format!("no rule {id:?}; `phiguard rules` lists them")),
        },
    }
}

fn rules_listing(format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let v: Vec<_> = registry::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "control": r.control.number(),
                        "control_title": r.control.title(),
                        "severity": r.severity.name(),
                        "sources": r.source_letters(),
                        "scope": match r.scope { Scope::Resource => "resource", Scope::Estate => "estate" },
                        "title": r.title,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        ListFormat::Text => {
            let mut s = format!(
                "{:<7} {:<3} {:<9} {:<7} {}\n",
                "ID", "CTL", "SEVERITY", "SOURCES", "TITLE"
            );
            for r in registry::RULES {
                s += &format!(
                    "{:<7} {:<3} {:<9} {:<7} {}\n",
                    r.id,
                    r.control.number(),
                    r.severity.name(),
                    r.source_letters(),
                    r.title
                );
            }
            s
        }
    }
}

fn explain(r: &phiguard_rules::Rule) -> String {
    let doc: String = r
        .doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "{} — {}\n\nControl {} · {} ({}), HIPAA {}\nSeverity: {}   Sources: {}   Scope: {}\n\n{}\n\n### Remediation\n{}\n",
        r.id,
        r.title,
        r.control.number(),
        r.control.title(),
        r.control.area(),
        r.control.citations().join(", "),
        r.severity.name(),
        r.source_letters(),
        match r.scope {
            Scope::Resource => "each resource",
            Scope::Estate => "the estate as a whole",
        },
        doc.trim(),
        r.remediation
    )
}

pub(crate) fn load_config(path: Option<&PathBuf>) -> Result<Config, String> {
    let (path, required) = match path {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from("phiguard.toml"), false),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Today (UTC) as YYYY-MM-DD.
pub(crate) fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

fn check(a: CheckArgs) -> Result<u8, String> {
    let cfg = load_config(a.config.as_ref())?;
    for id in &a.rules {
        if registry::find(id).is_none() {
            return Err(format!("no rule {id:?}; `phiguard rules` lists them"));
        }
    }
    let format =
        Format::parse(&a.format).ok_or_else(|| format!("unknown format {:?}", a.format))?;
    let fail_on =
        Severity::parse(&a.fail_on).ok_or_else(|| format!("unknown severity {:?}", a.fail_on))?;
    let opts = LoadOptions {
        max_file_bytes: a.max_file_mb.saturating_mul(1024 * 1024),
    };
    let loaded = phiguard_iac::load(&a.paths, &opts);
    for n in &loaded.notes {
        eprintln!("phiguard: note: {n}");
    }
    let run = RunOptions {
        complete: a.complete,
        today: today(),
        only: a.rules.clone(),
        now_epoch: None,
    };
    let without = loaded
        .without_undecided
        .as_ref()
        .map(|(inv, names)| (inv, names.as_slice()));
    let mut findings = phiguard_rules::run_undecided(&loaded.inventory, without, &cfg, &run);
    let explicit_store = crate::history::explicit(&a.store);
    let mut store = crate::history::open(&a.store, false)?;
    let scope = crate::history::check_scope(&a.paths);
    crate::history::annotate(&mut store, explicit_store, &scope, &mut findings)?;
    let summary = phiguard_rules::summarize(&findings);
    let stale_waivers = phiguard_rules::stale_waivers(&findings, &loaded.inventory, &cfg);
    let not_judged = if a.complete {
        vec![]
    } else {
        registry::RULES
            .iter()
            .filter(|r| {
                r.scope == Scope::Estate
                    && (r.claims(phiguard_model::SourceKind::CloudFormation)
                        || (loaded
                            .inventory
                            .sources()
                            .contains(&phiguard_model::SourceKind::Terraform)
                            && r.claims(phiguard_model::SourceKind::Terraform)))
            })
            .filter(|r| a.rules.is_empty() || a.rules.iter().any(|x| x.eq_ignore_ascii_case(r.id)))
            .map(|r| r.id)
            .collect()
    };
    let problems: Vec<Problem> = loaded
        .errors
        .iter()
        .map(|e| Problem {
            file: e.file.clone(),
            line: e.line,
            column: e.column,
            message: e.message.clone(),
        })
        .collect();
    let failing = findings
        .iter()
        .any(|f| f.outcome == Outcome::Fail && f.severity >= fail_on);
    let report = Report {
        tool: "phiguard",
        version: env!("CARGO_PKG_VERSION"),
        command: "check".into(),
        inputs: loaded.templates.clone(),
        skipped: loaded.skipped.clone(),
        complete: a.complete,
        findings,
        problems,
        collection_errors: Vec::new(),
        summary,
        not_judged,
        stale_waivers,
    };
    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let color = match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = phiguard_report::render(
        format,
        &report,
        Style {
            color,
            verbose: a.verbose,
        },
    );
    match &a.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
        }
    }
    for e in &loaded.errors {
        eprintln!("phiguard: input error: {e}");
    }
    let now = crate::history::now();
    let scan_id = crate::history::record(&mut store, explicit_store, &scope, &report, &cfg, now)?;
    if let Some(dir) = &a.evidence {
        crate::evidence::at_scan(
            dir,
            &report,
            a.config.as_ref(),
            &cfg,
            &loaded.inventory,
            scan_id,
            now,
        )?;
    }
    if loaded.templates.is_empty() && loaded.errors.is_empty() {
        eprintln!(
            "phiguard: no CloudFormation template or Terraform plan or state found under {}",
            a.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let code = if !loaded.errors.is_empty() {
        2
    } else if failing {
        1
    } else {
        0
    };
    // The process ends right after this: the system takes the memory back
    // at once, where freeing the estate and the report piece by piece would
    // cost a large run a noticeable share of its time on one core.
    std::mem::forget((loaded, report, text));
    Ok(code)
}

/// Writes a rendered report to FILE or stdout.
pub(crate) fn emit(
    report: &Report,
    format: Format,
    output: Option<&PathBuf>,
    color: ColorChoice,
    verbose: bool,
) -> Result<(), String> {
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = phiguard_report::render(format, report, Style { color, verbose });
    match output {
        Some(path) => std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            Ok(())
        }
    }
}
