//! DOM helpers shared by the wasm component tests (`tests/browser_*.rs`),
//! included with `#[path = "common/dom.rs"] mod dom;`.
#![allow(dead_code)]

use std::rc::Rc;

use permissions_widget::eval::Team;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The embedded demo team.
pub fn demo_team() -> Rc<Team> {
    Rc::new(
        Team::from_json(include_str!("../../src/demo/team.json")).expect("the demo team is valid"),
    )
}

/// A fresh `<div>` attached to the document body, so each test renders alone.
pub fn fresh_root(id: &str) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("create a div");
    root.set_id(id);
    gloo::utils::body()
        .append_child(&root)
        .expect("append the root to the body");
    root
}

pub fn q(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).expect("valid selector")
}

pub fn q1(root: &Element, selector: &str) -> Element {
    q(root, selector).unwrap_or_else(|| panic!("no element matches `{selector}`"))
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}
