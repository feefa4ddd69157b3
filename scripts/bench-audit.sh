#!/usr/bin/env bash
# Benchmarks `phiguard audit` against a 5,000-resource estate in moto
# (10 accounts x 2 regions), then Prowler against the same server.
#
#   scripts/bench-audit.sh
#
# Environment:
#   PHIGUARD_VENV          moto's venv [default: $HOME/.cache/phiguard/venv]; Prowler's is "$PHIGUARD_VENV-prowler"
#   PHIGUARD_MOTO_PORT     as for scripts/moto.sh [default: 5599]
#   PHIGUARD_BENCH_OUT     where reports and logs go [default: /tmp/phiguard-bench-audit]
#   PHIGUARD_BENCH_SCALE   estate scale, 1 = 5,000 resources [default: 1]
#   PHIGUARD_BIN           the phiguard binary [default: target/release/phiguard, built if missing]
#   PHIGUARD_AUDIT_CMD     the audited command, overrides the default below
#   PROWLER_VERSION        the Prowler release to install [default: 5.46.0]
#   PROWLER_TIMEOUT        seconds before Prowler is stopped, per account [default: 1200]
#   PROWLER_SCOPE          hipaa (its HIPAA framework's checks, --compliance hipaa_aws) or all [default: hipaa]
#   PROWLER_ACCOUNTS       how many of the estate's accounts Prowler scans, one run each [default: all]
#   SKIP_PROWLER=1         measure phiguard only
#   SKIP_BUILD_ESTATE=1    reuse the estate already in moto
#
# Reports wall time and peak RSS (GNU time -v) for each tool, or why it did
# not run. The moto server is left running (scripts/moto.sh stop).

set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

VENV="${PHIGUARD_VENV:-$HOME/.cache/phiguard/venv}"
OUT="${PHIGUARD_BENCH_OUT:-/tmp/phiguard-bench-audit}"
SCALE="${PHIGUARD_BENCH_SCALE:-1}"
PROWLER_VENV="${VENV}-prowler"
PROWLER_VERSION="${PROWLER_VERSION:-5.46.0}"
PROWLER_TIMEOUT="${PROWLER_TIMEOUT:-1200}"
PROWLER_SCOPE="${PROWLER_SCOPE:-hipaa}"
REGIONS="us-east-1,us-west-2"
mkdir -p "$OUT"

die() { echo "bench-audit: $*" >&2; exit 1; }

scripts/moto.sh start || die "moto did not start"
eval "$(scripts/moto.sh env)"
ENDPOINT="$PHIGUARD_MOTO_ENDPOINT"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

if [[ "${SKIP_BUILD_ESTATE:-0}" != 1 ]]; then
    "$PHIGUARD_PYTHON" -c "import urllib.request as u; u.urlopen(u.Request('$ENDPOINT/moto-api/reset', method='POST'))" \
        || die "moto reset failed"
    echo "bench-audit: building the estate (scale $SCALE)" >&2
    "$PHIGUARD_PYTHON" scripts/bench/build_bench_estate.py --endpoint "$ENDPOINT" --regions "$REGIONS" \
        --scale "$SCALE" > "$OUT/estate.json" || die "estate build failed"
fi

# Prints "wall_seconds peak_rss_kib" from a GNU time -v log.
time_summary() {
    awk -F': ' '
        /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /Maximum resident set size/ { rss = $2 }
        END { printf "%.2f %d\n", w, rss }' "$1"
}

report() { # name, time log, exit code
    read -r wall rss < <(time_summary "$2")
    printf '%-10s exit %-3s wall %8.2f s   peak RSS %8.1f MiB\n' "$1" "$3" "$wall" "$(awk "BEGIN{print $rss/1024}")" | tee -a "$OUT/summary.txt"
}
: > "$OUT/summary.txt"

# --- phiguard ---------------------------------------------------------------
PHIGUARD_BIN="${PHIGUARD_BIN:-$ROOT/target/release/phiguard}"
if [[ ! -x "$PHIGUARD_BIN" && -z "${PHIGUARD_AUDIT_CMD:-}" ]]; then
    echo "bench-audit: building phiguard (release)" >&2
    if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then PHIGUARD_BIN="$CARGO_TARGET_DIR/release/phiguard"; fi
    cargo build --release -p phiguard > "$OUT/cargo-build.log" 2>&1 \
        || echo "bench-audit: cargo build failed, see $OUT/cargo-build.log" >&2
fi
PHIGUARD_AUDIT_CMD="${PHIGUARD_AUDIT_CMD:-$PHIGUARD_BIN audit --endpoint-url $ENDPOINT --regions $REGIONS --format json --output $OUT/phiguard.json}"
echo "bench-audit: $PHIGUARD_AUDIT_CMD" >&2
# shellcheck disable=SC2086 # the command is a word list on purpose
/usr/bin/time -v -o "$OUT/phiguard.time" $PHIGUARD_AUDIT_CMD > "$OUT/phiguard.stdout" 2> "$OUT/phiguard.stderr"
rc=$?
# phiguard exits 1 when something fails: 0 and 1 are a completed audit.
if [[ $rc -le 1 ]]; then
    report phiguard "$OUT/phiguard.time" "$rc"
else
    echo "phiguard   did not complete (exit $rc); see $OUT/phiguard.stderr" | tee -a "$OUT/summary.txt"
    tail -n 5 "$OUT/phiguard.stderr" >&2 || true
fi

# --- Prowler ----------------------------------------------------------------
if [[ "${SKIP_PROWLER:-0}" == 1 ]]; then
    echo "prowler    skipped (SKIP_PROWLER=1)" | tee -a "$OUT/summary.txt"
    exit 0
fi
if [[ ! -x "$PROWLER_VENV/bin/prowler" ]] || ! "$PROWLER_VENV/bin/prowler" --version 2>/dev/null | grep -q "$PROWLER_VERSION"; then
    echo "bench-audit: installing prowler $PROWLER_VERSION into $PROWLER_VENV" >&2
    { python3 -m venv "$PROWLER_VENV" && "$PROWLER_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "prowler==$PROWLER_VERSION"; } \
        > "$OUT/prowler-install.log" 2>&1
    if [[ ! -x "$PROWLER_VENV/bin/prowler" ]]; then
        echo "prowler    could not be installed; see $OUT/prowler-install.log" | tee -a "$OUT/summary.txt"
        exit 0
    fi
fi
# Prowler reaches AWS through boto3, which honours AWS_ENDPOINT_URL for every
# service. One run scans one account: the management account as the caller,
# each member through --role (moto's STS hands out that account's
# credentials). Runs are sequential; wall times add up, peak RSS is the max.
SCOPE_ARGS=()
[[ "$PROWLER_SCOPE" == hipaa ]] && SCOPE_ARGS=(--compliance hipaa_aws)
mapfile -t ACCOUNTS < <("$PHIGUARD_PYTHON" -c "import json; [print(a) for a in json.load(open('$OUT/estate.json'))['accounts']]")
[[ -n "${PROWLER_ACCOUNTS:-}" ]] && ACCOUNTS=("${ACCOUNTS[@]:0:$PROWLER_ACCOUNTS}")
"$PROWLER_VENV/bin/prowler" --version > "$OUT/prowler-version.txt" 2>&1
total_wall=0; max_rss=0; done_runs=0; failed_runs=0; findings=0
rm -rf "$OUT/prowler"; mkdir -p "$OUT/prowler"
for acct in "${ACCOUNTS[@]}"; do
    role_args=()
    [[ "$acct" != 123456789012 ]] && role_args=(--role "arn:aws:iam::$acct:role/OrganizationAccountAccessRole")
    echo "bench-audit: prowler ($PROWLER_SCOPE) on $acct" >&2
    AWS_ENDPOINT_URL="$ENDPOINT" /usr/bin/time -v -o "$OUT/prowler/$acct.time" \
        timeout --signal=INT --kill-after=30 "$PROWLER_TIMEOUT" \
        "$PROWLER_VENV/bin/prowler" aws --region ${REGIONS//,/ } "${SCOPE_ARGS[@]}" "${role_args[@]}" \
        --output-formats json-ocsf --output-directory "$OUT/prowler/$acct" --no-banner \
        --log-level ERROR --log-file "$OUT/prowler/$acct.log" \
        > "$OUT/prowler/$acct.stdout" 2> "$OUT/prowler/$acct.stderr"
    rc=$?
    read -r wall rss < <(time_summary "$OUT/prowler/$acct.time")
    total_wall=$(awk "BEGIN{print $total_wall + $wall}")
    (( rss > max_rss )) && max_rss=$rss
    # Prowler exits 3 when a check fails: 0 and 3 are a completed scan.
    if [[ ($rc -eq 0 || $rc -eq 3) ]] && ls "$OUT/prowler/$acct"/*.ocsf.json > /dev/null 2>&1; then
        done_runs=$((done_runs + 1))
        n=$("$PHIGUARD_PYTHON" -c "import json,glob; print(sum(len(json.load(open(f))) for f in glob.glob('$OUT/prowler/$acct/*.ocsf.json')))")
        findings=$((findings + n))
        printf '           %s: exit %s, %.1f s, %.1f MiB, %s findings, %s errors logged\n' "$acct" "$rc" "$wall" \
            "$(awk "BEGIN{print $rss/1024}")" "$n" "$(grep -c '"level": "ERROR"' "$OUT/prowler/$acct.log" || true)" | tee -a "$OUT/summary.txt"
    else
        failed_runs=$((failed_runs + 1))
        why="exit $rc"; [[ $rc -eq 124 || $rc -eq 137 ]] && why="stopped by the ${PROWLER_TIMEOUT}s timeout"
        echo "           $acct: did not complete ($why); see $OUT/prowler/$acct.stderr and .log" | tee -a "$OUT/summary.txt"
        tail -n 5 "$OUT/prowler/$acct.stderr" >&2 || true
    fi
done
printf 'prowler    %s accounts scanned, %s failed: wall %8.2f s (sum)  peak RSS %8.1f MiB (max)  %s findings (%s, %s)\n' \
    "$done_runs" "$failed_runs" "$total_wall" "$(awk "BEGIN{print $max_rss/1024}")" "$findings" \
    "$(cat "$OUT/prowler-version.txt")" "$PROWLER_SCOPE" | tee -a "$OUT/summary.txt"
echo "bench-audit: results in $OUT (summary.txt)" >&2
