//! The `phiguard` binary: argument parsing and wiring only.

mod cli;

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
