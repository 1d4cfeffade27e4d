//! The JS-facing API (`src/embed.rs`) in headless Chromium.
#![cfg(feature = "embed")]
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use permissions_widget::embed::{run_golden_case, validate_snapshot, Evaluator};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLE: &str = include_str!("golden/space-edit-flows.json");

fn snapshot_json() -> String {
    let case: serde_json::Value = serde_json::from_str(EXAMPLE).expect("example case");
    case["snapshot"].to_string()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property")
}

#[wasm_bindgen_test]
fn evaluator_answers_by_id() {
    let ev = Evaluator::new(&snapshot_json()).expect("valid snapshot");
    assert!(ev.can("u-ana", "v-ovw", "edit").expect("known ids"));
    assert!(!ev.can("u-ana", "v-ovw", "delete").expect("known ids"));
    let why = ev.explain("u-ana", "v-ovw", "edit").expect("known ids");
    let sentences = Array::from(&get(&why, "sentences"));
    let first = sentences.get(0).as_string().expect("a sentence");
    assert!(first.contains("Overview"), "{first}");
    assert!(ev.can("nobody", "v-ovw", "edit").is_err());
}

#[wasm_bindgen_test]
fn impact_and_apply_take_js_operations() {
    let mut ev = Evaluator::new(&snapshot_json()).expect("valid snapshot");
    let ops = JSON::parse(r#"[{"op":"grant","principal":"app-etl","resource":"sp-sales","permission":"edit-all-packages"}]"#).expect("json");
    let impact = ev.impact("u-ana", ops.clone()).expect("allowed");
    assert!(Array::from(&get(&impact, "entries")).length() > 0);
    // Someone without authority: refused with `not-allowed`, nothing applied.
    let err = ev.apply("app-etl", ops.clone()).expect_err("not allowed");
    let text = JSON::stringify(&err).map(String::from).unwrap_or_default();
    assert!(text.contains("not-allowed"), "{text}");
    assert!(!ev.can("app-etl", "pk-o2c", "edit").expect("ids"));
    ev.apply("u-ana", ops).expect("allowed");
    assert!(ev.can("app-etl", "pk-o2c", "edit").expect("ids"));
}

#[wasm_bindgen_test]
fn validation_and_golden_cases_from_js() {
    let problems =
        validate_snapshot(r#"{"resources": [{"id": "x", "kind": "nope", "name": "X"}]}"#)
            .expect("array");
    let text = JSON::stringify(&problems)
        .map(String::from)
        .unwrap_or_default();
    assert!(text.contains("unknown-kind"), "{text}");
    let report = run_golden_case("space-edit-flows.json", EXAMPLE).expect("report");
    assert_eq!(get(&report, "passed").as_bool(), Some(true));
}
