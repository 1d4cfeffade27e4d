#!/usr/bin/env bash
# Builds the npm package `permissions-widget` into target/package/permissions-widget/
# and packs it (target/package/permissions-widget-<version>.tgz):
#
#   permissions_widget.js, permissions_widget_bg.wasm (+ .d.ts)   wasm-bindgen --target web
#                                                                 of the library (release, as a cdylib
#                                                                 alone; wasm-opt as for the app)
#   index.js, index.d.ts, node.js, node.d.ts, package.json,      packages/permissions-widget/
#   custom-elements.json, README.md
#   styles/*.css                                                  styles/ (the widget carries them
#                                                                 in the wasm too; these are for reference)
#
# Fixed file names, no content hashes. Prints the sizes (raw / gzip -9 / brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh

OUT=target/package/permissions-widget
SRC=packages/permissions-widget
WASM=target/wasm32-unknown-unknown/release/permissions_widget.wasm

# The library as a cdylib, alone: built as both a cdylib and an rlib (the
# kind the app's binary and the tests link), the cdylib came out 28% larger
# before wasm-opt, and the package 428 KB brotli against 396 KB (392 KB with
# the wasm-opt parameters below).
cargo rustc --release --locked --target wasm32-unknown-unknown --lib --features embed --crate-type cdylib
rm -rf "$OUT" target/package/*.tgz
mkdir -p "$OUT/styles" target/package/bindgen
wasm-bindgen --target web --out-dir target/package/bindgen --out-name permissions_widget "$WASM"
# The app's wasm-opt parameters (index.html; docs/performance.md, "Bundle").
wasm-opt -Oz --enable-reference-types --low-memory-unused --converge target/package/bindgen/permissions_widget_bg.wasm \
  --output "$OUT/permissions_widget_bg.wasm"
cp target/package/bindgen/permissions_widget.js target/package/bindgen/permissions_widget.d.ts \
  target/package/bindgen/permissions_widget_bg.wasm.d.ts "$OUT/"
cp "$SRC"/index.js "$SRC"/index.d.ts "$SRC"/node.js "$SRC"/node.d.ts "$SRC"/package.json \
  "$SRC"/custom-elements.json "$SRC"/README.md "$OUT/"
cp styles/*.css "$OUT/styles/"
(cd target/package && npm pack ./permissions-widget --silent >/dev/null)
tgz=$(ls target/package/permissions-widget-*.tgz)

size() {
  local f=$1
  printf '%-34s %9d raw %9d gzip %9d brotli\n' "$(basename "$f")" "$(wc -c <"$f")" \
    "$(gzip -9 -c "$f" | wc -c)" "$(brotli -c -q 11 "$f" | wc -c)"
}
echo "[package] $OUT and $tgz"
size "$OUT/permissions_widget_bg.wasm"
size "$OUT/permissions_widget.js"
size "$OUT/index.js"
cat "$OUT/permissions_widget_bg.wasm" "$OUT/permissions_widget.js" "$OUT/index.js" >target/package/all.bin
size target/package/all.bin | sed 's/^all.bin  /wasm + js (together)/'
size "$tgz"
