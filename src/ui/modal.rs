//! An APG modal dialog: `role="dialog"` (or `alertdialog`), `aria-modal`,
//! labelled by its title; focus moves in when it opens, Tab and Shift+Tab
//! wrap inside it, Escape closes it, and focus returns to the opener (or to
//! the element named by `return_focus`) when it closes.

use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
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

/// Focuses the element with this DOM id, if it exists.
pub fn focus_id(id: &str) -> bool {
    let el = gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    match el {
        Some(e) => e.focus().is_ok(),
        None => false,
    }
}

/// The DOM id of the focused element, if it has one (to return focus to it later).
pub fn active_id() -> Option<AttrValue> {
    gloo::utils::document()
        .active_element()
        .map(|e| e.id())
        .filter(|id| !id.is_empty())
        .map(AttrValue::from)
}

fn active_element() -> Option<HtmlElement> {
    gloo::utils::document()
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

/// Escape still closes the topmost dialog if focus was lost to the page body
/// (`live`: the latest `inert` and `on_close`).
#[hook]
fn use_escape_on_body(live: Rc<RefCell<(bool, Callback<()>)>>) {
    use_effect_with((), move |_| {
        let doc = gloo::utils::document();
        let opts = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(&doc, "keydown", opts, move |e| {
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
        });
        move || drop(listener)
    });
}

/// On open, focus moves in (to `initial`, else the body's first focusable
/// element, else the dialog); on close it returns (to `return_focus`, else
/// whatever had it on open).
#[hook]
fn use_focus_in_and_back(
    dialog_ref: NodeRef,
    initial: Option<AttrValue>,
    return_focus: Option<AttrValue>,
) {
    use_effect_with((), move |_| {
        let opener = active_element();
        let focused = initial.as_deref().map(focus_id).unwrap_or(false);
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
            // After the render that removes the dialog (and any `inert` above the opener).
            Timeout::new(0, move || {
                let returned = return_focus.as_deref().map(focus_id).unwrap_or(false);
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
/// other keys go to `on_key`. Nothing while `inert`.
fn modal_keys(
    dialog_ref: NodeRef,
    inert: bool,
    on_close: Callback<()>,
    on_key: Callback<KeyboardEvent>,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if inert {
            return;
        }
        match e.key().as_str() {
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
}

#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let dialog_ref = use_node_ref();
    // The latest `inert` and `on_close`, for the document-level listener below.
    let live = use_mut_ref(|| (props.inert, props.on_close.clone()));
    *live.borrow_mut() = (props.inert, props.on_close.clone());

    use_escape_on_body(live);
    use_focus_in_and_back(
        dialog_ref.clone(),
        props.initial_focus.clone(),
        props.return_focus.clone(),
    );
    let onkeydown = modal_keys(
        dialog_ref.clone(),
        props.inert,
        props.on_close.clone(),
        props.on_key.clone(),
    );

    let title_id = format!("{}-title", props.id);
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <div class="modal-backdrop" inert={props.inert}>
            <div
                ref={dialog_ref}
                id={props.id.clone()}
                class={classes!("modal", props.class.clone())}
                role={props.role.clone()}
                aria-modal="true"
                aria-labelledby={title_id.clone()}
                aria-describedby={props.described_by.clone()}
                tabindex="-1"
                {onkeydown}
            >
                <div class="modal-header">
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
                <div class="modal-body">{ props.children.clone() }</div>
                if props.footer != Html::default() {
                    <div class="modal-footer">{ props.footer.clone() }</div>
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
