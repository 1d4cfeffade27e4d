#!/usr/bin/env bash
# Fuzzes snapshot parsing + validation + evaluation (libFuzzer via cargo-fuzz,
# nightly toolchain). Usage: scripts/fuzz.sh [seconds]   (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
mkdir -p fuzz/corpus/snapshot
# Seed with the snapshots of the golden corpus and the demo team.
python3 - <<'PY'
import json, glob, hashlib, os
for f in glob.glob("tests/golden/*.json"):
    snap = json.load(open(f)).get("snapshot")
    text = snap if isinstance(snap, str) else json.dumps(snap)
    open(os.path.join("fuzz/corpus/snapshot", hashlib.sha1(text.encode()).hexdigest()), "w").write(text)
PY
cp src/demo/team.json fuzz/corpus/snapshot/demo-team.json
cargo +nightly fuzz run snapshot fuzz/corpus/snapshot -- -max_total_time="${1:-600}" -max_len=65536 -timeout=10
