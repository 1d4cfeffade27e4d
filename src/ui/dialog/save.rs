//! Saving the dialog's pending change set through the backend in the
//! context, and what each outcome does: saved → the app gets the next team;
//! someone saved first → the edits are rebased onto the current team;
//! refused → the dialog says why and keeps the edits; unreachable → the
//! same, and it tries again by itself after 1, 2, 4, 8 and 16 seconds.
//! While the backend works, the footer says "Saving…" and edits wait.

use super::draft;
use super::state::{Action, State};
use crate::backend::{BackendHandle, SaveOutcome, SaveRequest};
use crate::eval::Team;
use crate::ui::hooks::{after_paint, yield_to_page};
use crate::ui::text::{count, problems_text, resource_label, saving};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

/// How long to wait before each automatic retry after the backend could not
/// be reached (then the user saves again by hand).
const RETRY_DELAYS_MS: [u32; 5] = [1_000, 2_000, 4_000, 8_000, 16_000];

/// What Save hands to the app.
#[derive(Clone)]
pub struct Saved {
    /// The team after the change set.
    pub team: Rc<Team>,
    /// "Saved 3 changes to Space Sales".
    pub message: String,
}

/// A callback that saves the pending change set (when there is one the
/// actor may save); problems go to `save_error`.
#[hook]
pub fn use_save(
    state: UseReducerHandle<State>,
    on_save: Callback<Saved>,
    save_error: UseStateHandle<Option<String>>,
) -> Callback<()> {
    let backend = use_context::<BackendHandle>();
    let retries = use_state(|| 0usize);
    let revision = state.revision;
    let save = {
        let retries = retries.clone();
        Callback::from(move |()| save(&state, backend.as_ref(), &on_save, &save_error, &retries))
    };
    // A scheduled retry saves what is pending when it fires: an edit
    // meanwhile re-arms it with the new change set.
    {
        let save = save.clone();
        use_effect_with((*retries, revision), move |&(n, _)| {
            let timer = RETRY_DELAYS_MS
                .get(n.wrapping_sub(1))
                .map(|&ms| Timeout::new(ms, move || save.emit(())));
            move || drop(timer)
        });
    }
    save
}

fn save(
    state: &UseReducerHandle<State>,
    backend: Option<&BackendHandle>,
    on_save: &Callback<Saved>,
    save_error: &UseStateHandle<Option<String>>,
    retries: &UseStateHandle<usize>,
) {
    // The handle reads the state as the last dispatch left it, so a second
    // click before the next render does not save twice.
    if state.saving {
        return;
    }
    if state.pending().is_empty() || state.read_only.is_some() || state.draft_problem.is_some() {
        // Nothing to save (e.g. everything undone while a retry waited).
        retries.set(0);
        return;
    }
    let Some(backend) = backend else {
        save_error.set(Some(saving::NO_BACKEND.into()));
        return;
    };
    let message = format!(
        "Saved {} to {}.",
        count(state.pending().len(), "change", "changes"),
        resource_label(&state.team, state.resource)
    );
    let request = SaveRequest {
        base_version: state
            .team
            .snapshot
            .version
            .clone()
            .unwrap_or_else(|| "0".into()),
        actor: state.actor_id().to_string(),
        changes: state.pending().to_vec(),
    };
    state.dispatch(Action::Saving(true));
    let (state, on_save, save_error) = (state.clone(), on_save.clone(), save_error.clone());
    let (retries, tried) = (retries.clone(), **retries);
    let settle = move |outcome: SaveOutcome| {
        state.dispatch(Action::Saving(false));
        let again = matches!(outcome, SaveOutcome::Unavailable(_)) && tried < RETRY_DELAYS_MS.len();
        retries.set(if again { tried + 1 } else { 0 });
        match outcome {
            SaveOutcome::Saved(next) => {
                draft::forget(state.resource_id());
                on_save.emit(Saved {
                    team: next.team,
                    message,
                })
            }
            SaveOutcome::Conflict { current, meanwhile } => {
                save_error.set(None);
                state.dispatch(Action::Rebase(current.team, meanwhile));
            }
            SaveOutcome::Rejected(problems) => save_error.set(Some(format!(
                "{} {}",
                saving::REJECTED,
                problems_text(&state.team, &problems)
            ))),
            SaveOutcome::Unavailable(why) if again => save_error.set(Some(saving::retrying(
                &why,
                RETRY_DELAYS_MS[tried] / 1000,
                tried + 1,
                RETRY_DELAYS_MS.len(),
            ))),
            SaveOutcome::Unavailable(why) | SaveOutcome::Failed(why) => save_error.set(Some(
                format!("{} {why}. {}", saving::FAILED, saving::EDITS_KEPT),
            )),
        }
    };
    let backend = backend.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // "Saving…" is painted before the backend runs (an in-page one
        // applies the change set right away), and the next team is drawn in
        // a task of its own: no single long task on a large team.
        after_paint().await;
        let outcome = backend.0.save(request).await;
        yield_to_page().await;
        settle(outcome);
    });
}
