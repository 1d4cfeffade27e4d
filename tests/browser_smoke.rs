//! Smoke test of the in-browser layer: `cargo test --target
//! wasm32-unknown-unknown` runs this in headless Chromium through
//! wasm-bindgen-test-runner (see `.cargo/config.toml` and `webdriver.json`).
//!
//! It mounts the real app into a fresh element and checks the structure every
//! version of the app keeps (a `main` landmark with a heading). Component
//! tests with deeper assertions live beside it in their own files.
#![cfg(target_arch = "wasm32")]

use permissions_widget::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/dom.rs"]
mod dom;
use dom::fresh_root;

#[wasm_bindgen_test]
async fn app_renders_a_main_landmark_with_a_heading() {
    let root = fresh_root("smoke-app");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let main = root
        .query_selector("main")
        .expect("valid selector")
        .expect("the app renders a <main> element");
    let heading = main
        .query_selector("h1, h2")
        .expect("valid selector")
        .expect("the main landmark has a heading");
    let text = heading
        .dyn_into::<web_sys::HtmlElement>()
        .expect("the heading is an HTML element")
        .inner_text();
    assert!(!text.trim().is_empty(), "the heading has text");
}
