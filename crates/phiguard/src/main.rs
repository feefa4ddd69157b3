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

/// mimalloc, not the system allocator: a check makes and frees millions of
/// small values on every core, and glibc's per-thread arenas grow a page at a
/// time (one `mprotect` each, under the process's memory-map lock), so a
/// second core added more system time than it saved. `scripts/bench.sh`
/// measures the difference.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("phiguard: error: {e}");
            ExitCode::from(2)
        }
    }
}
