#!/usr/bin/env bash
# The README's serve command: sets up whatever is missing, builds the app
# (trunk build) and runs the permission service (server/) on a SQLite file,
# serving the app and the API from one origin: http://127.0.0.1:8080/.
# The first start creates target/serve/permissions.db and seeds it with the
# demo team; the server prints the demo users' tokens (demo mode is on, so
# the app can also fetch them from GET /api/v1/demo/tokens).
#
#   scripts/serve.sh            release builds (the app as shipped: wasm-opt -Oz)
#   scripts/serve.sh --dev      debug builds (faster to build)
#   extra arguments go to permissions-server, e.g. scripts/serve.sh --listen 127.0.0.1:8081
#   PERMISSIONS_DB=sqlite://… or postgres://… picks another database.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh

release=true
trunk_mode=(--release)
cargo_mode=(--profile server)
if [ "${1:-}" = "--dev" ]; then
  release=false
  trunk_mode=()
  cargo_mode=()
  shift
fi
database=${PERMISSIONS_DB:-sqlite://target/serve/permissions.db}

echo "[serve] building the app (trunk build ${trunk_mode[*]})"
trunk build "${trunk_mode[@]}" --locked
if $release; then
  # The app's files compressed once, at the best levels: the service sends
  # X.br (or X.gz) for X to a browser that accepts it, and compresses the
  # rest on the fly at a faster level.
  echo "[serve] compressing the app's files (brotli -q 11, gzip -9)"
  for f in dist/*.wasm dist/*.js dist/*.css; do
    brotli -q 11 -k -f "$f"
    gzip -9 -k -f "$f"
  done
fi
echo "[serve] starting the permission service on ${database} (it prints its URL, http://127.0.0.1:8080/ by default, and the demo tokens; Ctrl-C to stop)"
exec cargo run --locked "${cargo_mode[@]}" -p permissions-server -- \
  --listen 127.0.0.1:8080 --database-url "$database" --static dist --demo "$@"
