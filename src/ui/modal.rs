//! An APG modal dialog: `role="dialog"` (or `alertdialog`), `aria-modal`,
//! labelled by its title; focus moves in when it opens, Tab and Shift+Tab
//! wrap inside it, Escape closes it, and focus returns to the opener (or to
//! the element named by `return_focus`) when it closes.

use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::prelude::*;

/// What can take focus inside a container, in DOM order (visible, enabled, not inert).
pub fn focusables(container: &Element) -> Vec<HtmlElement> {
    const SELECTOR: &str = "a[href], button:not([disabled]), input:not([disabled]), \
        select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    let Ok(list) = container.query_selector_all(SELECTOR) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .filter(|e| {
            e.offset_parent().is_some()
                && e.closest("[inert]").ok().flatten().is_none()
                && e.tab_index() >= 0
        })
        .collect()
}

/// The shadow root `node` is in, if it is in one (an embedded widget), so
/// that ids are looked up where they are unique.
pub fn shadow_root_of(node: &web_sys::Node) -> Option<ShadowRoot> {
    node.get_root_node().dyn_into::<ShadowRoot>().ok()
}

/// The element with this DOM id in `scope` (a shadow root), or in the document.
pub fn element_in(scope: Option<&ShadowRoot>, id: &str) -> Option<Element> {
    match scope {
        Some(root) => root.get_element_by_id(id),
        None => gloo::utils::document().get_element_by_id(id),
    }
}

/// Focuses the element with this DOM id in `scope` (a shadow root) or the document.
pub fn focus_in(scope: Option<&ShadowRoot>, id: &str) -> bool {
    match element_in(scope, id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        Some(e) => e.focus().is_ok(),
        None => false,
    }
}

/// Focuses the element with this DOM id where focus is now (inside an
/// embedded widget's shadow root, or the document).
pub fn focus_id(id: &str) -> bool {
    let scope = active_element().and_then(|a| shadow_root_of(&a));
    focus_in(scope.as_ref(), id) || (scope.is_some() && focus_in(None, id))
}

/// The element with this DOM id where focus is now (see [`focus_id`]).
pub fn element_near_focus(id: &str) -> Option<Element> {
    let scope = active_element().and_then(|a| shadow_root_of(&a));
    element_in(scope.as_ref(), id).or_else(|| element_in(None, id))
}

/// The DOM id of the focused element, if it has one (to return focus to it later).
pub fn active_id() -> Option<AttrValue> {
    active_element()
        .map(|e| e.id())
        .filter(|id| !id.is_empty())
        .map(AttrValue::from)
}

/// The focused element, inside open shadow roots too (`document.activeElement`
/// is only the shadow host when focus is inside an embedded widget).
pub fn active_element() -> Option<HtmlElement> {
    let mut active = gloo::utils::document().active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|r| r.active_element()) {
        active = inner;
    }
    active.dyn_into::<HtmlElement>().ok()
}

/// Escape still closes the topmost dialog if focus was lost to the page body
/// (`live`: the latest `inert` and `on_close`; nothing for an inline dialog).
#[hook]
fn use_escape_on_body(live: Rc<RefCell<(bool, Callback<()>)>>, inline: bool) {
    use_effect_with(inline, move |&inline| {
        let listener = (!inline).then(|| {
            let doc = gloo::utils::document();
            let opts = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let on_body = gloo::utils::document()
                    .active_element()
                    .is_none_or(|a| a.tag_name() == "BODY");
                let (inert, on_close) = live.borrow().clone();
                if e.key() == "Escape" && on_body && !inert && !e.default_prevented() {
                    e.prevent_default();
                    on_close.emit(());
                }
            })
        });
        move || drop(listener)
    });
}

/// On open, focus moves in (to `initial`, else the body's first focusable
/// element, else the dialog); on close it returns (to `return_focus`, else
/// whatever had it on open). Ids are looked up in the dialog's own shadow
/// root when it is embedded in one. An inline dialog leaves focus alone.
#[hook]
fn use_focus_in_and_back(
    dialog_ref: NodeRef,
    initial: Option<AttrValue>,
    return_focus: Option<AttrValue>,
    inline: bool,
) {
    use_effect_with((), move |_| {
        let scope = dialog_ref.get().and_then(|n| shadow_root_of(&n));
        let opener = (!inline).then(active_element).flatten();
        let focused = inline
            || initial
                .as_deref()
                .is_some_and(|id| focus_in(scope.as_ref(), id));
        if !focused {
            if let Some(dialog) = dialog_ref.cast::<HtmlElement>() {
                let body = dialog
                    .query_selector(".modal-body")
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| dialog.clone().into());
                match focusables(&body).first() {
                    Some(first) => {
                        let _ = first.focus();
                    }
                    None => {
                        let _ = dialog.focus();
                    }
                }
            }
        }
        move || {
            if inline {
                return;
            }
            // After the render that removes the dialog (and any `inert` above the opener).
            Timeout::new(0, move || {
                let returned = return_focus
                    .as_deref()
                    .is_some_and(|id| focus_in(scope.as_ref(), id));
                if !returned {
                    if let Some(o) = opener.filter(|o| o.is_connected()) {
                        let _ = o.focus();
                    }
                }
            })
            .forget();
        }
    });
}

/// The dialog's keys: Escape closes, Tab and Shift+Tab wrap inside it;
/// other keys go to `on_key`. Nothing while `inert`; an inline dialog
/// neither closes on Escape nor keeps Tab inside.
fn modal_keys(
    dialog_ref: NodeRef,
    (inert, inline): (bool, bool),
    on_close: Callback<()>,
    on_key: Callback<KeyboardEvent>,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if inert {
            return;
        }
        match e.key().as_str() {
            "Escape" | "Tab" if inline => {}
            "Escape" if !e.default_prevented() => {
                e.prevent_default();
                e.stop_propagation();
                on_close.emit(());
            }
            "Tab" => {
                if let Some(dialog) = dialog_ref.cast::<Element>() {
                    wrap_tab(&dialog, &e);
                }
            }
            _ => on_key.emit(e),
        }
    })
}

/// Tab from the last focusable element goes to the first, Shift+Tab from
/// the first to the last (and from outside, in).
fn wrap_tab(dialog: &Element, e: &KeyboardEvent) {
    let items = focusables(dialog);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        e.prevent_default();
        return;
    };
    let active = active_element();
    let inside = active
        .as_ref()
        .is_some_and(|a| items.iter().any(|i| i == a));
    if e.shift_key() {
        if !inside || active.as_ref() == Some(first) {
            e.prevent_default();
            let _ = last.focus();
        }
    } else if !inside || active.as_ref() == Some(last) {
        e.prevent_default();
        let _ = first.focus();
    }
    e.stop_propagation();
}

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// DOM id of the dialog; the title gets `{id}-title`.
    pub id: AttrValue,
    pub title: AttrValue,
    /// Escape, the close button, or Cancel.
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
    /// Shown under the title.
    #[prop_or_default]
    pub header: Html,
    #[prop_or_default]
    pub footer: Html,
    /// `alertdialog` for confirmations.
    #[prop_or(AttrValue::Static("dialog"))]
    pub role: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    /// DOM id of the element to focus first (default: the first focusable
    /// element of the body, else the dialog itself).
    #[prop_or_default]
    pub initial_focus: Option<AttrValue>,
    /// DOM id of the element to focus on close (default: whatever had focus on open).
    #[prop_or_default]
    pub return_focus: Option<AttrValue>,
    /// Set while another dialog is open above this one.
    #[prop_or_default]
    pub inert: bool,
    /// `aria-describedby` target id, if any.
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
    /// Keys the dialog itself does not handle (shortcuts of its content).
    #[prop_or_default]
    pub on_key: Callback<KeyboardEvent>,
    /// Part of the page rather than above it (an embedded widget in inline
    /// mode): no backdrop, not `aria-modal`, focus neither trapped nor moved.
    #[prop_or_default]
    pub inline: bool,
}

#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let dialog_ref = use_node_ref();
    // The latest `inert` and `on_close`, for the document-level listener below.
    let live = use_mut_ref(|| (props.inert, props.on_close.clone()));
    *live.borrow_mut() = (props.inert, props.on_close.clone());

    use_escape_on_body(live, props.inline);
    use_focus_in_and_back(
        dialog_ref.clone(),
        props.initial_focus.clone(),
        props.return_focus.clone(),
        props.inline,
    );
    let onkeydown = modal_keys(
        dialog_ref.clone(),
        (props.inert, props.inline),
        props.on_close.clone(),
        props.on_key.clone(),
    );

    let title_id = format!("{}-title", props.id);
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <div class={if props.inline { "modal-inline" } else { "modal-backdrop" }} inert={props.inert}>
            <div
                ref={dialog_ref}
                id={props.id.clone()}
                class={classes!("modal", props.class.clone())}
                part="dialog"
                role={if props.inline { AttrValue::Static("region") } else { props.role.clone() }}
                aria-modal={(!props.inline).then_some("true")}
                aria-labelledby={title_id.clone()}
                aria-describedby={props.described_by.clone()}
                tabindex="-1"
                {onkeydown}
            >
                <div class="modal-header" part="header">
                    <div class="modal-heading">
                        <h2 id={title_id} class="modal-title">{ props.title.clone() }</h2>
                        { props.header.clone() }
                    </div>
                    <button type="button" class="icon-button modal-close"
                        aria-label="Close" title="Close (Esc)"
                        data-testid={format!("{}-close", props.id)}
                        onclick={close}>
                        <span aria-hidden="true">{ "×" }</span>
                    </button>
                </div>
                <div class="modal-body" part="body">{ props.children.clone() }</div>
                if props.footer != Html::default() {
                    <div class="modal-footer" part="footer">{ props.footer.clone() }</div>
                }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub message: Html,
    pub confirm_label: AttrValue,
    #[prop_or(AttrValue::Static("Cancel"))]
    pub cancel_label: AttrValue,
    /// Style the confirm button as destructive.
    #[prop_or_default]
    pub danger: bool,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    /// DOM id to return focus to when it closes.
    #[prop_or_default]
    pub return_focus: Option<AttrValue>,
}

/// A confirmation (`alertdialog`); the safe choice has focus first.
#[function_component(Confirm)]
pub fn confirm(props: &ConfirmProps) -> Html {
    let cancel_id = format!("{}-cancel", props.id);
    let on_cancel = props.on_cancel.clone();
    let on_confirm = props.on_confirm.clone();
    let footer = html! {
        <>
            <span class="footer-spacer"></span>
            <button type="button" id={cancel_id.clone()} class="button"
                onclick={let c = on_cancel.clone(); Callback::from(move |_| c.emit(()))}>
                { props.cancel_label.clone() }
            </button>
            <button type="button" id={format!("{}-confirm", props.id)}
                class={classes!("button", if props.danger { "button-danger" } else { "button-primary" })}
                onclick={Callback::from(move |_| on_confirm.emit(()))}>
                { props.confirm_label.clone() }
            </button>
        </>
    };
    let msg_id = format!("{}-message", props.id);
    html! {
        <Modal id={props.id.clone()} title={props.title.clone()} role="alertdialog"
            class="modal-small" on_close={props.on_cancel.clone()} {footer}
            initial_focus={Some(AttrValue::from(cancel_id))}
            return_focus={props.return_focus.clone()}
            described_by={Some(AttrValue::from(msg_id.clone()))}>
            <div id={msg_id}>{ props.message.clone() }</div>
        </Modal>
    }
}
