//! The Options → Permissions dialog: one component for every kind of
//! resource (services, pools, models, spaces, packages, assets), adapted by
//! the catalog: its permissions are the grid's columns; a data model has a
//! Data permissions tab. A modal (see [`crate::ui::modal`]) with tabs, the
//! grid, the live preview and a footer with the pending count, Undo, Reset,
//! Cancel and Save. Read-only, with the evaluator's reason, when the acting
//! user may not manage this resource's permissions.

pub mod draft;
pub mod grid;
pub mod parts;
pub mod preview;
pub mod rows;
pub mod save;
pub mod state;
pub mod why;

use self::grid::PermissionGrid;
use self::parts::{tab_ids, BulkBar, DialogFooter, DialogHeader, DialogTabs, Legend};
use self::preview::Preview;
use self::save::use_save;
pub use self::save::Saved;
use self::state::{Action, State, Tab};
use self::why::{WhyDialog, WhyTarget};
use crate::eval::{PrincipalIdx, ResourceIdx, SetDataOp, Team};
use crate::keys::{history_shortcut, History};
use crate::model::catalog::Level;
use crate::model::Code;
use crate::ui::check_access::CheckAccess;
use crate::ui::data_permissions::DataPermissionsEditor;
use crate::ui::hooks::use_unload_warning;
use crate::ui::icons;
use crate::ui::modal::{active_id, Confirm, Modal};
use crate::ui::principal_picker::PrincipalPicker;
use crate::ui::text::{count, message_html};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct DialogProps {
    pub team: Rc<Team>,
    pub resource: ResourceIdx,
    /// The acting user.
    pub actor: PrincipalIdx,
    /// The tab to open on.
    #[prop_or(Tab::Permissions)]
    pub tab: Tab,
    pub on_close: Callback<()>,
    pub on_save: Callback<Saved>,
    /// DOM id to return focus to when the dialog closes.
    #[prop_or_default]
    pub return_focus: Option<AttrValue>,
}

impl PartialEq for DialogProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.team, &o.team)
            && self.resource == o.resource
            && self.actor == o.actor
            && self.tab == o.tab
            && self.on_close == o.on_close
            && self.on_save == o.on_save
            && self.return_focus == o.return_focus
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ask {
    /// Cancel with pending changes.
    Discard,
    /// Save although the actor locks themselves out.
    SelfLockout,
}

/// The dialog's title: "Space permissions: Sales".
pub fn dialog_title(team: &Team, r: ResourceIdx) -> String {
    let kind = team.kind_of(r);
    let res = team.resource(r);
    if kind.level == Level::Service {
        format!("{} service permissions", res.name)
    } else {
        format!("{} permissions: {}", kind.label, res.name)
    }
}

#[function_component(PermissionsDialog)]
pub fn permissions_dialog(props: &DialogProps) -> Html {
    let state = {
        let (team, r, actor, tab) = (props.team.clone(), props.resource, props.actor, props.tab);
        use_reducer(move || {
            let mut state = State::new(team, r, actor, tab);
            if let Some(draft) = draft::take_for(state.resource_id(), state.actor_id()) {
                state.restore(draft.changes);
            }
            state
        })
    };
    draft::use_draft(&state);
    let why = use_state(|| None::<WhyTarget>);
    let ask = use_state(|| None::<Ask>);
    let save_error = use_state(|| None::<String>);
    // A polite announcement (a principal added).
    let announce = use_state(|| None::<String>);
    // Where focus returns when a nested dialog (Why?, a confirmation) closes.
    let nested_opener = use_state(|| None::<AttrValue>);

    let team = state.team.clone();
    let r = state.resource;
    let kind = team.kind_of(r);
    let res = team.resource(r);
    let pending = state.pending_count();
    let read_only = state.read_only.is_some();

    // Warn before the tab closes while changes are pending.
    use_unload_warning(pending > 0);

    let on_why = {
        let why = why.clone();
        let nested_opener = nested_opener.clone();
        Callback::from(move |t: WhyTarget| {
            nested_opener.set(active_id());
            why.set(Some(t))
        })
    };

    let do_save = use_save(state.clone(), props.on_save.clone(), save_error.clone());
    let on_save_click = {
        let state = state.clone();
        let ask = ask.clone();
        let do_save = do_save.clone();
        let nested_opener = nested_opener.clone();
        Callback::from(move |_: MouseEvent| {
            if state.impact.has_warning(Code::SelfLockout) {
                nested_opener.set(active_id());
                ask.set(Some(Ask::SelfLockout));
            } else {
                do_save.emit(());
            }
        })
    };
    let request_close = {
        let state = state.clone();
        let ask = ask.clone();
        let on_close = props.on_close.clone();
        let nested_opener = nested_opener.clone();
        Callback::from(move |_: ()| {
            if state.pending().is_empty() {
                on_close.emit(());
            } else {
                nested_opener.set(active_id());
                ask.set(Some(Ask::Discard));
            }
        })
    };

    // --- panels ------------------------------------------------------------------
    let top: Vec<PrincipalIdx> = rows::top_principals(&state);
    let picker = if read_only {
        html! {}
    } else {
        let state = state.clone();
        let announce = announce.clone();
        let t = team.clone();
        let on_pick = Callback::from(move |p: PrincipalIdx| {
            announce.set(Some(format!(
                "{} added at the top of the table: tick the permissions to grant.",
                t.principal(p).name
            )));
            state.dispatch(Action::AddPrincipal(p))
        });
        html! {
            <div class="add-principal" data-testid="add-principal">
                <PrincipalPicker team={team.clone()} exclude={top.clone()} {on_pick}
                    label="Add a user, group, application or OAuth client" />
            </div>
        }
    };
    let preview = html! { <Preview state={state.clone()} on_why={on_why.clone()} /> };
    let panel = match state.tab {
        Tab::Permissions => html! {
            <>
                <PermissionGrid state={state.clone()} on_why={on_why.clone()} toolbar={picker}
                    bulk={if read_only { html! {} } else { html! { <BulkBar state={state.clone()} /> } }} />
                <Legend />
                { preview }
            </>
        },
        Tab::Data => {
            let on_change = {
                let state = state.clone();
                Callback::from(move |op: SetDataOp| state.dispatch(Action::SetData(op)))
            };
            let on_validity = {
                let state = state.clone();
                Callback::from(move |p: Option<String>| state.dispatch(Action::SetDraftProblem(p)))
            };
            let current = state.after().data_permissions(r).cloned();
            html! {
                <>
                    <DataPermissionsEditor team={team.clone()} model={r} {current} {read_only} {on_change} {on_validity} />
                    { preview }
                </>
            }
        }
        Tab::Check => {
            let overlay = (!state.pending().is_empty()).then(|| state.overlay.clone());
            // Starts with the acting user: "what can I do here?".
            html! { <CheckAccess team={team.clone()} {overlay} resource={r} principal={Some(state.actor)} /> }
        }
    };
    let (tid, pid) = tab_ids(state.tab);

    // --- banners -----------------------------------------------------------------
    let read_only_banner = match &state.read_only {
        Some(why) => html! {
            <div class="banner banner-info" role="note" id="read-only-banner" data-testid="read-only-banner">
                { icons::lock() }
                <div>
                    <strong>{ "Read-only: " }</strong>
                    { message_html(&team, why) }
                    { ". You can look at everything here, and check anyone's access, but not change it." }
                </div>
            </div>
        },
        None => html! {},
    };
    let error_banner = match state.error.clone().or_else(|| (*save_error).clone()) {
        Some(msg) => {
            let state = state.clone();
            let save_error = save_error.clone();
            html! {
                <div class="banner banner-error" role="alert" id="dialog-error">
                    { icons::warning() }
                    <div>{ message_html(&team, &msg) }</div>
                    <button type="button" class="button button-small button-ghost"
                        onclick={Callback::from(move |_| { state.dispatch(Action::DismissError); save_error.set(None); })}>
                        { "Dismiss" }
                    </button>
                </div>
            }
        }
        None => html! {},
    };

    // --- footer ------------------------------------------------------------------
    // Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (Cmd on macOS), except in a text field,
    // where they undo typing.
    let history_keys = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if in_text_field(&e) {
                return;
            }
            let step = history_shortcut(&e.key(), e.ctrl_key() || e.meta_key(), e.shift_key());
            if let Some(step) = step {
                e.prevent_default();
                state.dispatch(match step {
                    History::Undo => Action::Undo,
                    History::Redo => Action::Redo,
                });
            }
        })
    };
    let nested_open = why.is_some() || ask.is_some();
    let why_dialog = match &*why {
        Some(t) => {
            let why = why.clone();
            html! {
                <WhyDialog team={team.clone()} overlay={state.overlay.clone()}
                    pending={!state.pending().is_empty()} resource={r} target={t.clone()}
                    on_close={Callback::from(move |_| why.set(None))}
                    return_focus={(*nested_opener).clone()} />
            }
        }
        None => html! {},
    };
    let confirm = match *ask {
        Some(Ask::Discard) => {
            let on_close = props.on_close.clone();
            let ask2 = ask.clone();
            let ask = ask.clone();
            let resource = res.id.clone();
            html! {
                <Confirm id="confirm-discard" title="Discard pending changes?"
                    message={html! { <p>{ format!("You have {}. Closing the dialog discards {}.",
                        count(pending, "pending change", "pending changes"),
                        if pending == 1 { "it" } else { "them" }) }</p> }}
                    confirm_label="Discard changes" cancel_label="Keep editing" danger={true}
                    on_confirm={Callback::from(move |_| { ask.set(None); draft::forget(&resource); on_close.emit(()); })}
                    on_cancel={Callback::from(move |_| ask2.set(None))}
                    return_focus={(*nested_opener).clone()} />
            }
        }
        Some(Ask::SelfLockout) => {
            let ask2 = ask.clone();
            let ask = ask.clone();
            let do_save = do_save.clone();
            let msgs: Vec<Html> = state
                .impact
                .warnings
                .iter()
                .filter(|w| w.code == Code::SelfLockout)
                .map(|w| html! { <li>{ message_html(&team, &w.message) }</li> })
                .collect();
            html! {
                <Confirm id="confirm-lockout" title="Save and lose access?"
                    message={html! { <>
                        <p>{ "After saving you can no longer manage these permissions:" }</p>
                        <ul>{ for msgs }</ul>
                        <p>{ "Only someone who still manages them (or an admin) can undo this." }</p>
                    </> }}
                    confirm_label="Save anyway" cancel_label="Go back" danger={true}
                    on_confirm={Callback::from(move |_| { ask.set(None); do_save.emit(()); })}
                    on_cancel={Callback::from(move |_| ask2.set(None))}
                    return_focus={(*nested_opener).clone()} />
            }
        }
        None => html! {},
    };

    let kind_class = format!("dialog-kind-{}", kind.id);
    html! {
        <>
            <Modal id="permissions-dialog" title={dialog_title(&team, r)} class={classes!("modal-large", kind_class)}
                on_close={request_close.clone()} inert={nested_open} on_key={history_keys}
                header={html! { <DialogHeader team={team.clone()} resource={r} actor={state.actor} /> }}
                footer={html! { <DialogFooter state={state.clone()} on_save={on_save_click} on_cancel={request_close} /> }}
                return_focus={props.return_focus.clone()}
                initial_focus={Some(AttrValue::from(tid))}>
                <div class="dialog-content" data-resource={res.id.clone()} data-kind={kind.id.clone()}
                    data-read-only={if read_only { "true" } else { "false" }}>
                    <div class="visually-hidden" role="status" id="dialog-status">
                        { (*announce).clone().unwrap_or_default() }
                    </div>
                    { read_only_banner }
                    { error_banner }
                    <DialogTabs state={state.clone()} />
                    <div role="tabpanel" id={pid} aria-labelledby={tid} class="tabpanel">
                        { panel }
                    </div>
                </div>
            </Modal>
            { why_dialog }
            { confirm }
        </>
    }
}

/// Whether the key went to a field where text is typed.
fn in_text_field(e: &KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match el.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => !matches!(
            el.get_attribute("type").as_deref(),
            Some("checkbox" | "radio" | "button")
        ),
        _ => false,
    }
}
