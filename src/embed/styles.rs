//! The widget's styles inside its shadow root: the app's stylesheets plus
//! `styles/embed.css`, as one constructed `CSSStyleSheet` shared by every
//! widget on the page (`shadowRoot.adoptedStyleSheets`). `:root` becomes the
//! widget's root (`.pw-root`) and `rem` becomes `px` (16 px to the rem), so
//! a host's `html { font-size }` cannot resize the widget either.

use js_sys::{Array, Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::ShadowRoot;

const SOURCES: [&str; 5] = [
    include_str!("../../styles/app.css"),
    include_str!("../../styles/components.css"),
    include_str!("../../styles/shell.css"),
    include_str!("../../styles/dialog.css"),
    include_str!("../../styles/embed.css"),
];

thread_local! {
    static SHEET: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// The widget's CSS text, as adopted.
pub fn css() -> String {
    rem_to_px(&SOURCES.join("\n").replace(":root", ".pw-root"))
}

/// `1.5rem` → `24px` (numbers directly before `rem`).
pub fn rem_to_px(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("rem") {
        let (before, after) = rest.split_at(at);
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
            .last()
            .map(|(i, _)| i);
        let ends_word = !after[3..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let number = start
            .filter(|&i| !before[..i].ends_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
            .and_then(|i| before[i..].parse::<f64>().ok().map(|n| (i, n)));
        match number {
            Some((i, n)) if ends_word => {
                out.push_str(&before[..i]);
                out.push_str(&format!("{}px", (n * 16.0 * 1000.0).round() / 1000.0));
            }
            _ => {
                out.push_str(before);
                out.push_str("rem");
            }
        }
        rest = &after[3..];
    }
    out.push_str(rest);
    out
}

/// The shared stylesheet, made on first use.
fn sheet() -> Result<JsValue, JsValue> {
    if let Some(s) = SHEET.with(|s| s.borrow().clone()) {
        return Ok(s);
    }
    let ctor: Function = Reflect::get(&js_sys::global(), &"CSSStyleSheet".into())?.dyn_into()?;
    let sheet = Reflect::construct(&ctor, &Array::new())?;
    let replace: Function = Reflect::get(&sheet, &"replaceSync".into())?.dyn_into()?;
    replace.call1(&sheet, &JsValue::from_str(&css()))?;
    SHEET.with(|s| *s.borrow_mut() = Some(sheet.clone()));
    Ok(sheet)
}

/// Adopts the shared stylesheet in `root`.
pub fn adopt(root: &ShadowRoot) -> Result<(), JsValue> {
    root.set_adopted_style_sheets(&Array::of1(&sheet()?));
    Ok(())
}

/// Lets go of the stylesheet in `root` (the widget is destroyed).
pub fn release(root: &ShadowRoot) {
    root.set_adopted_style_sheets(&Array::new());
}
