#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, and every crate's tests.
# The same command runs in CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
