#!/usr/bin/env bash
# Builds phiguard and runs it on the bundled examples, in two parts:
#
#  1. the code checks, first, from a build without the AWS SDK
#     (`--no-default-features`: a few minutes on a fresh two-core machine):
#     - examples/baseline: a complete, compliant baseline (check --complete);
#     - examples/noncompliant-app: an application stack with planted violations;
#  2. then the live part: the build with the AWS SDK (the test suite's build,
#     `cargo test --no-run`, so scripts/test.sh afterwards reuses it), and a
#     live audit of a multi-account organization with planted violations,
#     built in a local AWS API emulator (moto, installed in a venv on first use).
#
# Each part prints how long its build and its run took.
#
#   scripts/demo.sh            # both parts
#   scripts/demo.sh --code     # part 1 only
set -uo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.0f s", b - a}'; }
start_all="$(now)"

echo "== Part 1: the code checks, from a build without the AWS SDK =="
t="$(now)"
cargo build -p phiguard --no-default-features --locked || exit 2
build1="$(since "$t")"
# The live build below replaces target/debug/phiguard: keep this one apart.
code_bin="$target/debug/phiguard-code"
cp "$target/debug/phiguard" "$code_bin" || exit 2
echo "(built without the SDK in $build1)"
echo

t="$(now)"
echo "== The compliant baseline (examples/baseline, --complete) =="
"$code_bin" check --complete examples/baseline
baseline=$?
echo
echo "== The non-compliant application stack (examples/noncompliant-app) =="
"$code_bin" check examples/noncompliant-app
app=$?
run1="$(since "$t")"
echo
echo "Part 1 took $(since "$start_all"): build $build1, checks $run1."
echo "baseline exit code: $baseline (0 expected), application exit code: $app (1 expected)"
part1_ok=0
[ "$baseline" -eq 0 ] && [ "$app" -eq 1 ] || part1_ok=1
if [ "${1:-}" = "--code" ]; then
    exit "$part1_ok"
fi
echo

echo "== Part 2: the live audit (builds the AWS SDK: the longest step) =="
start2="$(now)"
t="$(now)"
cargo test --workspace --locked --no-run || exit 2
build2="$(since "$t")"
bin="$target/debug/phiguard"
echo "(built with the SDK in $build2)"

t="$(now)"
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
run2="$(since "$t")"
echo
echo "Part 2 took $(since "$start2"): build $build2, emulator and audit $run2."
echo "Both parts: $(since "$start_all")."
echo "baseline exit code: $baseline (0 expected), application exit code: $app (1 expected), audit exit code: $audit (1 expected)"
[ "$part1_ok" -eq 0 ] && [ "$audit" -eq 1 ]
