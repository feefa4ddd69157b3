//! `phiguard audit`: the live organization through the AWS APIs.

use crate::cli::{ColorChoice, emit, load_config, today};
use clap::{Args, ValueEnum};
use phiguard_aws::{AuditOptions, Regions};
use phiguard_model::Inventory;
use phiguard_report::{CollectionError, Format, Problem, Report};
use phiguard_rules::{Outcome, RunOptions, Severity, registry};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ProgressChoice {
    /// On stderr when it is a terminal.
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The AWS profile to start from [default: the default credential chain].
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The home region, for global services and STS [default: the profile's, else us-east-1].
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Regions to audit: a comma-separated list, or `all` for every region
    /// enabled for the account [default: `regions.approved` of phiguard.toml].
    #[arg(long, value_name = "LIST|all")]
    regions: Option<String>,
    /// The role assumed in each member account.
    #[arg(long, value_name = "NAME", default_value = "PhiguardAudit")]
    role_name: String,
    /// The external id the role's trust policy requires.
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// Audit only these accounts (comma-separated ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    accounts: Vec<String>,
    /// Audit the i-th of n stable shards of the organization's accounts
    /// (1-based), e.g. `--shard 3/8`; join the shards' JSON reports with
    /// `phiguard merge`.
    #[arg(long, value_name = "i/n")]
    shard: Option<String>,
    /// Send every call to this endpoint (an AWS API emulator, or a proxy).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Calls in flight across the whole audit.
    #[arg(long, value_name = "N", default_value_t = 64)]
    concurrency: usize,
    /// Calls in flight within one account (AWS throttles per account and region).
    #[arg(long, value_name = "N", default_value_t = 16)]
    account_concurrency: usize,
    /// Accounts read at once; memory holds only these accounts' raw responses.
    #[arg(long, value_name = "N", default_value_t = 8)]
    accounts_in_flight: usize,
    /// Timeout of each call, retries included, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    timeout: u64,
    /// Attempts per call; throttled and failed calls are retried with
    /// exponential backoff and jitter.
    #[arg(long, value_name = "N", default_value_t = 5)]
    max_attempts: u32,
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
    /// Only these rules (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// List passing findings one by one in the text report.
    #[arg(long, short)]
    verbose: bool,
    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Progress on stderr.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto)]
    progress: ProgressChoice,
    /// Print the IAM policy the audit needs (JSON) and exit.
    #[arg(long)]
    print_policy: bool,
    /// After the audit, import every finding into AWS Security Hub (ASFF,
    /// `BatchImportFindings`, batches of 100; failed findings are retried,
    /// then listed, and make the exit code 2). This writes: it needs
    /// `securityhub:BatchImportFindings` in the account imported into (the
    /// caller's, or --security-hub-role's), which the read-only audit policy
    /// does not grant.
    #[arg(long)]
    to_security_hub: bool,
    /// The role to assume for the import, in the security account
    /// [default: the caller's own credentials and account].
    #[arg(long, value_name = "ARN", requires = "to_security_hub")]
    security_hub_role: Option<String>,
    #[command(flatten)]
    store: crate::history::StoreArgs,
    /// Also write this audit's evidence pack (reports, configuration, the
    /// inventory that was judged, a SHA-256 manifest) to DIR, new or empty.
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
}

pub fn run(a: AuditArgs) -> Result<u8, String> {
    if a.print_policy {
        print!("{}", phiguard_aws::operations::policy_json());
        return Ok(0);
    }
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
    let shard = a
        .shard
        .as_deref()
        .map(phiguard_aws::shard::parse)
        .transpose()?;
    let regions = match a.regions.as_deref() {
        Some("all") => Regions::AllEnabled,
        Some(list) => {
            let v: Vec<String> = list
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            if v.is_empty() {
                return Err("--regions: expected a comma-separated list of regions, or all".into());
            }
            Regions::List(v)
        }
        None => Regions::List(cfg.regions.approved.clone()),
    };
    let mut roles = std::collections::BTreeMap::new();
    let acc = &cfg.accounts;
    for (role, ids) in [
        (
            "management",
            acc.management.iter().cloned().collect::<Vec<_>>(),
        ),
        ("security", acc.security.iter().cloned().collect()),
        ("logs", acc.logs.iter().cloned().collect()),
        ("prod", acc.prod.clone()),
        ("staging", acc.staging.clone()),
        ("dev", acc.dev.clone()),
    ] {
        for id in ids {
            roles.insert(id, role.to_string());
        }
    }
    let opts = AuditOptions {
        profile: a.profile.clone(),
        region: a.region.clone(),
        regions,
        role_name: a.role_name.clone(),
        external_id: a.external_id.clone(),
        accounts: a.accounts.clone(),
        shard,
        endpoint_url: a.endpoint_url.clone(),
        concurrency: a.concurrency,
        account_concurrency: a.account_concurrency,
        accounts_in_flight: a.accounts_in_flight,
        call_timeout: Duration::from_secs(a.timeout.max(1)),
        max_attempts: a.max_attempts,
        roles,
        progress: a.progress != ProgressChoice::Never,
        ..Default::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    let mut audit = rt
        .block_on(phiguard_aws::audit(&opts))
        .map_err(|e| e.to_string())?;
    // `phiguard:waive` tags on live resources; one that cannot be read is an
    // error named by the resource's ARN (exit 2), the rest is still judged.
    let problems: Vec<Problem> = audit
        .inventory
        .add_tag_waivers()
        .into_iter()
        .map(|(rid, message)| Problem {
            file: audit.inventory.meta(rid).origin.location(),
            line: 0,
            column: 0,
            message,
        })
        .collect();
    for p in &problems {
        eprintln!("phiguard: input error: {}: {}", p.file, p.message);
    }
    let run = RunOptions {
        complete: true,
        today: today(),
        only: a.rules.clone(),
        ..Default::default()
    };
    let mut findings = phiguard_rules::run(&audit.inventory, &cfg, &run);
    let explicit_store = crate::history::explicit(&a.store);
    let mut store = crate::history::open(&a.store, false)?;
    let scope = crate::history::audit_scope(&audit.accounts);
    crate::history::annotate(&mut store, explicit_store, &scope, &mut findings)?;
    let summary = phiguard_rules::summarize(&findings);
    let stale_waivers = phiguard_rules::stale_waivers(&findings, &audit.inventory, &cfg);
    let collection_errors = collection_errors(&audit.inventory);
    let failing = findings
        .iter()
        .any(|f| f.outcome == Outcome::Fail && f.severity >= fail_on);
    let secs = audit.elapsed.as_secs_f64();
    eprintln!(
        "phiguard: audited {} account(s) × {} region(s) in {:.1} s: {} API calls ({:.0}/s), {} collection error(s)",
        audit.accounts.len(),
        audit.regions.len(),
        secs,
        audit.calls,
        audit.calls as f64 / secs.max(0.001),
        collection_errors.len()
    );
    let report = Report {
        tool: "phiguard",
        version: env!("CARGO_PKG_VERSION"),
        command: "audit".into(),
        inputs: audit.accounts.clone(),
        skipped: Vec::new(),
        complete: true,
        findings,
        problems,
        collection_errors,
        summary,
        not_judged: Vec::new(),
        stale_waivers,
    };
    emit(&report, format, a.output.as_ref(), a.color, a.verbose)?;
    let now = crate::history::now();
    let scan_id = crate::history::record(&mut store, explicit_store, &scope, &report, &cfg, now)?;
    if let Some(dir) = &a.evidence {
        crate::evidence::at_scan(
            dir,
            &report,
            a.config.as_ref(),
            &cfg,
            &audit.inventory,
            scan_id,
            now,
        )?;
    }
    let imported = if a.to_security_hub {
        crate::securityhub::import(&rt, &opts, a.security_hub_role.as_deref(), &report)
    } else {
        true
    };
    Ok(if !report.problems.is_empty() || !imported {
        2
    } else if failing {
        1
    } else {
        0
    })
}

fn collection_errors(inv: &Inventory) -> Vec<CollectionError> {
    let mut v: Vec<CollectionError> = inv
        .gaps
        .iter()
        .map(|g| CollectionError {
            unit: inv
                .units
                .get(g.unit as usize)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            collection: g.collection.name(),
            operation: g.operation.clone(),
            reason: g.reason.clone(),
        })
        .collect();
    v.sort_by(|a, b| {
        (&a.unit, &a.collection, &a.operation).cmp(&(&b.unit, &b.collection, &b.operation))
    });
    v.dedup();
    v
}
