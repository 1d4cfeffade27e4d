#!/usr/bin/env bash
# The README's serve command: sets up whatever is missing, then builds the app
# and serves it on http://127.0.0.1:8080 (Trunk.toml), rebuilding on change.
# The app runs on its embedded demo data; no external service is needed.
#
#   scripts/serve.sh            release build (as shipped: wasm-opt -Oz)
#   scripts/serve.sh --dev      debug build (faster to rebuild)
#   extra arguments go to `trunk serve`, e.g. scripts/serve.sh --port 8081
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh

mode=(--release)
if [ "${1:-}" = "--dev" ]; then
  mode=()
  shift
fi
echo "[serve] http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec trunk serve "${mode[@]}" "$@"
