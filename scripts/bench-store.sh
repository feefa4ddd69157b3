#!/usr/bin/env bash
# Benchmarks what the history store adds to `phiguard check`: the same
# reference corpus (cfn/: 1,000 templates, ~20,000 resources, ~27,000
# findings) with --no-store, with a SQLite store, and (when
# PHIGUARD_BENCH_POSTGRES or PHIGUARD_TEST_POSTGRES names a server) with a
# PostgreSQL store. hyperfine reports each; the difference is the cost of
# recording the scan.
#
#   scripts/bench-store.sh
#
# Environment:
#   PHIGUARD_BENCH_DIR   directory holding gen_cfn.py [default: ../shared/bench beside the repository]
#   PHIGUARD_BENCH_OUT   where the corpus goes [default: ./bench-corpus]
#   PHIGUARD_BENCH_RUNS  hyperfine runs [default: 10]
#   PHIGUARD_BENCH_POSTGRES  a postgres:// URL to measure too
#   CARGO_TARGET_DIR     as for cargo
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
command -v hyperfine >/dev/null || { echo "bench-store: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }

BENCH_DIR="${PHIGUARD_BENCH_DIR:-}"
if [[ -z "$BENCH_DIR" ]]; then
    d="$ROOT/.."
    for _ in 1 2 3; do
        [[ -f "$d/shared/bench/gen_cfn.py" ]] && { BENCH_DIR="$(cd "$d/shared/bench" && pwd)"; break; }
        d="$d/.."
    done
fi
OUT="${PHIGUARD_BENCH_OUT:-$ROOT/bench-corpus}"
RUNS="${PHIGUARD_BENCH_RUNS:-10}"
if [[ ! -d "$OUT/cfn" ]]; then
    [[ -f "$BENCH_DIR/gen_cfn.py" ]] || { echo "bench-store: no gen_cfn.py (set PHIGUARD_BENCH_DIR)" >&2; exit 1; }
    python3 "$BENCH_DIR/gen_cfn.py" "$OUT" >/dev/null
fi

cargo build --release -p phiguard --no-default-features --quiet
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/phiguard"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

n="$("$BIN" check --no-store -f json "$OUT/cfn" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)"
echo "bench-store: $OUT/cfn gives $n findings per scan"

# Exit 1 (something fails) is success here.
cmds=(
    -n no-store "$BIN check --no-store -f json -o /dev/null $OUT/cfn"
    -n sqlite "$BIN check --store $TMP/history.sqlite -f json -o /dev/null $OUT/cfn"
)
PG="${PHIGUARD_BENCH_POSTGRES:-${PHIGUARD_TEST_POSTGRES:-}}"
if [[ -n "$PG" ]]; then
    cmds+=(-n postgres "$BIN check --store $PG -f json -o /dev/null $OUT/cfn")
fi
hyperfine -N -i --warmup 1 --runs "$RUNS" "${cmds[@]}"
echo "bench-store: the store holds $("$BIN" history --store "$TMP/history.sqlite" -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["scans"]))') scans in $(du -h "$TMP/history.sqlite" | cut -f1)"
