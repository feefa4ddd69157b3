//! The `phiguard` binary: argument parsing and wiring only.

#[cfg(feature = "aws")]
mod audit;
mod cli;
mod cve_gate;
mod evidence;
mod generate;
mod history;
mod init;
mod merge;
#[cfg(feature = "aws")]
mod securityhub;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("phiguard: error: {e}");
            ExitCode::from(2)
        }
    }
}
