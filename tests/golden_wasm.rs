//! The project's golden corpus inside headless Chromium: the same cases as
//! `tests/golden.rs`, proving native and wasm agree.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/golden_cases.rs"));

#[wasm_bindgen_test]
fn golden_corpus_in_the_browser() {
    assert!(
        GOLDEN_CASES.len() >= 60,
        "only {} golden cases embedded",
        GOLDEN_CASES.len()
    );
    permissions_widget::golden::assert_cases(GOLDEN_CASES.iter().copied());
}
