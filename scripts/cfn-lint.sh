#!/usr/bin/env bash
# cfn-lint (PyPI) over the bundled examples and every template fixture meant
# to be a valid, deployable template.
#
#   scripts/cfn-lint.sh install   # the venv, once (reinstalled when the pins change)
#   scripts/cfn-lint.sh bin       # prints the cfn-lint executable
#   scripts/cfn-lint.sh check     # install, then lint; exit 1 on any finding
#
# cfn-lint comes from the tools venv that scripts/pytools.sh installs (exact
# pins in scripts/requirements-tools.txt; PHIGUARD_TOOLS_VENV moves it), the
# same cfn-lint that judges the generated baseline.
# Fixtures that are deliberately not deployable templates are listed, with
# the reason, in scripts/cfn-lint-exempt.txt. The test suite runs the same
# lint from crates/phiguard-iac/tests/cfn_lint.rs (PHIGUARD_REQUIRE_CFN_LINT=1
# makes a missing cfn-lint a failure).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${PHIGUARD_TOOLS_VENV:-$HOME/.cache/phiguard/venv-tools}"

install() { "$ROOT/scripts/pytools.sh" install; }

# The templates to lint: examples, then fixtures/cfn, less the exempt ones.
targets() {
    cd "$ROOT"
    local exempt
    exempt="$(awk '!/^#/ && NF {print $1}' scripts/cfn-lint-exempt.txt)"
    find examples fixtures/cfn -type f ! -name expect.yaml \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | sort |
        while read -r f; do
            grep -qxF "$f" <<<"$exempt" || echo "$f"
        done
}

case "${1:-check}" in
install) install ;;
bin) echo "$VENV/bin/cfn-lint" ;;
targets) targets ;;
check)
    install
    cd "$ROOT"
    mapfile -t files < <(targets)
    baseline=() rest=()
    for f in "${files[@]}"; do
        if [[ "$f" == examples/baseline/* ]]; then baseline+=("$f"); else rest+=("$f"); fi
    done
    # The compliant baseline is held to errors and warnings alike. The other
    # templates hold secrets in code, hard-coded zones and the like on
    # purpose (that is what phiguard must find): errors only. Options go
    # after the files (--ignore-checks takes a list). us-east-1's resource
    # specification.
    status=0
    "$VENV/bin/cfn-lint" "${baseline[@]}" --regions us-east-1 || status=1
    "$VENV/bin/cfn-lint" "${rest[@]}" --regions us-east-1 --ignore-checks W || status=1
    if [[ $status != 0 ]]; then
        echo "cfn-lint.sh: cfn-lint found problems (a fixture that is invalid on purpose belongs in scripts/cfn-lint-exempt.txt, with the reason)" >&2
        exit 1
    fi
    echo "cfn-lint.sh: ${#files[@]} templates pass cfn-lint (${#baseline[@]} baseline examples with warnings too)" >&2
    ;;
*) echo "usage: $0 install|bin|targets|check" >&2; exit 2 ;;
esac
