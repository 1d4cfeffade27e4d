//! The Options → Permissions dialog: one component for every kind of
//! resource (services, pools, models, spaces, packages, assets), adapted by
//! the catalog: its permissions are the grid's columns; a data model has a
//! Data permissions tab. A modal (see [`crate::ui::modal`]) with tabs, the
//! grid, the live preview and a footer with the pending count, Undo, Reset,
//! Cancel and Save. Read-only, with the evaluator's reason, when the acting
//! user may not manage this resource's permissions.

pub mod draft;
pub mod grid;
pub mod later;
pub mod notices;
pub mod parts;
pub mod preview;
pub mod rows;
pub mod save;
pub mod state;
pub mod why;

use self::grid::PermissionGrid;
use self::notices::{DiscardConfirm, ErrorBanner, LockoutConfirm, ReadOnlyBanner};
use self::parts::{tab_ids, BulkBar, DialogFooter, DialogHeader, DialogTabs, Legend};
use self::preview::Preview;
use self::save::use_save;
pub use self::save::Saved;
use self::state::{Action, GridView, State, Tab};
use self::why::{WhyDialog, WhyTarget};
use crate::eval::{PrincipalIdx, ResourceIdx, SetDataOp, Team};
use crate::keys::{history_shortcut, History};
use crate::model::catalog::Level;
use crate::model::Code;
use crate::ui::check_access::CheckAccess;
use crate::ui::data_permissions::DataPermissionsEditor;
use crate::ui::hooks::{use_unload_warning, ByPtr};
use crate::ui::modal::{active_id, Modal};
use crate::ui::principal_picker::PrincipalPicker;
use crate::ui::text::saving;
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
    /// The tab shown, each time it changes (the app keeps it in the link).
    #[prop_or_default]
    pub on_tab: Callback<Tab>,
    pub on_close: Callback<()>,
    pub on_save: Callback<Saved>,
    /// DOM id to return focus to when the dialog closes.
    #[prop_or_default]
    pub return_focus: Option<AttrValue>,
    /// Part of the page rather than a modal (an embedded widget in inline mode).
    #[prop_or_default]
    pub inline: bool,
    /// Keeps the pending edits in this tab's storage across reloads (the app
    /// does; an embedded widget leaves storage to its host).
    #[prop_or(true)]
    pub keep_draft: bool,
    /// The pending change set, each time it changes.
    #[prop_or_default]
    pub on_change: Callback<PendingChanges>,
    /// On a large team, an evaluation slower than this (ms) shows the next
    /// edit's preview a frame after its grid ([`state::QUICK_EVALUATION_MS`]).
    #[prop_or(state::QUICK_EVALUATION_MS)]
    pub quick_evaluation_ms: f64,
    /// How long each slice of such a deferred evaluation runs before the
    /// page goes on (ms; [`later::SLICE_MS`]; 0: one class of principals
    /// per slice).
    #[prop_or(later::SLICE_MS)]
    pub slice_ms: f64,
}

/// What a dialog has pending: the change set and its impact.
#[derive(Clone)]
pub struct PendingChanges {
    pub changes: Vec<crate::eval::Op>,
    /// The team the change set is for (its impact names its principals).
    pub team: Rc<Team>,
    pub impact: Rc<crate::eval::HeldImpact>,
    /// The preview's summary sentences.
    pub summary: Rc<Vec<String>>,
}

impl PartialEq for DialogProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.team, &o.team)
            && self.resource == o.resource
            && self.actor == o.actor
            && self.tab == o.tab
            && self.on_tab == o.on_tab
            && self.on_close == o.on_close
            && self.on_save == o.on_save
            && self.return_focus == o.return_focus
            && self.inline == o.inline
            && self.keep_draft == o.keep_draft
            && self.on_change == o.on_change
            && self.quick_evaluation_ms == o.quick_evaluation_ms
            && self.slice_ms == o.slice_ms
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

/// The dialog's state (from the draft kept for it, when it keeps one); each
/// new pending change set goes to `on_change`.
#[hook]
fn use_dialog_state(props: &DialogProps) -> UseReducerHandle<State> {
    let state = {
        let (team, r, actor, tab) = (props.team.clone(), props.resource, props.actor, props.tab);
        let (keep, quick) = (props.keep_draft, props.quick_evaluation_ms);
        use_reducer(move || {
            let mut fresh = State::new(team, r, actor, tab);
            fresh.quick_evaluation_ms = quick;
            if keep {
                draft::restored(fresh)
            } else {
                fresh
            }
        })
    };
    draft::use_draft(&state, props.keep_draft);
    {
        // A deferred evaluation: after the edit is painted, in slices,
        // unless the pending set moves on first (then this one is dropped).
        let (state, slice_ms) = (state.clone(), props.slice_ms);
        use_effect_with(
            (state.revision, state.is_stale()),
            move |&(revision, stale)| {
                let evaluation = stale.then(|| later::evaluate_later(state, revision, slice_ms));
                move || drop(evaluation)
            },
        );
    }
    {
        let (state, on_change) = (state.clone(), props.on_change.clone());
        use_effect_with(state.evaluated, move |_| {
            on_change.emit(PendingChanges {
                changes: state.pending().to_vec(),
                team: state.team.clone(),
                impact: state.impact.clone(),
                summary: state.summary.clone(),
            });
        });
    }
    state
}

#[function_component(PermissionsDialog)]
pub fn permissions_dialog(props: &DialogProps) -> Html {
    let state = use_dialog_state(props);
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
    let read_only = state.read_only.is_some();

    // Warn before the tab closes while changes are pending.
    use_unload_warning(state.pending_count() > 0);
    {
        let on_tab = props.on_tab.clone();
        use_effect_with(state.tab, move |&tab| on_tab.emit(tab));
    }

    // Stable callbacks, so that the grid renders again only when what it
    // shows changes.
    let on_why = {
        let (why, nested_opener) = (why.setter(), nested_opener.setter());
        use_callback((), move |t: WhyTarget, _| {
            nested_opener.set(active_id());
            why.set(Some(t))
        })
    };
    let do_save = use_save(state.clone(), props.on_save.clone(), save_error.clone());
    let asking = |a: Ask| {
        let (ask, nested_opener) = (ask.clone(), nested_opener.clone());
        move || {
            nested_opener.set(active_id());
            ask.set(Some(a));
        }
    };
    // Save pressed while the preview catches up waits for it (its slices go
    // on, the page never freezes), then checks for a self-lockout and saves.
    // An edit meanwhile calls the wait off: Save approves what was previewed.
    let save_waiting = use_state(|| None::<u32>);
    let save_now = {
        let (state, do_save, ask) = (state.clone(), do_save.clone(), asking(Ask::SelfLockout));
        move || {
            if state.fresh_impact().has_warning(Code::SelfLockout) {
                ask();
            } else {
                do_save.emit(());
            }
        }
    };
    {
        let (save_now, waiting) = (save_now.clone(), save_waiting.clone());
        let now = (*save_waiting, state.revision, state.is_stale());
        use_effect_with(now, move |&(wait, revision, stale)| match wait {
            Some(at) if at != revision => waiting.set(None),
            Some(_) if !stale => {
                waiting.set(None);
                save_now();
            }
            _ => {}
        });
    }
    let on_save_click = {
        let (state, waiting) = (state.clone(), save_waiting.clone());
        Callback::from(move |_: MouseEvent| {
            if state.is_stale() {
                waiting.set(Some(state.revision));
            } else {
                save_now();
            }
        })
    };
    let request_close = {
        let (state, on_close, ask) = (state.clone(), props.on_close.clone(), asking(Ask::Discard));
        Callback::from(move |_: ()| {
            if state.pending().is_empty() {
                on_close.emit(());
            } else {
                ask();
            }
        })
    };
    let on_pick = {
        let (dispatch, announce) = (state.dispatcher(), announce.setter());
        use_callback(ByPtr(team.clone()), move |p: PrincipalIdx, team| {
            announce.set(Some(format!(
                "{} added at the top of the table: tick the permissions to grant.",
                team.0.principal(p).name
            )));
            dispatch.dispatch(Action::AddPrincipal(p))
        })
    };
    let dismiss_error = {
        let (state, save_error) = (state.clone(), save_error.clone());
        Callback::from(move |_| {
            state.dispatch(Action::DismissError);
            save_error.set(None);
        })
    };
    let save_status = if state.saving {
        Some(saving::IN_FLIGHT)
    } else {
        save_waiting.is_some().then_some(saving::AFTER_PREVIEW)
    };
    let (tid, pid) = tab_ids(state.tab);
    let error = state.error.clone().or_else(|| (*save_error).clone());
    let kind_class = format!("dialog-kind-{}", kind.id);
    html! {
        <>
            <Modal id="permissions-dialog" title={dialog_title(&team, r)} class={classes!("modal-large", kind_class)}
                on_close={request_close.clone()} inert={why.is_some() || ask.is_some()}
                on_key={history_keys(state.clone())}
                header={html! { <DialogHeader team={ByPtr(team.clone())} resource={r} actor={state.actor} /> }}
                footer={html! { <DialogFooter state={state.clone()} on_save={on_save_click} {save_status} on_cancel={request_close} /> }}
                return_focus={props.return_focus.clone()} inline={props.inline}
                initial_focus={Some(AttrValue::from(tid))}>
                <div class="dialog-content" data-resource={res.id.clone()} data-kind={kind.id.clone()}
                    data-read-only={if read_only { "true" } else { "false" }}>
                    <div class="visually-hidden" role="status" id="dialog-status">
                        { (*announce).clone().unwrap_or_default() }
                    </div>
                    if let Some(reason) = &state.read_only {
                        <ReadOnlyBanner team={ByPtr(team.clone())} reason={reason.clone()} />
                    }
                    if let Some(message) = error {
                        <ErrorBanner team={ByPtr(team.clone())} {message} on_dismiss={dismiss_error} />
                    }
                    <DialogTabs state={state.clone()} />
                    <div role="tabpanel" id={pid} aria-labelledby={tid}
                        class={classes!("tabpanel", (state.tab != Tab::Check).then_some("has-preview"))}>
                        { panel(&state, on_why, on_pick) }
                    </div>
                </div>
            </Modal>
            if let Some(t) = &*why {
                <WhyDialog team={ByPtr(team.clone())} overlay={ByPtr(state.overlay.clone())}
                    pending={!state.pending().is_empty()} resource={r} target={t.clone()}
                    on_close={let why = why.clone(); Callback::from(move |_| why.set(None))}
                    return_focus={(*nested_opener).clone()} />
            }
            { confirmation(&state, &ask, &nested_opener, props.on_close.clone(), do_save) }
        </>
    }
}

/// The open tab's panel: the grid (with the picker, unless read-only), the
/// legend and the preview; the data permissions editor and the preview; or
/// Check access.
fn panel(
    state: &UseReducerHandle<State>,
    on_why: Callback<WhyTarget>,
    on_pick: Callback<PrincipalIdx>,
) -> Html {
    let team = state.team.clone();
    let r = state.resource;
    let read_only = state.read_only.is_some();
    let preview = html! { <Preview state={state.clone()} on_why={on_why.clone()} /> };
    match state.tab {
        Tab::Permissions => {
            let picker = if read_only {
                html! {}
            } else {
                html! {
                    <div class="add-principal" data-testid="add-principal">
                        <PrincipalPicker team={team.clone()} exclude={rows::top_principals(state)} {on_pick}
                            label="Add a user, group, application or OAuth client" />
                    </div>
                }
            };
            html! {
                <>
                    <PermissionGrid state={GridView::new(state)} on_why={on_why} toolbar={picker}
                        bulk={if read_only { html! {} } else { html! { <BulkBar state={GridView::new(state)} /> } }} />
                    <Legend />
                    { preview }
                </>
            }
        }
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
    }
}

/// The confirmation being asked, if any: discard the pending changes, or
/// save a self-lockout.
fn confirmation(
    state: &UseReducerHandle<State>,
    ask: &UseStateHandle<Option<Ask>>,
    nested_opener: &UseStateHandle<Option<AttrValue>>,
    on_close: Callback<()>,
    do_save: Callback<()>,
) -> Html {
    let on_cancel = {
        let ask = ask.clone();
        Callback::from(move |_| ask.set(None))
    };
    let then = |next: Callback<()>| {
        let ask = ask.clone();
        Callback::from(move |_| {
            ask.set(None);
            next.emit(());
        })
    };
    let return_focus = (**nested_opener).clone();
    match **ask {
        Some(Ask::Discard) => {
            let resource = state.resource_id().to_string();
            let discard = Callback::from(move |()| {
                draft::forget(&resource);
                on_close.emit(());
            });
            html! {
                <DiscardConfirm pending={state.pending_count()} on_confirm={then(discard)}
                    {on_cancel} {return_focus} />
            }
        }
        Some(Ask::SelfLockout) => {
            let messages: Vec<String> = state
                .fresh_impact()
                .warnings
                .iter()
                .filter(|w| w.code == Code::SelfLockout)
                .map(|w| w.message.clone())
                .collect();
            html! {
                <LockoutConfirm team={ByPtr(state.team.clone())} {messages}
                    on_confirm={then(do_save)} {on_cancel} {return_focus} />
            }
        }
        None => html! {},
    }
}

/// Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (Cmd on macOS) undo and redo, except in a
/// text field, where they undo typing.
fn history_keys(state: UseReducerHandle<State>) -> Callback<KeyboardEvent> {
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
