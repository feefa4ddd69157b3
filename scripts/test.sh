#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, and every crate's tests.
# The same command runs in CI (.ci/run).
#
# The live collector's tests run against a real AWS API: a moto server on
# 127.0.0.1, installed in a venv (scripts/requirements-live.txt) and started
# here; with PHIGUARD_REQUIRE_MOTO set, a test that cannot reach it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check

started=""
if ! scripts/moto.sh status >/dev/null 2>&1; then
    scripts/moto.sh start
    started=1
fi
stop_moto() { if [ -n "$started" ]; then scripts/moto.sh stop >/dev/null 2>&1 || true; fi; }
trap stop_moto EXIT
eval "$(scripts/moto.sh env)"
export PHIGUARD_REQUIRE_MOTO=1
eval "$(scripts/chromium.sh env)"; export PHIGUARD_REQUIRE_CHROMIUM=1  # HTML report browser tests

cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
