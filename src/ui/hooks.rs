//! Hooks and prop helpers the components share.

use gloo::events::{EventListener, EventListenerOptions};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A document-unique id with this prefix (`prefix-7`).
pub fn fresh_id(prefix: &str) -> String {
    let n = NEXT_ID.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    format!("{prefix}-{n}")
}

/// A document-unique id, stable for the life of the component (for
/// `aria-controls`, `aria-describedby`, `<label for>`).
#[hook]
pub fn use_fresh_id(prefix: &'static str) -> AttrValue {
    let id = use_memo((), move |_| AttrValue::from(fresh_id(prefix)));
    (*id).clone()
}

/// Compares an `Rc` by pointer: a memo key / prop that changes only when the
/// value is replaced (a [`Team`] is immutable once built).
#[derive(Debug)]
pub struct ByPtr<T>(pub Rc<T>);

impl<T> Clone for ByPtr<T> {
    fn clone(&self) -> Self {
        ByPtr(self.0.clone())
    }
}

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// While `active`, leaving the page asks first (there are unsaved changes).
#[hook]
pub fn use_unload_warning(active: bool) {
    use_effect_with(active, |&active| {
        let listener = active.then(|| {
            EventListener::new_with_options(
                &gloo::utils::window(),
                "beforeunload",
                EventListenerOptions::enable_prevent_default(),
                |e| {
                    e.prevent_default();
                    if let Some(ev) = e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                        ev.set_return_value("You have unsaved permission changes.");
                    }
                },
            )
        });
        move || drop(listener)
    });
}

/// Resolves in a task of its own once the browser has painted the next
/// frame (at once when the page has no animation frames).
pub async fn after_paint() {
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        if gloo::utils::window()
            .request_animation_frame(&resolve)
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    // A task queued in the frame's callback runs after that frame is painted.
    yield_to_page().await;
}

/// Resolves in a task of its own, so that the page handles input and
/// paints before it. A message, not a timeout: the browser holds nested
/// timeouts back by 4 ms.
pub async fn yield_to_page() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let task = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        if channel
            .port2()
            .post_message(&wasm_bindgen::JsValue::UNDEFINED)
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(task).await;
}
