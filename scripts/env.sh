# Sourced by the scripts in this folder: puts the project's tools first on
# PATH. node_modules/.bin holds wasm-opt (npm `binaryen`), which must win over
# any Debian wasm-opt; ~/.cargo/bin holds trunk and the wasm-bindgen CLIs.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Headless browser tests (wasm-bindgen-test-runner and playwright-core) use
# Debian's Chromium and ChromeDriver; nothing is downloaded.
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
# Trunk must never try the network (also set in Trunk.toml).
export TRUNK_OFFLINE=true
