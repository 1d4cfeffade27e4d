//! The evaluator benchmark inside headless Chromium (the same scenarios as
//! `cargo bench --bench evaluator`). Run with `scripts/bench-wasm.sh`; it is
//! behind the `wasm-bench` feature so the ordinary test run stays fast.
#![cfg(all(target_arch = "wasm32", feature = "wasm-bench"))]
#![allow(clippy::unwrap_used)]

#[path = "../benches/scenarios.rs"]
mod scenarios;

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn evaluator_benchmark_in_the_browser() {
    let perf = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance.now");
    let now = move || perf.now() * 1e6;
    console_log!("\n{}", scenarios::report(&scenarios::run(&now)));
}
