#!/usr/bin/env bash
# Builds the live-audit integration estate in moto and checks its manifest
# against what moto holds (no phiguard involved): a smoke test of the Python
# side of the live tests.
#
#   scripts/estate-check.sh [manifest-output-path]
#
# Starts moto (scripts/moto.sh), resets it, runs build_org.py, then
# check_manifest.py. Leaves the server running.

set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT="${1:-${TMPDIR:-/tmp}/phiguard-estate-manifest.json}"
scripts/moto.sh start
eval "$(scripts/moto.sh env)"
"$PHIGUARD_PYTHON" -c "import urllib.request as u; u.urlopen(u.Request('$PHIGUARD_MOTO_ENDPOINT/moto-api/reset', method='POST'))"
"$PHIGUARD_PYTHON" crates/phiguard-aws/tests/estate/build_org.py --endpoint "$PHIGUARD_MOTO_ENDPOINT" \
    --regions us-east-1,us-west-2 > "$OUT"
"$PHIGUARD_PYTHON" crates/phiguard-aws/tests/estate/check_manifest.py --endpoint "$PHIGUARD_MOTO_ENDPOINT" "$OUT"
