//! What the permissions dialog tells the user apart from the grid: the
//! read-only and error banners, and the confirmations asked before
//! discarding changes or saving a self-lockout.

use crate::eval::Team;
use crate::ui::hooks::ByPtr;
use crate::ui::icons;
use crate::ui::modal::Confirm;
use crate::ui::text::{count, message_html};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReadOnlyProps {
    pub team: ByPtr<Team>,
    /// The evaluator's reason.
    pub reason: AttrValue,
}

/// Read-only, and why: the actor may look but not change.
#[function_component(ReadOnlyBanner)]
pub fn read_only_banner(props: &ReadOnlyProps) -> Html {
    html! {
        <div class="banner banner-info" role="note" id="read-only-banner" data-testid="read-only-banner">
            { icons::lock() }
            <div>
                <strong>{ "Read-only: " }</strong>
                { message_html(&props.team.0, &props.reason) }
                { ". You can look at everything here, and check anyone's access, but not change it." }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    pub team: ByPtr<Team>,
    pub message: AttrValue,
    pub on_dismiss: Callback<MouseEvent>,
}

/// An edit the evaluator refused, or a save that failed.
#[function_component(ErrorBanner)]
pub fn error_banner(props: &ErrorProps) -> Html {
    // Brought into sight when it appears or changes: it answers a click on
    // Save, in the footer, while the dialog's body may be scrolled down.
    let banner = use_node_ref();
    {
        let banner = banner.clone();
        use_effect_with(props.message.clone(), move |_| {
            if let Some(element) = banner.cast::<web_sys::Element>() {
                element.scroll_into_view();
            }
        });
    }
    html! {
        <div class="banner banner-error" role="alert" id="dialog-error" ref={banner}>
            { icons::warning() }
            <div>{ message_html(&props.team.0, &props.message) }</div>
            <button type="button" class="button button-small button-ghost"
                onclick={props.on_dismiss.clone()}>
                { "Dismiss" }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DiscardProps {
    /// How many changes are pending.
    pub pending: usize,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    pub return_focus: Option<AttrValue>,
}

/// Cancel (or Escape) with pending changes: discard them?
#[function_component(DiscardConfirm)]
pub fn discard_confirm(props: &DiscardProps) -> Html {
    let pending = props.pending;
    html! {
        <Confirm id="confirm-discard" title="Discard pending changes?"
            message={html! { <p>{ format!("You have {}. Closing the dialog discards {}.",
                count(pending, "pending change", "pending changes"),
                if pending == 1 { "it" } else { "them" }) }</p> }}
            confirm_label="Discard changes" cancel_label="Keep editing" danger={true}
            on_confirm={props.on_confirm.clone()} on_cancel={props.on_cancel.clone()}
            return_focus={props.return_focus.clone()} />
    }
}

#[derive(Properties, PartialEq)]
pub struct LockoutProps {
    pub team: ByPtr<Team>,
    /// The self-lockout warnings' messages.
    pub messages: Vec<String>,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    pub return_focus: Option<AttrValue>,
}

/// Save although the actor can no longer manage these permissions?
#[function_component(LockoutConfirm)]
pub fn lockout_confirm(props: &LockoutProps) -> Html {
    let msgs = props
        .messages
        .iter()
        .map(|m| html! { <li>{ message_html(&props.team.0, m) }</li> });
    html! {
        <Confirm id="confirm-lockout" title="Save and lose access?"
            message={html! { <>
                <p>{ "After saving you can no longer manage these permissions:" }</p>
                <ul>{ for msgs }</ul>
                <p>{ "Only someone who still manages them (or an admin) can undo this." }</p>
            </> }}
            confirm_label="Save anyway" cancel_label="Go back" danger={true}
            on_confirm={props.on_confirm.clone()} on_cancel={props.on_cancel.clone()}
            return_focus={props.return_focus.clone()} />
    }
}
