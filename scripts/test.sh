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
scripts/pytools.sh install && eval "$(scripts/pytools.sh env)" && export PHIGUARD_REQUIRE_TOOLS=1

# cfn-lint over the examples and template fixtures (crates/phiguard-iac/tests/cfn_lint.rs).
export PHIGUARD_REQUIRE_CFN_LINT=1
# The history store's PostgreSQL server (scripts/postgres.sh): started, exported, stopped on exit.
scripts/postgres.sh start && trap 'stop_moto; scripts/postgres.sh stop' EXIT && eval "$(scripts/postgres.sh env)"

# `check` records every run in the history store: the tests' runs go to a
# store of their own, not the user's.
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
eval "$(scripts/chromium.sh env)"; export PHIGUARD_REQUIRE_CHROMIUM=1  # HTML report browser tests

cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
