#!/usr/bin/env bash
# Installs every tool the project needs, idempotently, from crates.io, npm and
# Debian packages only (nothing else is downloaded: no `playwright install`,
# no prebuilt binaries). A second run checks versions and installs nothing.
#
#   rust target wasm32-unknown-unknown, rustfmt, clippy   (rustup)
#   trunk 0.21.x                                          (cargo install)
#   wasm-bindgen-cli = the wasm-bindgen version in Cargo.lock (cargo install)
#   twiggy 0.8 (what weighs in the wasm, scripts/twiggy.sh)  (cargo install)
#   chromium, chromium-driver, brotli                     (apt)
#   postgresql (initdb, pg_ctl for the server's tests)    (apt)
#   playwright-core, axe-core, binaryen (wasm-opt), vite   (npm ci, package-lock.json)
#   python3-venv (when `python3 -m venv` does not work)   (apt)
#   schemathesis (contract tests) in target/venv          (pip, PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh

TRUNK_VERSION=0.21.14
# The wasm-bindgen CLI must equal the crate version locked in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
WASM_OPT_VERSION=132
SCHEMATHESIS_VERSION=4.32.5
TWIGGY_VERSION=0.8.0
VENV=target/venv

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }
# Runs a noisy command quietly; shows its output only if it fails.
quietly() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "failed: $*"
  fi
  rm -f "$log"
}

command -v cargo >/dev/null || die "cargo not found (install Rust with rustup first)"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm not found"

# --- Rust target and components -------------------------------------------
installed_targets=$(rustup target list --installed)
if ! grep -qx wasm32-unknown-unknown <<<"$installed_targets"; then
  say "adding rust target wasm32-unknown-unknown"
  quietly rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding rust component $component"
    quietly rustup component add "$component"
  fi
done

# --- Debian packages --------------------------------------------------------
missing_debs=()
[ -x /usr/bin/chromium ] || missing_debs+=(chromium)
[ -x /usr/bin/chromedriver ] || missing_debs+=(chromium-driver)
command -v brotli >/dev/null || missing_debs+=(brotli)
command -v python3 >/dev/null || missing_debs+=(python3)
# The server's tests start throwaway PostgreSQL clusters with Debian's binaries.
have_postgres() {
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
have_postgres || missing_debs+=(postgresql)
# The contract tests' virtual environment (Debian's python3 needs
# python3-venv for `python3 -m venv`).
venv_works() {
  local tmp rc=0
  tmp=$(mktemp -d)
  python3 -m venv "$tmp/venv" >/dev/null 2>&1 || rc=1
  rm -rf "$tmp"
  return "$rc"
}
if command -v python3 >/dev/null && [ ! -x "$VENV/bin/python" ] && ! venv_works; then
  missing_debs+=(python3-venv)
fi
if [ ${#missing_debs[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing_debs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  quietly "${sudo[@]}" apt-get update -qq
  quietly "${sudo[@]}" apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing_debs[@]}"
fi

# --- cargo-installed tools (compiled from crates.io, several minutes once) --
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (compiles for about 8 minutes, once)"
  # --locked: without it, newer dependencies are resolved and the build fails.
  cargo install trunk --version "=$TRUNK_VERSION" --locked --quiet
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
   [ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" != "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (compiles for about 4 minutes, once)"
  # Not --locked: one of its locked dependency versions is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force --quiet
fi

if [ "$(twiggy --version 2>/dev/null || true)" != "twiggy-opt $TWIGGY_VERSION" ]; then
  say "installing twiggy $TWIGGY_VERSION (scripts/twiggy.sh; compiles for about a minute, once)"
  cargo install twiggy --version "=$TWIGGY_VERSION" --locked --quiet
fi

# --- npm packages from the committed package-lock.json ----------------------
# node_modules/.setup-stamp holds the hash of the lock file last installed.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ] || [ ! -x node_modules/.bin/wasm-opt ]; then
  say "installing npm packages from package-lock.json"
  quietly npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

# --- schemathesis from PyPI in a project venv (scripts/contract.sh) ----------
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV (pip)"
  [ -x "$VENV/bin/python" ] || quietly python3 -m venv "$VENV"
  quietly "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- check that the tools found on PATH are the ones we installed -----------
[ "$(command -v wasm-opt)" = "$PWD/node_modules/.bin/wasm-opt" ] ||
  die "wasm-opt on PATH is $(command -v wasm-opt), expected node_modules/.bin/wasm-opt"
wasm-opt --version | grep -q "version $WASM_OPT_VERSION" ||
  die "wasm-opt is $(wasm-opt --version), expected version $WASM_OPT_VERSION (npm binaryen)"
[ "$(wasm-bindgen --version)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
  die "wasm-bindgen on PATH is $(command -v wasm-bindgen): $(wasm-bindgen --version)"

say "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo '?'), schemathesis $SCHEMATHESIS_VERSION"
