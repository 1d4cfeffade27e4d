//! The widget's DOM events: `CustomEvent`s dispatched on the host element
//! with `bubbles: true, composed: true` (they leave the shadow root), named
//! `permissions-*`. Detail shapes are in README.md ("Events") and
//! `index.d.ts`.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
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

/// Gives `detail` a property `name` whose value `compute` makes on its first
/// read (a host that never reads it never pays for it), then keeps.
pub fn define_lazy(detail: &JsValue, name: &str, compute: impl FnOnce() -> JsValue + 'static) {
    let mut compute = Some(compute);
    let mut value = JsValue::UNDEFINED;
    let get = Closure::<dyn FnMut() -> JsValue>::new(move || {
        if let Some(compute) = compute.take() {
            value = compute();
        }
        value.clone()
    });
    let descriptor = Object::new();
    let _ = Reflect::set(&descriptor, &"get".into(), &get.into_js_value());
    let _ = Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE);
    if let Some(detail) = detail.dyn_ref::<Object>() {
        Object::define_property(detail, &name.into(), &descriptor);
    }
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
