//! cfn-lint (PyPI) passes on the bundled examples and on every template
//! fixture meant to be valid (scripts/cfn-lint.sh; deliberate exceptions are
//! listed with their reason in scripts/cfn-lint-exempt.txt).
//!
//! cfn-lint runs from its venv (`scripts/cfn-lint.sh install`). With `CI` or
//! `PHIGUARD_REQUIRE_CFN_LINT` set, the test installs it when missing and a
//! failure to do so fails the test; otherwise a missing venv skips it.

use std::path::Path;
use std::process::Command;

#[test]
fn examples_and_fixtures_pass_cfn_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("scripts/cfn-lint.sh");
    let required =
        std::env::var_os("CI").is_some() || std::env::var_os("PHIGUARD_REQUIRE_CFN_LINT").is_some();
    let bin = Command::new(&script)
        .arg("bin")
        .output()
        .expect("runs the script");
    let bin = String::from_utf8_lossy(&bin.stdout).trim().to_string();
    if !required && !Path::new(&bin).exists() {
        eprintln!(
            "skipped: cfn-lint is not installed ({bin}); run scripts/cfn-lint.sh install, or set PHIGUARD_REQUIRE_CFN_LINT=1"
        );
        return;
    }
    let out = Command::new(&script)
        .arg("check")
        .output()
        .expect("runs cfn-lint");
    assert!(
        out.status.success(),
        "cfn-lint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
