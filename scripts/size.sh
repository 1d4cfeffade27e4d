#!/usr/bin/env bash
# Prints the size of the release build's .wasm and .js files in dist/: raw,
# gzip -9 and brotli (best). Builds the release first if dist/ has no .wasm;
# pass --build to rebuild anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh

if [ "${1:-}" = "--build" ] || ! compgen -G 'dist/*.wasm' >/dev/null; then
  scripts/setup.sh
  trunk build --release
fi
command -v brotli >/dev/null || { echo "brotli not found: run scripts/setup.sh" >&2; exit 1; }

printf '%-44s %10s %10s %10s\n' file raw gzip-9 brotli
total_raw=0 total_gz=0 total_br=0
for f in dist/*.wasm dist/*.js; do
  [ -f "$f" ] || continue
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-44s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
printf '(bytes; %s)\n' "$(awk -v r="$total_raw" -v g="$total_gz" -v b="$total_br" \
  'BEGIN { printf "%.1f KiB raw, %.1f KiB gzip, %.1f KiB brotli", r/1024, g/1024, b/1024 }')"
