#!/usr/bin/env bash
# Starts and stops the moto server that phiguard's live-audit tests and
# benchmarks run against.
#
#   scripts/moto.sh start   # venv (once), moto_server on 127.0.0.1, wait until it answers
#   scripts/moto.sh stop
#   scripts/moto.sh status
#   scripts/moto.sh env     # prints the exports the tests read
#
# Environment:
#   PHIGUARD_VENV       the venv [default: $HOME/.cache/phiguard/venv]
#   PHIGUARD_MOTO_PORT  the port [default: 5599]
#   PHIGUARD_PYTHON_BIN the interpreter that creates the venv [default: python3]
#
# The venv is installed from scripts/requirements-live.txt (exact pins) and
# reinstalled only when that file changes. The server's log is
# $PHIGUARD_VENV/moto.log and its pid $PHIGUARD_VENV/moto.pid (moto-PORT.log
# and moto-PORT.pid on a port other than 5599).
# Tests reset the server's state with `POST /moto-api/reset`.

set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${PHIGUARD_VENV:-$HOME/.cache/phiguard/venv}"
PORT="${PHIGUARD_MOTO_PORT:-5599}"
HOST=127.0.0.1
REQS="$ROOT/scripts/requirements-live.txt"
# One server per port: a second port gets its own pid file and log.
SUFFIX=""
[[ "$PORT" != 5599 ]] && SUFFIX="-$PORT"
PIDFILE="$VENV/moto$SUFFIX.pid"
LOG="$VENV/moto$SUFFIX.log"
URL="http://$HOST:$PORT"

die() { echo "moto.sh: $*" >&2; exit 1; }

answers() {
    # The dashboard page answers once the server is up. (Not data.json: it
    # serialises the whole state, is slow on a large estate and answers 500
    # for some resources.)
    "$VENV/bin/python" - "$URL" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=5) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

running_pid() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

ensure_venv() {
    local stamp="$VENV/.phiguard-requirements"
    if [[ -x "$VENV/bin/python" && -f "$stamp" ]] && cmp -s "$REQS" "$stamp"; then
        return
    fi
    local py="${PHIGUARD_PYTHON_BIN:-python3}"
    command -v "$py" >/dev/null || die "$py not found: install CPython 3.9+ with venv and pip"
    if [[ ! -x "$VENV/bin/python" ]]; then
        echo "moto.sh: creating venv $VENV" >&2
        mkdir -p "$(dirname "$VENV")"
        "$py" -m venv "$VENV" || die "could not create a venv (Debian: apt-get install python3-venv)"
    fi
    echo "moto.sh: installing $(basename "$REQS") into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" \
        || die "pip install failed"
    cp "$REQS" "$stamp"
}

start() {
    ensure_venv
    local pid
    if pid="$(running_pid)"; then
        if answers; then
            echo "moto.sh: moto already running (pid $pid) at $URL" >&2
            return
        fi
        die "pid $pid is alive but $URL does not answer; see $LOG or run '$0 stop'"
    fi
    if answers; then
        die "something else already answers at $URL (no pid file); choose PHIGUARD_MOTO_PORT"
    fi
    # setsid: the server outlives this shell and a Ctrl-C in it.
    setsid "$VENV/bin/moto_server" -H "$HOST" -p "$PORT" >"$LOG" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
    local i
    for i in $(seq 1 60); do
        if answers; then
            echo "moto.sh: moto up at $URL (pid $(cat "$PIDFILE"), log $LOG)" >&2
            return
        fi
        if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            tail -n 30 "$LOG" >&2 || true
            rm -f "$PIDFILE"
            die "moto_server exited during start-up; log above ($LOG)"
        fi
        sleep 0.5
    done
    tail -n 30 "$LOG" >&2 || true
    die "moto_server did not answer at $URL within 30 s; log above ($LOG)"
}

stop() {
    local pid
    if pid="$(running_pid)"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        echo "moto.sh: stopped pid $pid" >&2
    else
        echo "moto.sh: not running" >&2
    fi
    rm -f "$PIDFILE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    status)
        if pid="$(running_pid)" && answers; then echo "running pid $pid at $URL"; else echo "not running"; exit 1; fi ;;
    env)
        echo "export PHIGUARD_MOTO_ENDPOINT=$URL"
        echo "export PHIGUARD_PYTHON=$VENV/bin/python" ;;
    *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
