#!/usr/bin/env bash
# Load numbers for the permission service (a benchmark, not a test: not run
# by scripts/test.sh). Builds the server and the load client
# (server/examples/load.rs) in the `server` profile, starts the server on a
# throwaway SQLite file and on a throwaway PostgreSQL cluster (Debian's
# initdb/pg_ctl, as for the server's tests), both with --demo on loopback, and
# measures requests per second for
#
#   check   POST /api/v1/check, a batch of BATCH questions, as u-ana
#   save    POST /api/v1/team/changes as u-admin, alternating a grant and its
#           revoke with If-Match of the newest version (1 worker: every save
#           commits; several: some get 412 and retry on the new version)
#
# then prints a table (docs/performance.md records one run).
#
#   scripts/load.sh                         # SQLite and PostgreSQL, 10 s per row
#   SECONDS_PER_RUN=5 BACKENDS=sqlite scripts/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
BATCH=${BATCH:-20}
BACKENDS=${BACKENDS:-"sqlite postgres"}
say() { printf '[load] %s\n' "$*" >&2; }

cargo build --locked --profile server -p permissions-server --bin permissions-server --example load >&2
SERVER=target/server/permissions-server
CLIENT=target/server/examples/load

work=$(mktemp -d /tmp/permissions-load.XXXXXX)
pid=
pg_bin=
as_pg=()
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "$pg_bin" ] && [ -d "$work/pg/data" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_server URL: starts the server on the database URL, sets $pid and $base.
start_server() {
  : >"$work/stdout"
  RUST_LOG=warn "$SERVER" --listen 127.0.0.1:0 --database-url "$1" --demo \
    --db-connections 8 >"$work/stdout" 2>"$work/server.log" &
  pid=$!
  base=
  for _ in $(seq 1 300); do
    base=$(sed -n 's#^permissions-server listening on \(http://[^/]*\)/$#\1#p' "$work/stdout" | head -n 1)
    [ -n "$base" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  say "the server did not start:"
  cat "$work/server.log" >&2
  exit 1
}
stop_server() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

# A throwaway PostgreSQL cluster (as `nobody` when root: initdb refuses root).
start_postgres() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    pg_bin=$(dirname "$(command -v initdb)")
  else
    pg_bin=$(find /usr/lib/postgresql -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)
  fi
  [ -n "$pg_bin" ] || { say "no initdb/pg_ctl (scripts/setup.sh installs postgresql)"; exit 1; }
  mkdir -p "$work/pg"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$work"
    chown nobody "$work/pg"
    as_pg=(runuser -u nobody --)
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -A trust -U postgres --no-sync >/dev/null
  pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Default durability (fsync on), unlike the tests' clusters.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
}

rows=()
measure() { # backend mode concurrency
  local line
  line=$("$CLIENT" --url "$base" --mode "$2" --concurrency "$3" --seconds "$SECONDS_PER_RUN" --batch "$BATCH")
  say "$1: $line"
  rows+=("$1 $line")
}

for backend in $BACKENDS; do
  case $backend in
    sqlite) url="sqlite://$work/permissions.db" ;;
    postgres)
      start_postgres
      url="postgres://postgres@127.0.0.1:$pg_port/postgres"
      ;;
    *) say "unknown backend $backend"; exit 1 ;;
  esac
  start_server "$url"
  say "$backend: server at $base"
  measure "$backend" check 1
  measure "$backend" check 8
  measure "$backend" save 1
  measure "$backend" save 4
  stop_server
done

printf '\n%s, %s cores, %s s per row, check batch of %s questions\n\n' \
  "$(uname -m)" "$(nproc)" "$SECONDS_PER_RUN" "$BATCH"
printf '| backend | request | workers | requests/s | committed saves/s | 412s | p50 ms | p99 ms |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for row in "${rows[@]}"; do
  # backend mode concurrency requests seconds rps ok conflicts errors p50 p99
  read -r backend mode conc _requests secs rps ok conflicts _errors p50 p99 <<<"$row"
  if [ "$mode" = check ]; then
    printf '| %s | check (%s questions) | %s | %s | | | %s | %s |\n' "$backend" "$BATCH" "$conc" "$rps" "$p50" "$p99"
  else
    committed=$(python3 -c "print(round($ok / $secs))")
    printf '| %s | save | %s | %s | %s | %s | %s | %s |\n' "$backend" "$conc" "$rps" "$committed" "$conflicts" "$p50" "$p99"
  fi
done
