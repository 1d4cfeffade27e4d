#!/usr/bin/env bash
# The README's test command (and CI's, through .ci/run): sets up whatever is
# missing, then runs every layer in order and fails if any layer fails or runs
# no test:
#
#   fmt          cargo fmt --check
#   clippy       cargo clippy --workspace, native (all targets) and wasm32 (lib, bins, tests;
#                without the server, which is native only)
#   native       cargo test --workspace --all-targets, then the doc tests (includes
#                the server's tests on SQLite files and throwaway PostgreSQL clusters)
#   contract     scripts/contract.sh: schemathesis (PyPI, target/venv) sends requests
#                generated from api/openapi.yaml to the server on a throwaway SQLite
#                file; counted per API operation
#   browser      cargo test --target wasm32-unknown-unknown --lib --bins --tests
#                (headless Chromium through wasm-bindgen-test-runner)
#   build        trunk build --release (wasm-opt -Oz)
#   package      scripts/package.sh: the npm package (target/package/permissions-widget/)
#                and its tarball (target/package/permissions-widget-<version>.tgz)
#   node         node --test tests/node/*.test.mjs: the packed package in Node (the
#                headless evaluator from the wasm bytes, the README's example test)
#   page         node --test tests/page/*.test.mjs (playwright-core driving
#                Debian Chromium against dist/ served on a free localhost port;
#                tests/page/service.test.mjs starts the permission service
#                itself, on a throwaway SQLite file, serving dist/; the example
#                hosts (examples/) on the packed package, for tests/page/embed*.test.mjs,
#                with the permission service this script starts in SERVICE_URL;
#                the Vite host is built offline by the project's vite)
#   bench        node tests/bench/browser.bench.mjs on workload S (SCALE=S): the browser
#                benchmark still runs against dist/ (no timing is asserted; the
#                criterion benchmarks run once each on S under `native`)
#
# Every layer runs even when an earlier one failed (except page, which needs
# build), so one run shows everything. Logs: target/test-logs/<layer>.log.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

scripts/setup.sh || { echo "[test] setup failed" >&2; exit 1; }
# shellcheck source=scripts/env.sh
. scripts/env.sh

LOG_DIR=target/test-logs
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log

declare -a LAYERS=()
declare -A STATUS=() SUMMARY=() SECS=()
total_passed=0
total_failed=0

# run_layer NAME COMMAND...: runs COMMAND, streaming its output and appending
# it to target/test-logs/NAME.log; records pass/FAIL and the time taken.
run_layer() {
  local name=$1
  shift
  local log="$LOG_DIR/$name.log" t0=$SECONDS rc
  [[ " ${LAYERS[*]} " == *" $name "* ]] || LAYERS+=("$name")
  printf '\n[test] ==== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee -a "$log"
  rc=${PIPESTATUS[0]}
  SECS[$name]=$((${SECS[$name]:-0} + SECONDS - t0))
  if [ "$rc" -ne 0 ]; then
    STATUS[$name]="FAIL (exit $rc)"
  elif [ -z "${STATUS[$name]:-}" ]; then
    STATUS[$name]=pass
  fi
  return "$rc"
}

# cargo_counts NAME: sums libtest / wasm-bindgen-test summary lines
# ("test result: ok. N passed; M failed; ...") of the layer's log; fails the
# layer if it ran no test.
cargo_counts() {
  local name=$1 log="$LOG_DIR/$1.log" passed failed empty
  # Binaries with no tests at all ("0 passed; 0 failed") are counted, not shown.
  SUMMARY[$name]=$(grep -E '^test result: ' "$log" | grep -vE ' 0 passed; 0 failed; 0 ignored' || true)
  empty=$(grep -cE '^test result: .* 0 passed; 0 failed; 0 ignored' "$log" || true)
  [ "$empty" -eq 0 ] || SUMMARY[$name]+=$'\n'"($empty test binaries without tests)"
  passed=$(grep -oE '^test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
  failed=$(grep -oE '^test result: .* [0-9]+ failed' "$log" | grep -oE '[0-9]+ failed' | awk '{s += $1} END {print s + 0}')
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if [ "$passed" -eq 0 ]; then
    STATUS[$name]="FAIL (ran no test)"
  elif [ "$failed" -ne 0 ] && [ "${STATUS[$name]}" = pass ]; then
    STATUS[$name]="FAIL ($failed failed)"
  fi
}

# --- static checks ------------------------------------------------------------
run_layer fmt cargo fmt --all --check
run_layer clippy cargo clippy --workspace --all-targets --locked -- -D warnings
# bench-cedar (native benchmark, cedar-policy) is never built for wasm32.
run_layer clippy cargo clippy --workspace --exclude permissions-server --exclude bench-cedar --target wasm32-unknown-unknown --lib --bins --tests --features permissions-widget/embed --locked -- -D warnings

# --- native tests -------------------------------------------------------------
run_layer native cargo test --workspace --all-targets --locked
run_layer native cargo test --workspace --doc --locked
cargo_counts native

# --- contract tests (schemathesis against the server) ---------------------------
run_layer contract scripts/contract.sh
log="$LOG_DIR/contract.log"
SUMMARY[contract]=$(grep -E '^\[contract\] operations: |^  [0-9]+ generated' "$log" || true)
passed=$(sed -nE 's/^\[contract\] operations: ([0-9]+) passed.*/\1/p' "$log" | tail -n 1)
failed=$(sed -nE 's/^\[contract\] operations: [0-9]+ passed, ([0-9]+) failed.*/\1/p' "$log" | tail -n 1)
passed=${passed:-0}
failed=${failed:-0}
total_passed=$((total_passed + passed))
total_failed=$((total_failed + failed))
if [ "$passed" -eq 0 ]; then
  STATUS[contract]="FAIL (ran no test)"
elif [ "$failed" -ne 0 ] && [ "${STATUS[contract]}" = pass ]; then
  STATUS[contract]="FAIL ($failed failed)"
fi

# --- browser tests (wasm32 in headless Chromium) --------------------------------
# Never pass -q here: wasm-bindgen-test-runner rejects --quiet. Doc tests run
# natively only (cargo would otherwise build every doc example for wasm32).
run_layer browser cargo test --target wasm32-unknown-unknown --lib --bins --tests --features embed --locked
cargo_counts browser

# --- release build ------------------------------------------------------------
run_layer build trunk build --release --locked

# --- the npm package, and the evaluator from it in Node ---------------------------
run_layer package scripts/package.sh
tgz=$(ls target/package/permissions-widget-*.tgz 2>/dev/null | head -n1)
export PACKAGE_TGZ=${tgz:+$PWD/$tgz}
run_layer node node --test --test-reporter=tap tests/node/*.test.mjs
node_counts() {
  local name=$1 log="$LOG_DIR/$1.log" passed failed
  SUMMARY[$name]=$(grep -E '^# (tests|pass|fail|skipped|todo|cancelled) ' "$log" || true)
  passed=$(awk '/^# pass / {s += $3} END {print s + 0}' "$log")
  failed=$(awk '/^# fail / {s += $3} END {print s + 0}' "$log")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if [ "$passed" -eq 0 ]; then
    STATUS[$name]="FAIL (ran no test)"
  elif [ "$failed" -ne 0 ] && [ "${STATUS[$name]}" = pass ]; then
    STATUS[$name]="FAIL ($failed failed)"
  fi
}
node_counts node

# --- page tests against the served release build ------------------------------
server_pid=
service_pid=
service_dir=
stop_server() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$service_pid" ] || kill "$service_pid" 2>/dev/null || true
  [ -z "$service_dir" ] || rm -rf "$service_dir"
}
trap stop_server EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_for URL: until it answers (at most 30 s).
wait_for() {
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "[test] $1 did not answer" >&2
  return 1
}
if [ "${STATUS[build]}" = pass ] && [ -f dist/index.html ]; then
  port=$(free_port)
  python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >"$LOG_DIR/http-server.log" 2>&1 &
  server_pid=$!
  wait_for "http://127.0.0.1:$port/"
  export BASE_URL="http://127.0.0.1:$port/"
  # The permission service: tests/page/service.test.mjs starts its own; the
  # embedding tests use this one, on a throwaway SQLite file.
  run_layer page cargo build --locked -p permissions-server
  service_port=$(free_port)
  service_dir=$(mktemp -d)
  target/debug/permissions-server --listen "127.0.0.1:$service_port" \
    --database-url "sqlite://$service_dir/permissions.db" --static dist --demo \
    >"$LOG_DIR/permission-service.log" 2>&1 &
  service_pid=$!
  wait_for "http://127.0.0.1:$service_port/api/v1/config"
  export SERVICE_URL="http://127.0.0.1:$service_port/"
  rm -rf test-results
  run_layer page node --test --test-reporter=tap tests/page/*.test.mjs
  # The browser benchmark, quickly on workload S: it must run, whatever the times.
  if run_layer bench env SCALE=S node tests/bench/browser.bench.mjs; then
    total_passed=$((total_passed + 1))
  else
    total_failed=$((total_failed + 1))
  fi
  SUMMARY[bench]=$(grep -cE '^\| browser \|' "$LOG_DIR/bench.log" | sed 's/$/ rows of the browser benchmark on S/')
  stop_server
  server_pid=
  service_pid=
  service_dir=
  log="$LOG_DIR/page.log"
  SUMMARY[page]=$(grep -E '^# (tests|pass|fail|skipped|todo|cancelled) ' "$log" || true)
  passed=$(awk '/^# pass / {s += $3} END {print s + 0}' "$log")
  failed=$(awk '/^# fail / {s += $3} END {print s + 0}' "$log")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if [ "$passed" -eq 0 ]; then
    STATUS[page]="FAIL (ran no test)"
  elif [ "$failed" -ne 0 ] && [ "${STATUS[page]}" = pass ]; then
    STATUS[page]="FAIL ($failed failed)"
  fi
else
  LAYERS+=(page bench)
  STATUS[page]="FAIL (not run: the release build failed)"
  STATUS[bench]=${STATUS[page]}
  SECS[page]=0
  SECS[bench]=0
fi

# --- summary --------------------------------------------------------------------
failed_layers=0
printf '\n[test] ==== summary (logs in %s/)\n' "$LOG_DIR"
for name in "${LAYERS[@]}"; do
  printf '%-8s %-40s %4ss\n' "$name" "${STATUS[$name]}" "${SECS[$name]}"
  if [ -n "${SUMMARY[$name]:-}" ]; then
    # shellcheck disable=SC2001
    sed 's/^/           /' <<<"${SUMMARY[$name]}"
  fi
  [ "${STATUS[$name]}" = pass ] || failed_layers=$((failed_layers + 1))
done
if [ -f test-results/smoke.png ]; then
  echo "screenshot: test-results/smoke.png"
fi
echo "wall time: $((SECONDS - started))s"
if [ "$failed_layers" -ne 0 ]; then
  echo "[test] FAILED: $failed_layers layer(s) failed"
fi
# The plain closing line: every test counted across the runners above.
echo "tests: $total_passed passed, $total_failed failed"
[ "$failed_layers" -eq 0 ]
