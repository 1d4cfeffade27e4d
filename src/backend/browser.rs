//! The team saved in this browser's `localStorage` (key [`STORAGE_KEY`], the
//! snapshot JSON), with the embedded demo team when nothing is stored. Every
//! save reads the stored team again, so a save made meanwhile in another tab
//! is a conflict, not a lost update. Never panics: stored data that does not
//! parse or validate gives the demo team with a notice saying so.

use super::{apply_request, Backend, BoxFuture, Loaded, SaveOutcome, SaveRequest, Versioned};
use crate::demo::demo_team;
use crate::eval::Team;
use std::cell::Cell;

/// `localStorage` key of the saved snapshot (the snapshot JSON of `../shared/spec/snapshot-format.md`).
pub const STORAGE_KEY: &str = "permissions-widget.snapshot";
/// `localStorage` key of the acting user's id (a demo convenience).
pub const ACTOR_KEY: &str = "permissions-widget.actor";

const DEMO_LABEL: &str = "Acme Corp demo team";
const STORED_LABEL: &str = "Team saved in this browser";

/// The team in this browser's storage, or the demo team.
#[derive(Debug, Default)]
pub struct BrowserBackend {
    /// Whether the team last loaded or saved is the stored one (not the demo).
    shows_stored: Cell<bool>,
}

impl Backend for BrowserBackend {
    fn load(&self) -> BoxFuture<Result<Loaded, String>> {
        let stored = read(STORAGE_KEY);
        let loaded = from_stored(stored.as_deref());
        self.shows_stored
            .set(stored.is_some() && loaded.as_ref().is_ok_and(|l| l.notice.is_none()));
        Box::pin(std::future::ready(loaded))
    }

    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome> {
        let outcome = save(&request);
        if matches!(outcome, SaveOutcome::Saved(_)) {
            self.shows_stored.set(true);
        }
        Box::pin(std::future::ready(outcome))
    }

    fn reset_demo(&self) -> Option<BoxFuture<Result<Loaded, String>>> {
        let loaded = match storage() {
            None => Err("this browser offers no local storage".to_string()),
            Some(s) => s
                .remove_item(STORAGE_KEY)
                .map_err(|_| "the browser refused to remove the stored data".to_string())
                .and_then(|()| from_stored(None)),
        };
        if loaded.is_ok() {
            self.shows_stored.set(false);
        }
        Some(Box::pin(std::future::ready(loaded)))
    }

    fn has_demo_reset(&self) -> bool {
        true
    }

    fn describe(&self) -> String {
        if self.shows_stored.get() {
            STORED_LABEL
        } else {
            DEMO_LABEL
        }
        .into()
    }
}

fn save(request: &SaveRequest) -> SaveOutcome {
    let current = match from_stored(read(STORAGE_KEY).as_deref()) {
        Ok(loaded) => loaded.current,
        Err(e) => return SaveOutcome::Unavailable(e),
    };
    let outcome = apply_request(&current, request);
    if let SaveOutcome::Saved(next) = &outcome {
        if let Err(e) = store(&next.team) {
            return SaveOutcome::Unavailable(e);
        }
    }
    outcome
}

/// The team from what is stored (if anything): the stored team when it is
/// valid, the demo team otherwise (with a notice why). Pure, for tests.
pub fn from_stored(stored: Option<&str>) -> Result<Loaded, String> {
    let demo = |notice: Option<String>| {
        demo_team().map(|team| Loaded {
            current: Versioned::new(team),
            notice,
        })
    };
    let Some(json) = stored else {
        return demo(None);
    };
    match Team::from_json(json) {
        Ok(team) => Ok(Loaded {
            current: Versioned::new(team),
            notice: None,
        }),
        Err(problems) => {
            let first = problems
                .errors()
                .next()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "unknown problem".to_string());
            let more = problems.errors().count().saturating_sub(1);
            let more = if more > 0 {
                format!(" (and {more} more problems)")
            } else {
                String::new()
            };
            demo(Some(format!(
                "The data saved in this browser could not be loaded: {first}{more}. \
                 The demo data is shown instead; saving will replace the stored data."
            )))
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn read(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn store(team: &Team) -> Result<(), String> {
    let json = serde_json::to_string(&team.snapshot)
        .map_err(|e| format!("the team could not be serialised: {e}"))?;
    let s = storage().ok_or("this browser offers no local storage")?;
    s.set_item(STORAGE_KEY, &json)
        .map_err(|_| "the browser refused to store the data (storage full or blocked)".to_string())
}

/// The remembered acting user id, if any.
pub fn remembered_actor() -> Option<String> {
    read(ACTOR_KEY)
}

/// Remembers the acting user (best effort: a failure only loses the choice).
pub fn remember_actor(id: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(ACTOR_KEY, id);
    }
}
