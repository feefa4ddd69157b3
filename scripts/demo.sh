#!/usr/bin/env bash
# Builds phiguard and runs it on the bundled examples:
#  - examples/baseline: a complete, compliant baseline (check --complete);
#  - examples/noncompliant-app: an application stack with planted violations;
#  - a live audit of a multi-account organization with planted violations,
#    built in a local AWS API emulator (moto, installed in a venv on first use).
# The build is the test suite's (`cargo test --no-run`: the same profile and
# the same features), so scripts/test.sh afterwards reuses it instead of
# compiling the AWS SDK a second time.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked --no-run || exit 2
bin="${CARGO_TARGET_DIR:-target}/debug/phiguard"

echo "== The compliant baseline (examples/baseline, --complete) =="
"$bin" check --complete examples/baseline
baseline=$?
echo
echo "== The non-compliant application stack (examples/noncompliant-app) =="
"$bin" check examples/noncompliant-app
app=$?
echo

echo "== A live audit: a six-account organization in a local AWS API (moto) =="
scripts/moto.sh start || exit 2
eval "$(scripts/moto.sh env)"
"$PHIGUARD_PYTHON" -c "import urllib.request as u; u.urlopen(u.Request('$PHIGUARD_MOTO_ENDPOINT/moto-api/reset', method='POST'))" || exit 2
"$PHIGUARD_PYTHON" crates/phiguard-aws/tests/estate/build_org.py --endpoint "$PHIGUARD_MOTO_ENDPOINT" >/dev/null || exit 2
report="$(mktemp "${TMPDIR:-/tmp}/phiguard-audit.XXXXXX")"
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    "$bin" audit --endpoint-url "$PHIGUARD_MOTO_ENDPOINT" --regions us-east-1,us-west-2 \
    --output "$report"
audit=$?
grep -E "^Summary|^Collection errors" "$report"
echo "(the full report is in $report; stop the emulator with scripts/moto.sh stop)"
echo
echo "baseline exit code: $baseline (0 expected), application exit code: $app (1 expected), audit exit code: $audit (1 expected)"
[ "$baseline" -eq 0 ] && [ "$app" -eq 1 ] && [ "$audit" -eq 1 ]
