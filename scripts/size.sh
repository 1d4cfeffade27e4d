#!/usr/bin/env bash
# Prints the size of the release build's .wasm and .js files in dist/: raw,
# gzip -9 and brotli (best). Builds the release first if dist/ has no .wasm.
#
#   scripts/size.sh [--build] [--package] [--floor] [--rows]
#
#   --build     rebuild anyway (trunk build --release; with --package also scripts/package.sh)
#   --package   the npm package too (target/package/permissions-widget/: the .wasm,
#               permissions_widget.js and index.js, what a page loads); runs
#               scripts/package.sh when it has not been built
#   --floor     two lower bounds of the app's bundle, built from tests/bench/size-floor/
#               with the app's release profile, dependency versions (Cargo.lock) and
#               wasm-bindgen + wasm-opt steps: the core as the app calls it without any
#               UI, and the same under a Yew app of one small component
#   --rows      markdown table rows `| size | what | value | unit | note |` (scripts/bench.sh)
#
# Totals are the sums of the files compressed one by one (as they are served).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh

build=false package=false floor=false rows=false
for arg in "$@"; do
  case $arg in
    --build) build=true ;;
    --package) package=true ;;
    --floor) floor=true ;;
    --rows) rows=true ;;
    *) echo "usage: scripts/size.sh [--build] [--package] [--floor] [--rows]" >&2; exit 2 ;;
  esac
done

if $build || ! compgen -G 'dist/*.wasm' >/dev/null; then
  scripts/setup.sh
  trunk build --release --locked
fi
PKG=target/package/permissions-widget
if $package && { $build || [ ! -f "$PKG/permissions_widget_bg.wasm" ]; }; then
  scripts/package.sh >/dev/null
fi
command -v brotli >/dev/null || { echo "brotli not found: run scripts/setup.sh" >&2; exit 1; }

# measure WHAT FILE...: one line per file and a total, or (--rows) three
# rows (raw, gzip -9, brotli) whose notes give each file's part.
measure() {
  local what=$1 f raw gz br total_raw=0 total_gz=0 total_br=0 short
  local -a n_raw=() n_gz=() n_br=()
  shift
  $rows || printf '%-44s %10s %10s %10s\n' "$what" raw gzip-9 brotli
  for f in "$@"; do
    [ -f "$f" ] || continue
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    br=$(brotli -q 11 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
    # Hashed names (dist/) shortened to their kind: "wasm", "js"; others kept.
    short=$(basename "$f" | sed -E 's/^.*_bg\.wasm$/wasm/; s/^permissions(-|_)widget(-[0-9a-f]+)?\.js$/js/')
    n_raw+=("$short $(group "$raw")") n_gz+=("$short $(group "$gz")") n_br+=("$short $(group "$br")")
    $rows || printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
  done
  if $rows; then
    printf '| size | %s, raw | %s | bytes | %s |\n' "$what" "$(group "$total_raw")" "$(joined "${n_raw[@]}")"
    printf '| size | %s, gzip -9 | %s | bytes | %s |\n' "$what" "$(group "$total_gz")" "$(joined "${n_gz[@]}")"
    printf '| size | %s, brotli | %s | bytes | %s (brotli -q 11) |\n' "$what" "$(group "$total_br")" "$(joined "${n_br[@]}")"
  else
    printf '%-44s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
    printf '(bytes; %s)\n\n' "$(awk -v r="$total_raw" -v g="$total_gz" -v b="$total_br" \
      'BEGIN { printf "%.1f KiB raw, %.1f KiB gzip, %.1f KiB brotli", r/1024, g/1024, b/1024 }')"
  fi
}
# joined A B C → "A + B + C"
joined() {
  local out=$1
  shift
  for x in "$@"; do out+=" + $x"; done
  printf '%s' "$out"
}
# 1234567 → 1,234,567
group() { printf '%s' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

measure "app (dist/): wasm + js" dist/*.wasm dist/*.js
if $package; then
  measure "package: wasm + js" "$PKG/permissions_widget_bg.wasm" "$PKG/permissions_widget.js" "$PKG/index.js"
fi

# The floors (tests/bench/size-floor/, a workspace of its own) built as
# trunk builds the app: wasm-bindgen --target web, then wasm-opt at
# index.html's level and parameters; out in target/size-floor/out/.
floor_build() {
  local dir=target/size-floor level params name
  rm -rf "$dir/src" "$dir/out" && mkdir -p "$dir/out"
  cp -R tests/bench/size-floor "$dir/src"
  # The workspace's lock file pins the app's versions; the paths to the core
  # are made absolute for the copy.
  cp Cargo.lock "$dir/src/Cargo.lock"
  sed -i "s|path = \"\(\.\./\)*crates/|path = \"$PWD/crates/|" "$dir"/src/{core,yew}/Cargo.toml
  CARGO_TARGET_DIR=$dir/target cargo build --quiet --release --target wasm32-unknown-unknown \
    --manifest-path "$dir/src/Cargo.toml" --workspace
  level=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html | head -n 1)
  read -r -a params <<<"$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n 1)"
  for name in size_floor_core size-floor-yew; do
    wasm-bindgen --target web --no-typescript --out-dir "$dir/out" --out-name "$name" \
      "$dir/target/wasm32-unknown-unknown/release/$name.wasm"
    wasm-opt "-O${level:-z}" ${params[@]+"${params[@]}"} "$dir/out/${name}_bg.wasm" -o "$dir/out/${name}_bg.wasm"
  done
}
if $floor; then
  floor_build
  measure "floor: the core as the app calls it, no UI" target/size-floor/out/size_floor_core_bg.wasm target/size-floor/out/size_floor_core.js
  measure "floor: the same in a Yew app of one component" target/size-floor/out/size-floor-yew_bg.wasm target/size-floor/out/size-floor-yew.js
fi
