#!/usr/bin/env bash
# Installs the Python tools that judge what phiguard generates: cfn-lint and
# Checkov (the generated templates) and awscli/botocore (the runbooks' `aws`
# commands), in their own venv, apart from moto's to avoid dependency clashes.
#
#   scripts/pytools.sh install   # venv (once; again only when the pins change)
#   scripts/pytools.sh env       # prints the exports the tests read
#
# Environment:
#   PHIGUARD_TOOLS_VENV  the venv [default: $HOME/.cache/phiguard/venv-tools]
#   PHIGUARD_PYTHON_BIN  the interpreter that creates the venv [default: python3]
#
# The venv is installed from scripts/requirements-tools.txt (exact pins) and
# reinstalled only when that file changes.

set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${PHIGUARD_TOOLS_VENV:-$HOME/.cache/phiguard/venv-tools}"
REQS="$ROOT/scripts/requirements-tools.txt"

die() { echo "pytools.sh: $*" >&2; exit 1; }

install() {
    local stamp="$VENV/.phiguard-requirements"
    if [[ -x "$VENV/bin/python" && -f "$stamp" ]] && cmp -s "$REQS" "$stamp"; then
        return
    fi
    local py="${PHIGUARD_PYTHON_BIN:-python3}"
    command -v "$py" >/dev/null || die "$py not found: install CPython 3.9+ with venv and pip"
    if [[ ! -x "$VENV/bin/python" ]]; then
        echo "pytools.sh: creating venv $VENV" >&2
        mkdir -p "$(dirname "$VENV")"
        "$py" -m venv "$VENV" || die "could not create a venv (Debian: apt-get install python3-venv)"
    fi
    echo "pytools.sh: installing $(basename "$REQS") into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" \
        || die "pip install failed"
    cp "$REQS" "$stamp"
}

case "${1:-}" in
    install) install ;;
    env)
        echo "export PHIGUARD_CFN_LINT=$VENV/bin/cfn-lint"
        echo "export PHIGUARD_CHECKOV=$VENV/bin/checkov"
        echo "export PHIGUARD_TOOLS_PYTHON=$VENV/bin/python" ;;
    *) echo "usage: $0 install|env" >&2; exit 2 ;;
esac
