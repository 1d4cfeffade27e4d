//! `mount()` in headless Chromium: the dialog renders inside an open shadow
//! root with the shared stylesheet adopted, Yew's event listeners work there
//! (a click on a grid cell inside the shadow root reaches the component), the
//! widget's events leave the shadow root, bad options give an `Error` with
//! `problems` and show them in place, and `destroy()` leaves nothing behind.
#![cfg(feature = "embed")]
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use permissions_widget::embed::mount;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/dom.rs"]
mod dom;
use dom::fresh_root;

const TEAM: &str = include_str!("../src/demo/team.json");

fn options(extra: &str) -> JsValue {
    let json = format!(r#"{{"snapshot": {TEAM}, "actor": "u-admin" {extra}}}"#);
    js_sys::JSON::parse(&json).expect("options json")
}

fn shadow(host: &Element) -> ShadowRoot {
    host.shadow_root().expect("an open shadow root")
}

fn sq(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).expect("valid selector")
}

/// Records the events of these names dispatched on (or bubbling to) `target`.
fn record(target: &web_sys::EventTarget, names: &[&str]) -> Rc<RefCell<Vec<(String, JsValue)>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    for name in names {
        let seen = seen.clone();
        let listener =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                assert!(e.bubbles() && e.composed(), "bubbles and composed");
                seen.borrow_mut().push((e.type_(), e.detail()));
            });
        target
            .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
            .expect("listen");
        listener.forget();
    }
    seen
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn mounts_in_a_shadow_root_and_events_work_there() {
    let host = fresh_root("mount-a");
    let seen = record(&gloo::utils::document().into(), &["permissions-change"]);
    let widget =
        mount(host.clone(), options(r#", "resource": "sp-sales""#)).expect("valid options");
    yew::scheduler::flush().await;
    let root = shadow(&host);
    assert_eq!(
        Array::from(&root.adopted_style_sheets()).length(),
        1,
        "one adopted sheet"
    );
    assert!(
        host.query_selector("#permissions-dialog")
            .expect("sel")
            .is_none(),
        "nothing in the light DOM"
    );
    let dialog = sq(&root, "#permissions-dialog").expect("the dialog in the shadow root");
    assert_eq!(
        dialog.get_attribute("role").as_deref(),
        Some("region"),
        "inline by default"
    );
    let cell = sq(
        &root,
        "[data-testid=\"cell-g-exec-edit-all-packages\"] [role=checkbox]",
    )
    .expect("a cell");
    cell.dyn_into::<HtmlElement>().expect("html").click();
    yew::scheduler::flush().await;
    assert_eq!(
        sq(&root, "#pending-count")
            .and_then(|c| c.get_attribute("data-count"))
            .as_deref(),
        Some("1"),
        "the click inside the shadow root reached Yew"
    );
    let pending = Array::from(&widget.pending().expect("pending"));
    assert_eq!(pending.length(), 1);
    let events = seen.borrow();
    let (_, detail) = events
        .last()
        .expect("a permissions-change event reached the document");
    assert_eq!(
        Reflect::get(detail, &"count".into())
            .ok()
            .and_then(|c| c.as_f64()),
        Some(1.0)
    );
    // The per-principal impact is made when it is first read.
    let impact = js_sys::Object::get_own_property_descriptor(
        detail.unchecked_ref::<js_sys::Object>(),
        &"impact".into(),
    );
    assert!(Reflect::get(&impact, &"get".into())
        .expect("a descriptor")
        .is_function());
    let entries = Reflect::get(detail, &"impact".into())
        .and_then(|i| Reflect::get(&i, &"entries".into()))
        .expect("impact.entries");
    assert!(
        Array::from(&entries).length() > 0,
        "Executives' members gain"
    );
    drop(events);
    widget.destroy();
    assert_eq!(root.child_nodes().length(), 0, "destroy leaves no nodes");
    assert!(widget.pending().is_err(), "a destroyed widget says so");
    host.remove();
}

#[wasm_bindgen_test]
async fn bad_options_throw_an_error_with_problems_and_show_them() {
    let host = fresh_root("mount-bad");
    let seen = record(&host.clone().into(), &["permissions-error"]);
    let err = match mount(
        host.clone(),
        options(r#", "resource": "nope", "mode": "sideways""#),
    ) {
        Err(e) => e,
        Ok(_) => panic!("bad options must throw"),
    };
    assert!(err.is_instance_of::<js_sys::Error>(), "a real Error");
    let message = String::from(err.unchecked_ref::<js_sys::Error>().message());
    assert!(message.contains("mode"), "{message}");
    let problems = Array::from(&Reflect::get(&err, &"problems".into()).expect("problems"));
    assert!(problems.length() >= 1);
    let first = problems.get(0);
    assert!(Reflect::get(&first, &"path".into())
        .expect("path")
        .as_string()
        .is_some());
    yew::scheduler::flush().await;
    let shown = sq(&shadow(&host), "[data-testid=pw-error]").expect("the problem is shown");
    assert!(shown
        .text_content()
        .unwrap_or_default()
        .contains("sideways"));
    assert_eq!(seen.borrow().len(), 1, "one permissions-error event");

    // Unknown ids are checked against the team.
    let err = match mount(host.clone(), options(r#", "resource": "nope""#)) {
        Err(e) => e,
        Ok(_) => panic!("an unknown resource must throw"),
    };
    let text = js_sys::JSON::stringify(&Reflect::get(&err, &"problems".into()).expect("problems"))
        .map(String::from)
        .unwrap_or_default();
    assert!(
        text.contains("unknown-resource") && text.contains("$.resource"),
        "{text}"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_host_handles_the_save_itself() {
    let host = fresh_root("mount-save");
    let widget =
        Rc::new(mount(host.clone(), options(r#", "resource": "sp-sales""#)).expect("valid"));
    let seen = record(
        &host.clone().into(),
        &["permissions-saved", "permissions-error"],
    );
    let asked = Rc::new(std::cell::Cell::new(0));
    let on_save = {
        let asked = asked.clone();
        Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            asked.set(asked.get() + 1);
            e.prevent_default();
        })
    };
    host.add_event_listener_with_callback("permissions-save", on_save.as_ref().unchecked_ref())
        .expect("listen");
    on_save.forget();
    yew::scheduler::flush().await;
    let root = shadow(&host);
    sq(
        &root,
        "[data-testid=\"cell-g-exec-edit-all-packages\"] [role=checkbox]",
    )
    .expect("cell")
    .dyn_into::<HtmlElement>()
    .expect("html")
    .click();
    yew::scheduler::flush().await;
    sq(&root, "#dialog-save")
        .expect("save")
        .dyn_into::<HtmlElement>()
        .expect("html")
        .click();
    // The widget asks the host after "Saving…" is painted.
    for _ in 0..100 {
        if asked.get() > 0 {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(asked.get(), 1, "one permissions-save event");
    assert!(
        seen.borrow().is_empty(),
        "nothing saved until the host settles"
    );
    widget
        .failed(JsValue::from_str("the host's server is down"))
        .expect("a save was waiting");
    sleep(20).await;
    yew::scheduler::flush().await;
    assert_eq!(
        seen.borrow().last().map(|s| s.0.clone()).as_deref(),
        Some("permissions-error")
    );
    let text = root
        .query_selector("[role=alert]")
        .expect("sel")
        .and_then(|a| a.text_content())
        .unwrap_or_default();
    assert!(text.contains("the host's server is down"), "{text}");
    widget.destroy();
    host.remove();
}
