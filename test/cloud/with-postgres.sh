#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL: initdb in a temp dir, start on a free port
# (127.0.0.1 and a private socket dir), export DATABASE_URL, run, stop, delete. As root it runs
# the server as the `postgres` user (initdb refuses root).
#
#   bash test/cloud/with-postgres.sh                      # the cloud test suite (default)
#   bash test/cloud/with-postgres.sh npm run bench:sync   # anything else that reads DATABASE_URL
#
# Needs the PostgreSQL server binaries (Debian: apt-get install -y postgresql).
set -euo pipefail

cd "$(dirname "$0")/../.."

BIN_DIR="${PG_BIN_DIR:-}"
if [[ -z "$BIN_DIR" ]]; then
  if command -v initdb >/dev/null 2>&1; then
    BIN_DIR="$(dirname "$(readlink -f "$(command -v initdb)")")"
  else
    BIN_DIR="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
fi
if [[ -z "$BIN_DIR" || ! -x "$BIN_DIR/initdb" ]]; then
  echo "with-postgres: no initdb found; install PostgreSQL (apt-get install -y postgresql) or set PG_BIN_DIR" >&2
  exit 2
fi

PORT="${PG_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
WORK="$(mktemp -d /tmp/palm-pg.XXXXXX)"
DATA="$WORK/data"
SOCK="$WORK/sock"
mkdir -p "$DATA" "$SOCK"

as_pg() {
  if [[ "$(id -u)" == "0" ]]; then
    chown -R postgres:postgres "$WORK"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cleanup() {
  as_pg "$BIN_DIR/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

as_pg "$BIN_DIR/initdb" -D "$DATA" -U palm --auth=trust --encoding=UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg "$BIN_DIR/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 60 \
  -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$WORK/server.log" >&2; exit 1; }

as_pg "$BIN_DIR/createdb" -h 127.0.0.1 -p "$PORT" -U palm palm
export DATABASE_URL="postgres://palm@127.0.0.1:$PORT/palm"
echo "with-postgres: PostgreSQL $("$BIN_DIR/postgres" --version | awk '{print $3}') at $DATABASE_URL" >&2

if [[ $# -eq 0 ]]; then
  set -- npx vitest run cloud/
fi
"$@"
