#!/usr/bin/env bash
# Makes sure headless Chromium is installed (Debian's `chromium`), for the
# HTML report's browser tests, and prints the path of the binary.
#
#   scripts/chromium.sh          install where missing, print the path
#   scripts/chromium.sh env      print `export PHIGUARD_CHROMIUM=...`
#
# The tests read PHIGUARD_CHROMIUM (else they look for `chromium` on PATH).
set -euo pipefail

find_chromium() {
    for c in "${PHIGUARD_CHROMIUM:-}" chromium chromium-browser google-chrome; do
        [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && { command -v "$c"; return 0; }
    done
    return 1
}

if ! bin=$(find_chromium); then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        echo "phiguard: installing chromium (Debian) for the HTML report tests" >&2
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
        bin=$(find_chromium)
    else
        echo "phiguard: chromium is missing and apt-get is not available" >&2
        exit 1
    fi
fi

case "${1:-}" in
    env) echo "export PHIGUARD_CHROMIUM=$bin" ;;
    *) echo "$bin" ;;
esac
