//! The widget's DOM events: `CustomEvent`s dispatched on the host element
//! with `bubbles: true, composed: true` (they leave the shadow root), named
//! `permissions-*`. Detail shapes are in README.md ("Events") and
//! `index.d.ts`.

use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, Element};

pub const CHANGE: &str = "permissions-change";
pub const SAVE: &str = "permissions-save";
pub const SAVED: &str = "permissions-saved";
pub const CANCEL: &str = "permissions-cancel";
pub const ERROR: &str = "permissions-error";

/// The detail as a plain JS object (JSON-compatible).
pub fn to_js<T: Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Dispatches `name` on `host`; `false` when a listener called
/// `preventDefault()` on a cancelable event. A listener that throws is the
/// host's problem (the browser reports it), never the widget's.
pub fn emit(host: &Element, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    match CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => host.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}

/// `permissions-error`'s detail.
#[derive(Serialize)]
pub struct ErrorDetail<'a, P: Serialize> {
    pub code: &'a str,
    pub message: &'a str,
    pub problems: &'a [P],
}
