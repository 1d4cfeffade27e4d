#!/usr/bin/env bash
# The evaluator benchmark in headless Chromium (tests/bench_wasm.rs: the
# scenarios of benches/scenarios.rs), built with the `bench-wasm` profile:
# the release profile (what ships) with panic = "unwind" (Cargo.toml says
# why). Prints table rows `| wasm | … |`. BENCH_SCALE=S|M|L (default L) is
# read at compile time. Native numbers: cargo bench --bench evaluator
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
source scripts/env.sh 2>/dev/null || true
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export BENCH_SCALE=${BENCH_SCALE:-L}
# Workload L takes minutes in wasm: more than env.sh's test timeout (BENCH_TIMEOUT, s).
export WASM_BINDGEN_TEST_TIMEOUT=${BENCH_TIMEOUT:-1200}
# Its own target dir: the release artifacts of `trunk build` differ in features.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/bench-wasm}
# Compiler noise out (its source excerpts are indented `|` lines; our rows start with `|`).
cargo test --target wasm32-unknown-unknown --locked --profile "${PROFILE:-bench-wasm}" --features wasm-bench --test bench_wasm -- --nocapture 2>&1 |
  grep -vE '^\s*(Compiling|Finished|Running|Blocking|=)|^\s*[0-9]*\s+\||output filename collision'
