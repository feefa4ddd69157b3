//! `phiguard cve-gate`: wiring only; parsing, policy and rendering live in
//! `phiguard-cve`.

use crate::cli::load_config;
use crate::history::{StoreArgs, now, open};
use clap::{Args, ValueEnum};
use phiguard_cve::Mode;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ModeArg {
    /// Exit 1 on any blocking finding (by default critical and high) that
    /// is not waived.
    Block,
    /// Exit 1 only when a finding that is not waived is past its SLA.
    Sla,
}

#[derive(Args, Debug)]
pub struct CveGateArgs {
    /// Scanner reports, recognised by content: Trivy JSON (`trivy image -f
    /// json`, also the old list format), Grype JSON (`grype -o json`), SARIF
    /// from Trivy or Grype, `aws inspector2 list-findings` output.
    #[arg(value_name = "REPORT", required_unless_present = "stats")]
    reports: Vec<PathBuf>,
    /// What fails the gate.
    #[arg(long, value_enum, default_value_t = ModeArg::Block)]
    mode: ModeArg,
    /// Report format.
    #[arg(long, short = 'f', default_value = "text", value_parser = phiguard_cve::render::FORMATS.to_vec())]
    format: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// The configuration file, for `[cve]` and `[limits]` [default:
    /// ./phiguard.toml when it exists].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print time to remediate (mean, 90th percentile) per severity and the
    /// open findings past their SLA, from the history store, and exit.
    #[arg(long, conflicts_with = "reports")]
    stats: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(a: CveGateArgs) -> Result<u8, String> {
    let cfg = load_config(a.config.as_ref())?;
    let now = now();
    if a.stats {
        let mut store = open(&a.store, true)?.ok_or("no history store")?;
        let eps = phiguard_cve::episodes(&mut store).map_err(|e| e.to_string())?;
        let st = phiguard_cve::stats(&eps, &phiguard_cve::Policy::from_config(&cfg), now);
        let fmt = if a.format == "json" { "json" } else { "text" };
        write(
            &a.output,
            &phiguard_cve::render::stats(fmt, &st, store.name(), now),
        )?;
        return Ok(0);
    }
    let explicit = crate::history::explicit(&a.store);
    let mut store = open(&a.store, false)?;
    let reports = a
        .reports
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).map_err(|e| format!("cannot read: {e}"));
            (p.display().to_string(), bytes)
        })
        .collect();
    let mode = match a.mode {
        ModeArg::Block => Mode::Block,
        ModeArg::Sla => Mode::Sla,
    };
    let (gate, store_error) = phiguard_cve::gate(reports, store.as_mut(), &cfg, mode, now);
    write(&a.output, &phiguard_cve::render::render(&a.format, &gate))?;
    for p in &gate.problems {
        eprintln!("phiguard: input error: {}: {}", p.file, p.message);
    }
    if let Some(e) = store_error {
        if explicit {
            return Err(e.to_string());
        }
        eprintln!("phiguard: warning: {e}; first-seen dates were not kept");
    }
    Ok(gate.exit_code())
}

fn write(output: &Option<PathBuf>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}
