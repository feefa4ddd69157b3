#!/usr/bin/env bash
# Benchmarks `phiguard check` on the reference CloudFormation corpora and
# the 5,000-resource Terraform plan.
#
#   scripts/bench.sh            # generate corpora (once), build, measure
#
# Environment:
#   PHIGUARD_BENCH_DIR   directory holding gen_cfn.py and README.md
#                        [default: ../shared/bench beside the repository]
#   PHIGUARD_BENCH_OUT   where the corpora go [default: ./bench-corpus]
#   PHIGUARD_BENCH_RUNS  hyperfine runs per corpus [default: 5]
#   PHIGUARD_GUARD_RULES rules directory for cfn-guard, if it is installed
#   CARGO_TARGET_DIR     as for cargo
#
# check runs with --no-store: what recording costs is scripts/bench-store.sh's.
# Reports user+sys CPU seconds and peak RSS (GNU time -v) for each corpus,
# the wall time from hyperfine, and the CPU ratio against Checkov and
# cfn-guard: measured when they are on PATH, otherwise against the reference
# figures of the corpus README (labelled as such).
#
# phiguard exits 1 when something fails: exit 0 and 1 are success, 2 (bad
# input) or anything else is an error.

set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

find_bench_dir() {
    if [[ -n "${PHIGUARD_BENCH_DIR:-}" ]]; then
        echo "$PHIGUARD_BENCH_DIR"
        return
    fi
    # shared/ sits beside the repository clone; a worktree may sit deeper.
    local d="$ROOT/.."
    for _ in 1 2 3; do
        if [[ -f "$d/shared/bench/gen_cfn.py" ]]; then
            (cd "$d/shared/bench" && pwd)
            return
        fi
        d="$d/.."
    done
    echo "$ROOT/../shared/bench"
}

BENCH_DIR="$(find_bench_dir)"
OUT="${PHIGUARD_BENCH_OUT:-$ROOT/bench-corpus}"
RUNS="${PHIGUARD_BENCH_RUNS:-5}"

die() {
    echo "bench: $*" >&2
    exit 2
}

[[ -f "$BENCH_DIR/gen_cfn.py" ]] ||
    die "no gen_cfn.py in $BENCH_DIR (set PHIGUARD_BENCH_DIR)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

apt_install() { # package
    if [[ "$(id -u)" -eq 0 ]]; then
        apt-get install -y -qq "$1" >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$1" >/dev/null 2>&1; } || true
    elif command -v sudo >/dev/null; then
        sudo apt-get install -y -qq "$1" >/dev/null 2>&1 || true
    fi
}

# --- tools -------------------------------------------------------------------

[[ -x /usr/bin/time ]] || apt_install time
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is needed: apt-get install time"
command -v hyperfine >/dev/null || apt_install hyperfine
HAVE_HYPERFINE=0
command -v hyperfine >/dev/null && HAVE_HYPERFINE=1

PY=python3
if ! "$PY" -c 'import yaml' 2>/dev/null; then
    echo "bench: PyYAML missing; installing it into $OUT/venv"
    [[ -x "$OUT/venv/bin/python" ]] || python3 -m venv "$OUT/venv"
    "$OUT/venv/bin/pip" install -q PyYAML
    PY="$OUT/venv/bin/python"
fi

# --- corpora -----------------------------------------------------------------

if [[ -d "$OUT/cfn" && -d "$OUT/cfn_large" ]] &&
    [[ "$(find "$OUT/cfn" -name '*.yaml' | wc -l)" -ge 1000 ]]; then
    echo "bench: corpora already in $OUT"
else
    echo "bench: generating corpora into $OUT"
    "$PY" "$BENCH_DIR/gen_cfn.py" "$OUT"
fi
if [[ -f "$OUT/tfplan/plan_5000.json" ]]; then
    echo "bench: Terraform plan already in $OUT"
elif [[ -f "$BENCH_DIR/gen_tfplan.py" ]]; then
    "$PY" "$BENCH_DIR/gen_tfplan.py" "$OUT" >/dev/null
fi

# --- build -------------------------------------------------------------------

echo "bench: building phiguard (release, without the AWS SDK: check does not use it)"
cargo build --release --quiet -p phiguard --no-default-features
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/phiguard"
[[ -x "$BIN" ]] || die "no binary at $BIN"

# --- measuring ---------------------------------------------------------------

# measure LABEL OKCODES CMD...: runs CMD once under GNU time; sets CPU, RSS_MB,
# WALL. OKCODES is a regex of acceptable exit codes.
measure() {
    local label="$1" ok="$2"
    shift 2
    local tv err rc
    tv="$(mktemp)"
    err="$(mktemp)"
    set +e
    /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$err"
    rc=$?
    set -e
    if ! [[ "$rc" =~ ^($ok)$ ]]; then
        echo "bench: $label exited $rc:" >&2
        head -20 "$err" >&2
        rm -f "$tv" "$err"
        exit 2
    fi
    local user sys rss
    user="$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$tv")"
    sys="$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$tv")"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")"
    WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tv")"
    CPU="$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')"
    RSS_MB="$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')"
    rm -f "$tv" "$err"
    printf '%-34s exit %s  user+sys %7s s  max RSS %8s MB  wall %s\n' \
        "$label" "$rc" "$CPU" "$RSS_MB" "$WALL"
}

ratio() { # reference-seconds our-seconds
    awk -v r="$1" -v o="$2" 'BEGIN { if (o > 0) printf "%.0f", r / o; else print "inf" }'
}

ref_line() { # LABEL TOOL REF_CPU REF_RSS OUR_CPU
    printf '  %-10s %-30s %6s s %8s   -> phiguard uses %sx less CPU (reference figure)\n' \
        "$1" "$2" "$3" "$4" "$(ratio "$3" "$5")"
}

echo
echo "== phiguard $("$BIN" --version 2>/dev/null | awk '{print $2}') on $(nproc) CPU(s)"
count() { find "$1" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | wc -l; }
echo "   cfn/: $(count "$OUT/cfn") templates; cfn_large/: $(count "$OUT/cfn_large") template(s)"
echo

declare -A OUR_CPU OUR_RSS
CORPORA=(cfn cfn_large)
[[ -f "$OUT/tfplan/plan_5000.json" ]] && CORPORA+=(tfplan)
for corpus in "${CORPORA[@]}"; do
    measure "phiguard check $corpus/" '0|1' "$BIN" check --no-store "$OUT/$corpus"
    OUR_CPU[$corpus]="$CPU"
    OUR_RSS[$corpus]="$RSS_MB"
done

if [[ "$HAVE_HYPERFINE" -eq 1 ]]; then
    echo
    echo "== hyperfine ($RUNS runs, wall time)"
    hyperfine --style basic --warmup 1 --runs "$RUNS" \
        -n "phiguard check cfn/" "'$BIN' check --no-store '$OUT/cfn' >/dev/null; test \$? -le 1" \
        -n "phiguard check cfn_large/" "'$BIN' check --no-store '$OUT/cfn_large' >/dev/null; test \$? -le 1"
else
    echo "(hyperfine not available: wall times above are single runs)"
fi

# --- cores -------------------------------------------------------------------

# check reads and parses its inputs on every core it may use: the wall time
# on one core (taskset) against all of them, on the 1,000-template corpus.
# Target: with two cores, at most 0.65 of the wall time with one.
echo
NCPU="$(nproc)"
if command -v taskset >/dev/null && [[ "$NCPU" -gt 1 ]]; then
    # The machine's speed drifts (other work, the page cache, memory the
    # kernel must first zero): the runs alternate between the CPU sets, at
    # least 61 of each (about half a minute), and the medians are compared.
    CORE_RUNS=$((RUNS > 61 ? RUNS : 61))
    echo "== cores: wall time of phiguard check cfn/ on 1 and on $NCPU cores (runs alternate)"
    # Timed with bash's own clock ($EPOCHREALTIME, no process of its own),
    # in this shell (no subshell), so that only phiguard's run is measured.
    wall_once() { # CPUSET ARRAY: appends the wall seconds of one run to ARRAY
        local t0 t1
        t0=$EPOCHREALTIME
        taskset -c "$1" "$BIN" check --no-store "$OUT/cfn" >/dev/null 2>&1 || [[ $? -le 1 ]]
        t1=$EPOCHREALTIME
        eval "$2+=(\"$t0 $t1\")"
    }
    median() { tr , . | awk '{print $2 - $1}' | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
    taskset -c 0 "$BIN" check --no-store "$OUT/cfn" >/dev/null 2>&1 || true # warm the page cache
    T1=() TN=() T2=()
    for _ in $(seq "$CORE_RUNS"); do
        wall_once 0 T1
        wall_once "0-$((NCPU - 1))" TN
        if [[ "$NCPU" -gt 2 ]]; then wall_once 0-1 T2; fi
    done
    W1="$(printf '%s\n' "${T1[@]}" | median)"
    WN="$(printf '%s\n' "${TN[@]}" | median)"
    printf '  1 core:   %s s (median of %s)\n' "$W1" "$CORE_RUNS"
    printf '  %s cores: %s s (median of %s)  -> %s of the one-core wall time\n' \
        "$NCPU" "$WN" "$CORE_RUNS" "$(awk -v a="$WN" -v b="$W1" 'BEGIN {printf "%.2f", a / b}')"
    if [[ "$NCPU" -gt 2 ]]; then
        W2="$(printf '%s\n' "${T2[@]}" | median)"
        printf '  2 cores:  %s s (median of %s)  -> %s of the one-core wall time (target <= 0.65)\n' \
            "$W2" "$CORE_RUNS" "$(awk -v a="$W2" -v b="$W1" 'BEGIN {printf "%.2f", a / b}')"
    fi
else
    echo "== cores: one CPU (or no taskset): no comparison"
fi

# --- comparison --------------------------------------------------------------

echo
echo "== comparison (user+sys CPU seconds)"
if command -v checkov >/dev/null; then
    for corpus in cfn cfn_large; do
        measure "checkov $corpus/" '0|1' checkov --quiet --compact --framework cloudformation -d "$OUT/$corpus"
        echo "  checkov/phiguard CPU ratio on $corpus/: $(ratio "$CPU" "${OUR_CPU[$corpus]}")x"
    done
else
    echo "checkov not on PATH; reference figures from the corpus README (Checkov 3.3.30, 2-core machine):"
    ref_line cfn/ "Checkov --framework cfn" 152 "1.2 GB" "${OUR_CPU[cfn]}"
    ref_line cfn_large/ "Checkov" 42 "500 MB" "${OUR_CPU[cfn_large]}"
    if [[ -n "${OUR_CPU[tfplan]:-}" ]]; then
        ref_line tfplan/ "Checkov --framework terraform_plan" 133 "1.0 GB" "${OUR_CPU[tfplan]}"
    fi
fi
if command -v cfn-guard >/dev/null && [[ -n "${PHIGUARD_GUARD_RULES:-}" ]]; then
    measure "cfn-guard cfn/" '0|5|19' cfn-guard validate -d "$OUT/cfn" -r "$PHIGUARD_GUARD_RULES"
    echo "  cfn-guard/phiguard CPU ratio on cfn/: $(ratio "$CPU" "${OUR_CPU[cfn]}")x"
else
    if command -v cfn-guard >/dev/null; then
        echo "cfn-guard is on PATH but PHIGUARD_GUARD_RULES is not set (a rules directory is needed)."
    else
        echo "cfn-guard not on PATH; reference figure from the corpus README:"
    fi
    ref_line cfn/ "cfn-guard 3 + Guard Rules Registry" 180 "154 MB" "${OUR_CPU[cfn]}"
fi
echo
echo "phiguard: cfn/ ${OUR_CPU[cfn]} s CPU, ${OUR_RSS[cfn]} MB; cfn_large/ ${OUR_CPU[cfn_large]} s CPU, ${OUR_RSS[cfn_large]} MB${OUR_CPU[tfplan]:+; tfplan/ ${OUR_CPU[tfplan]} s CPU, ${OUR_RSS[tfplan]} MB}"
