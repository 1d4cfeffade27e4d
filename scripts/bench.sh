#!/usr/bin/env bash
# Every benchmark in one command; prints ONE markdown table
# `| group | scenario | value | unit | note |` on stdout (progress on stderr,
# each part's full output in target/bench-logs/<part>.log):
#
#   native   cargo bench --bench evaluator (criterion; the median)          BENCH_SCALE=$SCALE
#   wasm     scripts/bench-wasm.sh: the same scenarios in headless Chromium  BENCH_SCALE=$SCALE
#   cedar    cargo run -p bench-cedar --profile bench -- --scale $SCALE, when that package is in
#            the workspace (a row says so when it is not)
#   browser  tests/bench/browser.bench.mjs: the app (trunk build --release) with
#            ?demo=large, driven by playwright-core in Debian Chromium
#   size     scripts/size.sh --package --floor --rows: the app's and the npm package's
#            wasm + js, and two lower bounds of the app's (tests/bench/size-floor/)
#
#   SCALE=L            the synthetic workload: S, M or L (model::synthetic)
#   ONLY=native,size   only these parts (default: all five)
#
# Not run by scripts/test.sh (it only checks that the benchmarks build and
# run on S). Figures and how to read them: docs/performance.md.
set -uo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-L}
ONLY=${ONLY:-native,wasm,cedar,browser,size}
case $SCALE in S | M | L) ;; *) echo "SCALE=$SCALE: S, M or L" >&2; exit 2 ;; esac

scripts/setup.sh >&2 || { echo "[bench] setup failed" >&2; exit 1; }
# shellcheck source=scripts/env.sh
. scripts/env.sh

LOG_DIR=target/bench-logs
mkdir -p "$LOG_DIR"
ROWS=$LOG_DIR/rows.md
: >"$ROWS"
failed=0

wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# part GROUP COMMAND...: runs COMMAND into target/bench-logs/GROUP.log and
# keeps its rows (`| GROUP | …`); a failure is a row too.
part() {
  local group=$1 log="$LOG_DIR/$1.log" t0=$SECONDS rc
  shift
  echo "[bench] $group: $*" >&2
  "$@" >"$log" 2>&1
  rc=$?
  grep -E "^\| $group \|" "$log" >>"$ROWS"
  if [ "$rc" -ne 0 ]; then
    echo "| $group | (failed) | | | exit $rc: see $log |" >>"$ROWS"
    failed=$((failed + 1))
  fi
  echo "[bench] $group: exit $rc in $((SECONDS - t0)) s" >&2
}

if wants native; then
  part native env BENCH_SCALE="$SCALE" cargo bench --locked --bench evaluator
fi
if wants wasm; then
  part wasm env BENCH_SCALE="$SCALE" scripts/bench-wasm.sh
fi
if wants cedar; then
  if cargo metadata --no-deps --format-version 1 --locked 2>/dev/null | grep -q '"name":"bench-cedar"'; then
    part cedar cargo run --locked -p bench-cedar --profile bench -- --scale "$SCALE"
  else
    echo "| cedar | (missing) | | | the package bench-cedar (crates/bench-cedar) is not in this workspace |" >>"$ROWS"
  fi
fi
if wants browser || wants size; then
  echo "[bench] build: trunk build --release" >&2
  if ! trunk build --release --locked >"$LOG_DIR/build.log" 2>&1; then
    echo "| browser | (failed) | | | trunk build --release: see $LOG_DIR/build.log |" >>"$ROWS"
    failed=$((failed + 1))
  fi
fi
if wants browser; then
  part browser env SCALE="$SCALE" node tests/bench/browser.bench.mjs
fi
if wants size; then
  # A fresh package (the app was built above).
  part size bash -c 'scripts/package.sh && scripts/size.sh --package --floor --rows'
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), SCALE=$SCALE, $(nproc) cores ($cpu), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "| group | scenario | value | unit | note |"
echo "| --- | --- | ---: | --- | --- |"
cat "$ROWS"
[ "$failed" -eq 0 ]
