//! A dialog's pending edits kept in this tab's `sessionStorage` until they
//! are saved or discarded, so that reloading the page loses nothing: the
//! next dialog on the same resource, as the same user, starts from them.

use super::state::State;
use crate::eval::Op;
use gloo::storage::{SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

const KEY_PREFIX: &str = "permissions-widget.draft.";

/// The pending edits of one dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Who made them (a draft is only restored for the same user).
    pub actor: String,
    /// The version of the team they were made on.
    pub base_version: String,
    pub changes: Vec<Op>,
}

fn key(resource: &str) -> String {
    format!("{KEY_PREFIX}{resource}")
}

/// The draft kept for `resource` by `actor`, if any (one that cannot be read is dropped).
fn take_for(resource: &str, actor: &str) -> Option<Draft> {
    match SessionStorage::get::<Draft>(key(resource)) {
        Ok(draft) => (draft.actor == actor && !draft.changes.is_empty()).then_some(draft),
        Err(_) => {
            forget(resource);
            None
        }
    }
}

/// The state with the edits of its draft, if one was kept.
pub fn restored(mut state: State) -> State {
    if let Some(draft) = take_for(state.resource_id(), state.actor_id()) {
        state.restore(draft.changes);
    }
    state
}

/// Drops the draft of `resource` (saved or discarded).
pub fn forget(resource: &str) {
    SessionStorage::delete(key(resource));
}

/// Keeps the dialog's pending edits in the draft as they change (best
/// effort: storage that is full or blocked only loses the reload safety).
#[hook]
pub fn use_draft(state: &UseReducerHandle<State>, enabled: bool) {
    let state = state.clone();
    use_effect_with(state.revision, move |_| {
        if !enabled {
            return;
        }
        let resource = state.resource_id().to_string();
        if state.pending().is_empty() {
            forget(&resource);
        } else {
            let draft = Draft {
                actor: state.actor_id().to_string(),
                base_version: state.team.snapshot.version.clone().unwrap_or_default(),
                changes: state.pending().to_vec(),
            };
            let _ = SessionStorage::set(key(&resource), draft);
        }
    });
}
