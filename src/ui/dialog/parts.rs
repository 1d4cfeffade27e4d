//! The permissions dialog's smaller parts, each a component named after what
//! it shows: the header under the title, the tabs, the bulk bar, the legend
//! and the footer.

use super::preview;
use super::state::{Action, GridView, State, Tab};
use crate::eval::{PrincipalIdx, ResourceIdx, Team};
use crate::model::validate::PrincipalType;
use crate::model::Role;
use crate::ui::hooks::ByPtr;
use crate::ui::icons;
use crate::ui::modal::focus_id;
use crate::ui::text::{breadcrumb, count, role_label, saving};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// How many of the preview's phrases the footer's summary line shows.
const SUMMARY_PHRASES: usize = 2;

/// The DOM ids of a tab and its panel.
pub fn tab_ids(t: Tab) -> (&'static str, &'static str) {
    match t {
        Tab::Permissions => ("tab-permissions", "panel-permissions"),
        Tab::Data => ("tab-data", "panel-data"),
        Tab::Check => ("tab-check", "panel-check"),
    }
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub team: ByPtr<Team>,
    pub resource: ResourceIdx,
    pub actor: PrincipalIdx,
}

/// Where the resource sits, who is acting, and that admins are not listed.
#[function_component(DialogHeader)]
pub fn dialog_header(props: &HeaderProps) -> Html {
    let team = &props.team.0;
    let actor = team.principal(props.actor);
    let admins = team
        .principals
        .iter()
        .filter(|p| p.ptype == PrincipalType::User && p.role == Role::Admin)
        .count();
    html! {
        <div class="dialog-meta">
            <p class="dialog-path" id="dialog-path">
                <span class="badge badge-kind">{ team.kind_of(props.resource).label.clone() }</span>
                <span>{ breadcrumb(team, props.resource) }</span>
            </p>
            <p class="dialog-facts">
                <span>{ format!("Acting as {} ({})", actor.name, role_label(actor.role)) }</span>
                if admins > 0 {
                    <span aria-hidden="true">{ " · " }</span>
                    <span id="admins-note">{ admins_note(admins) }</span>
                }
            </p>
        </div>
    }
}

/// "All 4 admins hold every permission here …", in the singular for one.
fn admins_note(admins: usize) -> String {
    if admins == 1 {
        "The 1 admin holds every permission here and is not listed unless granted.".into()
    } else {
        format!("All {admins} admins hold every permission here and are not listed unless granted.")
    }
}

#[derive(Properties, PartialEq)]
pub struct StateProps {
    pub state: UseReducerHandle<State>,
}

/// The tabs (WAI-ARIA tabs: arrows, Home and End move between them).
#[function_component(DialogTabs)]
pub fn dialog_tabs(props: &StateProps) -> Html {
    let state = &props.state;
    let tabs: Vec<(Tab, &str)> = if state.is_data_model() {
        vec![
            (Tab::Permissions, "Usage permissions"),
            (Tab::Data, "Data permissions"),
            (Tab::Check, "Check access"),
        ]
    } else {
        vec![
            (Tab::Permissions, "Permissions"),
            (Tab::Check, "Check access"),
        ]
    };
    let tab_keys = {
        let state = state.clone();
        let order: Vec<Tab> = tabs.iter().map(|(t, _)| *t).collect();
        Callback::from(move |e: KeyboardEvent| {
            let cur = order.iter().position(|&t| t == state.tab).unwrap_or(0);
            let n = order.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (cur + 1) % n,
                "ArrowLeft" => (cur + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            state.dispatch(Action::SetTab(order[next]));
            focus_id(tab_ids(order[next]).0);
        })
    };
    let data_pending = state
        .pending()
        .iter()
        .any(|o| matches!(o, crate::eval::Op::SetDataPermissions(_)));
    html! {
        <div role="tablist" class="tabs" aria-label="Permission views" onkeydown={tab_keys}>
            { for tabs.iter().map(|&(t, label)| {
                let (tid, pid) = tab_ids(t);
                let selected = state.tab == t;
                let st = state.clone();
                html! {
                    <button type="button" role="tab" id={tid} aria-controls={pid}
                        aria-selected={if selected { "true" } else { "false" }}
                        tabindex={if selected { "0" } else { "-1" }}
                        class={classes!("tab", selected.then_some("is-selected"))}
                        onclick={Callback::from(move |_| st.dispatch(Action::SetTab(t)))}>
                        { label }
                        if t == Tab::Data && data_pending {
                            <span class="tab-dot" aria-label="has pending changes"></span>
                        }
                    </button>
                }
            }) }
        </div>
    }
}

/// Grant or remove one permission for every selected row at once.
#[derive(Properties, PartialEq)]
pub struct BulkProps {
    pub state: GridView,
}

#[function_component(BulkBar)]
pub fn bulk_bar(props: &BulkProps) -> Html {
    let state = &props.state.state;
    let bulk_flag = use_state(|| 0usize);
    if state.selected.is_empty() {
        return html! {};
    }
    let kind = state.team.kind_of(state.resource);
    let sel = state.selected.clone();
    let flag = kind
        .perms
        .get(*bulk_flag)
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let set = |grant: bool| {
        let state = state.clone();
        let sel = sel.clone();
        let flag = flag.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::SetFlag {
                principals: sel.clone(),
                flag: flag.clone(),
                grant,
            })
        })
    };
    let on_flag = {
        let bulk_flag = bulk_flag.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<HtmlSelectElement>()
                .selected_index();
            bulk_flag.set(v.max(0) as usize);
        })
    };
    let clear = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::SetSelection(Vec::new())))
    };
    html! {
        <div class="bulk-bar" role="group" aria-label="Change the selected rows" id="bulk-bar">
            <strong>{ format!("{} selected", count(sel.len(), "row", "rows")) }</strong>
            <label for="bulk-permission">{ "Permission" }</label>
            <select id="bulk-permission" class="input" onchange={on_flag}>
                { for kind.perms.iter().enumerate().map(|(i, p)| html! {
                    <option value={p.id.clone()} selected={i == *bulk_flag}>{ p.label.clone() }</option>
                }) }
            </select>
            <button type="button" class="button button-small button-primary" id="bulk-grant" onclick={set(true)}>{ "Grant to selected" }</button>
            <button type="button" class="button button-small" id="bulk-revoke" onclick={set(false)}>{ "Remove from selected" }</button>
            <button type="button" class="button button-small button-ghost" id="bulk-clear" onclick={clear}>{ "Clear selection" }</button>
        </div>
    }
}

/// What the grid's marks mean.
#[function_component(Legend)]
pub fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            <li><span class="perm-box state-granted"><span class="box">{ "✓" }</span></span>{ "Granted here" }</li>
            <li><span class="perm-box state-inherited"><span class="box">{ "✓" }<span class="box-lock">{ icons::lock() }</span></span></span>{ "Inherited from above (locked)" }</li>
            <li><span class="perm-box state-via-group"><span class="box">{ "✓" }</span></span>{ "Via a group or implied" }</li>
            <li><span class="perm-box state-pending-add"><span class="box">{ "✓" }</span></span>{ "Pending: add" }</li>
            <li><span class="perm-box state-pending-remove"><span class="box"></span></span>{ "Pending: remove" }</li>
            <li><span class="legend-warn">{ icons::warning() }</span>{ "Not effective (role, requires, scope)" }</li>
            <li><span class="perm-box state-mixed"><span class="box">{ "–" }</span></span>{ "Some group members" }</li>
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct FooterProps {
    pub state: UseReducerHandle<State>,
    pub on_save: Callback<MouseEvent>,
    /// What Save is doing, once pressed: waiting for the preview to catch
    /// up, or saving.
    pub save_status: Option<&'static str>,
    pub on_cancel: Callback<()>,
}

/// The summary line, the pending count, history, Cancel and Save.
#[function_component(DialogFooter)]
pub fn dialog_footer(props: &FooterProps) -> Html {
    let state = &props.state;
    let pending = state.pending_count();
    let read_only = state.read_only.is_some();
    let dispatch = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <>
            if state.evaluated_count > 0 { <SummaryLine state={state.clone()} /> }
            <span class={classes!("pending-count", (pending > 0).then_some("has-pending"))}
                id="pending-count" data-testid="pending-count" data-count={pending.to_string()}
                aria-live="polite">
                if pending == 0 { { "No pending changes" } }
                else { { count(pending, "pending change", "pending changes") } }
            </span>
            <button type="button" class="button" id="dialog-undo" onclick={dispatch(|| Action::Undo)}
                disabled={!state.session.can_undo()}>{ "Undo" }</button>
            <button type="button" class="button" id="dialog-redo" onclick={dispatch(|| Action::Redo)}
                disabled={!state.session.can_redo()}>{ "Redo" }</button>
            <button type="button" class="button" id="dialog-reset" onclick={dispatch(|| Action::Reset)}
                disabled={pending == 0}>{ "Reset" }</button>
            <span class="footer-spacer"></span>
            if let Some(problem) = &state.draft_problem {
                <span class="footer-problem" id="draft-problem" role="status">
                    { icons::warning() }
                    { format!("{} {problem}", saving::FIX_DRAFT_FIRST) }
                </span>
            }
            if let Some(status) = props.save_status {
                <span class="footer-status" id="save-status" role="status">{ status }</span>
            }
            <button type="button" class="button" id="dialog-cancel" onclick={cancel}>
                { if read_only { "Close" } else { "Cancel" } }
            </button>
            <button type="button" class="button button-primary" id="dialog-save"
                data-testid="dialog-save" onclick={props.on_save.clone()}
                disabled={pending == 0 || read_only || state.draft_problem.is_some()}
                aria-describedby={state.draft_problem.is_some().then_some("draft-problem")}
                aria-busy={props.save_status.is_some().then_some("true")}
                title={read_only.then_some("Read-only: you may not change these permissions")}>
                { "Save" }
            </button>
        </>
    }
}

/// The preview's summary, kept in sight above the buttons however far the
/// grid is scrolled; Details brings the whole preview into view.
#[function_component(SummaryLine)]
fn summary_line(props: &StateProps) -> Html {
    let state = &props.state;
    let phrases = &state.summary;
    let warnings = preview::change_set_warnings(&state.team, &state.impact).len();
    let mut line = if phrases.is_empty() {
        "Nobody's effective access changes".to_string()
    } else {
        let more = phrases.len().saturating_sub(SUMMARY_PHRASES);
        let mut l = phrases[..phrases.len() - more].join(" · ");
        if more > 0 {
            l.push_str(&format!(
                " · and {}",
                count(more, "more change", "more changes")
            ));
        }
        l
    };
    if warnings > 0 {
        line.push_str(&format!(" · {}", count(warnings, "warning", "warnings")));
    }
    let details = Callback::from(|_: MouseEvent| {
        if let Some(p) = crate::ui::modal::element_near_focus("preview") {
            p.scroll_into_view();
        }
    });
    html! {
        <p class="footer-summary" id="footer-summary" data-testid="footer-summary">
            <span class="footer-summary__text">{ line }</span>
            <button type="button" class="button button-small button-ghost" id="footer-summary-details"
                onclick={details}>{ "Details" }</button>
        </p>
    }
}
