//! `phiguard generate` and `phiguard runbooks`: files from `phiguard.toml`.

use clap::Args;
use phiguard_rules::Config;
use phiguard_rules::baseline::{KeyError, render_errors};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// The directory to write the templates and README.md into (created when missing;
    /// files of the same name are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The configuration file.
    #[arg(long, value_name = "FILE", default_value = "phiguard.toml")]
    config: PathBuf,
    /// Also write an EKS cluster per workload environment (secrets under the
    /// account's customer-managed key, the Pod Identity agent, an example association).
    #[arg(long)]
    with_eks: bool,
}

#[derive(Args, Debug)]
pub struct RunbooksArgs {
    /// The directory to write runbooks.md and runbooks.html into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The configuration file.
    #[arg(long, value_name = "FILE", default_value = "phiguard.toml")]
    config: PathBuf,
}

/// Reads the configuration and checks it with `needs`; on error prints every
/// problem with its key and line.
fn load(path: &Path, needs: fn(&Config) -> Vec<KeyError>) -> Result<Config, u8> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "phiguard: {}: not found; `phiguard init` writes one",
                path.display()
            );
            return Err(2);
        }
        Err(e) => {
            eprintln!("phiguard: {}: {e}", path.display());
            return Err(2);
        }
    };
    let cfg = match Config::from_toml(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("phiguard: {}: {e}", path.display());
            return Err(2);
        }
    };
    let errors = needs(&cfg);
    if !errors.is_empty() {
        for line in render_errors(&text, &errors).lines() {
            eprintln!("phiguard: {}: {line}", path.display());
        }
        eprintln!("phiguard: nothing written");
        return Err(2);
    }
    Ok(cfg)
}

fn write_all(dir: &Path, files: &[phiguard_generate::File]) -> Result<u8, String> {
    for f in files {
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&p, &f.text).map_err(|e| format!("{}: {e}", p.display()))?;
        eprintln!("phiguard: wrote {}", p.display());
    }
    Ok(0)
}

pub fn run(a: GenerateArgs) -> Result<u8, String> {
    let cfg = match load(&a.config, Config::generation_errors) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let files = phiguard_generate::generate(
        &cfg,
        phiguard_generate::Options {
            with_eks: a.with_eks,
        },
    );
    write_all(&a.out, &files)
}

pub fn runbooks(a: RunbooksArgs) -> Result<u8, String> {
    let cfg = match load(&a.config, Config::runbook_errors) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let files = phiguard_generate::runbooks::runbooks(&cfg);
    write_all(&a.out, &files)
}
