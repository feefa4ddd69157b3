#!/usr/bin/env bash
# Starts and stops the PostgreSQL server that phiguard's history-store tests
# run against: Debian's `postgresql` (installed with apt-get where missing),
# a throwaway cluster (initdb) in a temporary directory, listening on
# 127.0.0.1 on a free port, run as the `postgres` user, trust authentication.
#
#   scripts/postgres.sh start   # install (once), initdb, start, wait until it answers
#   scripts/postgres.sh stop    # stop and delete the cluster
#   scripts/postgres.sh status
#   scripts/postgres.sh env     # prints the exports the tests read
#
# Environment:
#   PHIGUARD_PG_DIR  where the cluster lives [default: ${TMPDIR:-/tmp}/phiguard-postgres]
set -euo pipefail

DIR="${PHIGUARD_PG_DIR:-${TMPDIR:-/tmp}/phiguard-postgres}"
DATA="$DIR/data"
LOG="$DIR/server.log"
PORTFILE="$DIR/port"

die() { echo "postgres.sh: $*" >&2; exit 1; }

bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
    done
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

ensure_installed() {
    bindir >/dev/null && return 0
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed; run: sudo apt-get install postgresql"
    echo "postgres.sh: installing Debian's postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    bindir >/dev/null || die "postgresql installed, but no initdb/pg_ctl found"
}

# Runs a command as the postgres user when we are root (initdb refuses root).
as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null && return 0
    local p
    for p in $(seq 54320 54400); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    die "no free port"
}

running() {
    local bin
    bin="$(bindir)" || return 1
    [[ -f "$PORTFILE" && -d "$DATA" ]] && as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$PORTFILE")/postgres"; }

case "${1:-}" in
    start)
        if running; then echo "postgres.sh: already running on $(url)" >&2; exit 0; fi
        ensure_installed
        bin="$(bindir)"
        rm -rf "$DIR"
        mkdir -p "$DIR"
        [[ "$(id -u)" == 0 ]] && { id postgres >/dev/null 2>&1 || useradd --system postgres; chown postgres "$DIR"; }
        as_pg "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
            || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
        port="$(free_port)"
        echo "$port" >"$PORTFILE"
        as_pg "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c fsync=off -c max_connections=200" start >/dev/null \
            || { cat "$LOG" >&2; die "the server did not start"; }
        echo "postgres.sh: PostgreSQL on $(url)" >&2
        ;;
    stop)
        if bin="$(bindir)" && [[ -d "$DATA" ]]; then
            as_pg "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$DIR"
        ;;
    status)
        if running; then echo "running on $(url)"; else echo "not running"; exit 1; fi
        ;;
    env)
        running || die "not running; run: scripts/postgres.sh start"
        echo "export PHIGUARD_TEST_POSTGRES=$(url)"
        echo "export PHIGUARD_REQUIRE_POSTGRES=1"
        ;;
    *)
        echo "usage: scripts/postgres.sh start|stop|status|env" >&2
        exit 2
        ;;
esac
