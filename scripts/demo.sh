#!/usr/bin/env bash
# Builds phiguard and judges the bundled examples:
#  - examples/baseline: a complete, compliant baseline (judged with --complete);
#  - examples/noncompliant-app: an application stack with planted violations.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p phiguard || exit 2
bin=target/release/phiguard
[ -n "${CARGO_TARGET_DIR:-}" ] && bin="$CARGO_TARGET_DIR/release/phiguard"

echo "== The compliant baseline (examples/baseline, --complete) =="
"$bin" check --complete examples/baseline
baseline=$?
echo
echo "== The non-compliant application stack (examples/noncompliant-app) =="
"$bin" check examples/noncompliant-app
app=$?
echo
echo "baseline exit code: $baseline (0 expected), application exit code: $app (1 expected)"
[ "$baseline" -eq 0 ] && [ "$app" -eq 1 ]
