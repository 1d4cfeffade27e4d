#!/usr/bin/env bash
# What weighs in the app's release wasm (docs/performance.md, "Bundle").
#
#   scripts/twiggy.sh [--build] [N]
#
# Takes the wasm that `trunk build --release` compiled
# (target/wasm32-unknown-unknown/release/permissions-widget.wasm; --build, or
# no such file, runs the build first), runs wasm-bindgen and wasm-opt on it
# as trunk does (the level and parameters of index.html's data-wasm-opt),
# but keeps the function names (wasm-opt -g), so the code is the code of
# dist/*.wasm with names. Then prints, with twiggy (scripts/setup.sh):
# the N largest items (default 40), the largest retained sizes (dominators),
# the generic functions with the most monomorphizations, and the raw bytes
# per crate / per kind of item (a rough attribution by the first crate path
# in each function's name). Writes target/twiggy/top.csv for further digging.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh

build=0
n=40
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    [0-9]*) n=$arg ;;
    *) echo "usage: scripts/twiggy.sh [--build] [N]" >&2; exit 2 ;;
  esac
done

wasm=target/wasm32-unknown-unknown/release/permissions-widget.wasm
if [ "$build" = 1 ] || [ ! -f "$wasm" ]; then
  scripts/setup.sh
  trunk build --release
fi
command -v twiggy >/dev/null || { echo "twiggy not found: run scripts/setup.sh" >&2; exit 1; }

out=target/twiggy
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name permissions-widget "$wasm"
# The wasm-opt level and parameters trunk uses (index.html).
level=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html | head -n 1)
read -r -a params <<<"$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n 1)"
wasm-opt "-O${level:-z}" ${params[@]+"${params[@]}"} -g "$out/permissions-widget_bg.wasm" -o "$out/app.wasm"

printf '== %s: wasm-opt -O%s %s -g (names kept; dist/ has the same code without them)\n\n' \
  "$out/app.wasm" "${level:-z}" "${params[*]:-}"
twiggy top -n "$n" "$out/app.wasm"
echo
echo "== largest retained sizes (twiggy dominators)"
twiggy dominators -d 3 -r 30 "$out/app.wasm" | cut -c1-200
echo
echo "== most monomorphized generic functions (twiggy monos)"
twiggy monos -m 20 -n 0 "$out/app.wasm" | cut -c1-200
echo
twiggy top -n 1000000 --format csv "$out/app.wasm" >"$out/top.csv"
echo "== raw bytes per crate and kind (names section left out)"
python3 - "$out/top.csv" <<'EOF'
import collections, csv, re, sys

CRATES = ["permissions_widget", "permissions_core", "serde_path_to_error", "serde_json",
          "serde_core", "serde", "yew", "implicit_clone", "gloo", "web_sys", "js_sys",
          "wasm_bindgen_futures", "wasm_bindgen", "dlmalloc", "hashbrown", "rustc_hash",
          "indexmap", "core", "alloc", "std"]
by_crate, by_kind = collections.Counter(), collections.Counter()
for row in csv.DictReader(open(sys.argv[1])):
    name, size = row["Name"], int(row["ShallowSize"])
    if "function names" in name or name.startswith("custom section"):
        continue
    if name.startswith("data segment"):
        by_crate["(data: strings, panic locations, embedded JSON)"] += size
        continue
    hits = {}
    for c in CRATES:
        m = re.search(r"(?<![A-Za-z_])" + c + r"(\[[0-9a-f]+\])?::", name)
        if m:
            hits[c] = m.start()
    by_crate[min(hits, key=hits.get) if hits else "(other)"] += size
    plain = re.sub(r"\[[0-9a-f]+\]", "", name)
    if "::sort::" in plain:
        kind = "std sorting (per element type and comparator)"
    elif plain.startswith("core::ptr::drop_in_place"):
        kind = "drop glue"
    elif "as yew::html::component::lifecycle::Stateful>::view" in plain:
        kind = "yew component views (the html! of function components)"
    elif "serde_path_to_error" in plain:
        kind = "serde_path_to_error"
    elif re.search(r"serde|Deserialize|Serialize", plain):
        kind = "serde / serde_json (de)serialization"
    elif "core::fmt" in plain or "as core::fmt::" in plain:
        kind = "formatting (Display / Debug / write!)"
    elif "alloc::collections::btree" in plain:
        kind = "BTreeMap / BTreeSet"
    elif "hashbrown" in plain or "std::collections::hash" in plain:
        kind = "HashMap / HashSet"
    else:
        continue
    by_kind[kind] += size
total = sum(by_crate.values())
print(f"{'bytes':>9}  {'%':>5}  crate (first path in the name)")
for k, v in by_crate.most_common():
    print(f"{v:9d}  {100 * v / total:5.1f}  {k}")
print(f"{total:9d}  100.0  total\n")
print(f"{'bytes':>9}  {'%':>5}  kind (across crates)")
for k, v in by_kind.most_common():
    print(f"{v:9d}  {100 * v / total:5.1f}  {k}")
EOF
