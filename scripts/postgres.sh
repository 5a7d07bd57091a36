#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the tests (installing it from Debian's
# packages when missing) and prints its URL. Idempotent: a server already running is reused.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA_DIR="${PGDATA_DIR:-/tmp/monitor-test-pg}"
URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "postgres: installing postgresql" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

as=()
if [ "$(id -u)" -eq 0 ]; then  # the server refuses to run as root
  as=(runuser -u postgres --)
fi
if "${as[@]}" "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  echo "$URL"
  exit 0
fi
rm -rf "$PGDATA_DIR"
mkdir -p "$PGDATA_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA_DIR"
"${as[@]}" "$BIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust --no-sync >"$PGDATA_DIR.init.log" 2>&1
"${as[@]}" "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR.log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off -c synchronous_commit=off -c max_connections=200" >&2
echo "$URL"
