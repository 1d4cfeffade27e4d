//! The golden corpus, natively: every case in `tests/golden/` and, when
//! `PERMISSIONS_GOLDEN_DIR` is set, every `*.json` below that folder.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn golden_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
    permissions_core::golden::assert_dir(dir);
}
