#!/usr/bin/env bash
# The evaluator benchmark in headless Chromium, built with the release profile
# (what ships). Native numbers: cargo bench --bench evaluator
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
source scripts/env.sh 2>/dev/null || true
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
# Its own target dir: the release artifacts of `trunk build` differ in features.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/bench-wasm}
cargo test --target wasm32-unknown-unknown --profile "${PROFILE:-release}" --features wasm-bench --test bench_wasm -- --nocapture 2>&1 |
  grep -vE '^\s*(Compiling|Finished|Running|Blocking|=|\|)|output filename collision'
