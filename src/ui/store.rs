//! The in-browser store: the embedded demo team, and the team as last saved
//! in `localStorage` (key [`STORAGE_KEY`], the snapshot JSON). Never panics:
//! a stored snapshot that does not parse or validate falls back to the demo
//! data with a message the app shows in a banner.

use crate::eval::Team;
use std::rc::Rc;

/// `localStorage` key of the saved snapshot (the snapshot JSON of `../shared/spec/snapshot-format.md`).
pub const STORAGE_KEY: &str = "permissions-widget.snapshot";
/// `localStorage` key of the acting user's id (a demo convenience).
pub const ACTOR_KEY: &str = "permissions-widget.actor";
/// The demo team that ships with the app.
pub const DEMO_JSON: &str = include_str!("../demo/team.json");
/// Who the demo acts as when nothing else is chosen.
pub const DEFAULT_ACTOR: &str = "u-admin";

/// What the app starts with.
pub struct Loaded {
    /// `None` only when even the embedded demo data is invalid (a build defect).
    pub team: Option<Rc<Team>>,
    /// Set when something went wrong (shown as an error banner).
    pub error: Option<String>,
    /// Whether the team came from the browser's store (not the demo data).
    pub from_storage: bool,
}

/// The demo team, parsed and validated.
pub fn demo_team() -> Result<Team, String> {
    Team::from_json(DEMO_JSON).map_err(|p| format!("the demo data is invalid: {p}"))
}

/// Whether the page was opened with `?demo=large`: a generated team of
/// 10,000 users (`crate::model::synthetic`) to try the UI at scale. It is
/// never stored: saving changes it for the session only.
pub fn large_demo_requested() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &"location".into())
        .and_then(|l| js_sys::Reflect::get(&l, &"search".into()))
        .ok()
        .and_then(|s| s.as_string())
        .is_some_and(|s| s.contains("demo=large"))
}

/// The generated large team (10,000 users, 50 groups, 2,000 assets).
pub fn large_demo() -> Loaded {
    use crate::model::synthetic::{team, Scale};
    let snap = team(Scale {
        users: 10_000,
        groups: 50,
        packages: 20,
        assets: 2_000,
        users_with_grants: 2_000,
    });
    match Team::new(std::sync::Arc::new(crate::model::Catalog::builtin()), snap) {
        Ok(t) => Loaded {
            team: Some(Rc::new(t)),
            error: None,
            from_storage: false,
        },
        Err(p) => Loaded {
            team: None,
            error: Some(format!("the generated team is invalid: {p}")),
            from_storage: false,
        },
    }
}

/// Picks the team from what is stored (if anything): the stored team when it
/// is valid, the demo team otherwise (with the reason). Pure, for tests.
pub fn team_from_stored(stored: Option<&str>) -> Loaded {
    let fallback = |error: Option<String>| match demo_team() {
        Ok(t) => Loaded {
            team: Some(Rc::new(t)),
            error,
            from_storage: false,
        },
        Err(e) => Loaded {
            team: None,
            error: Some(match error {
                Some(first) => format!("{first}; {e}"),
                None => e,
            }),
            from_storage: false,
        },
    };
    match stored {
        None => fallback(None),
        Some(json) => match Team::from_json(json) {
            Ok(t) => Loaded {
                team: Some(Rc::new(t)),
                error: None,
                from_storage: true,
            },
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
                fallback(Some(format!(
                    "The data saved in this browser could not be loaded: {first}{more}. \
                     The demo data is shown instead; saving will replace the stored data."
                )))
            }
        },
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn read(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Loads the team at start-up.
pub fn load() -> Loaded {
    team_from_stored(read(STORAGE_KEY).as_deref())
}

/// Saves a team's snapshot.
pub fn save(team: &Team) -> Result<(), String> {
    let json = serde_json::to_string(&team.snapshot)
        .map_err(|e| format!("the team could not be serialised: {e}"))?;
    let s = storage().ok_or("this browser offers no local storage")?;
    s.set_item(STORAGE_KEY, &json)
        .map_err(|_| "the browser refused to store the data (storage full or blocked)".to_string())
}

/// Forgets the saved team (the next load uses the demo data).
pub fn clear() -> Result<(), String> {
    let s = storage().ok_or("this browser offers no local storage")?;
    s.remove_item(STORAGE_KEY)
        .map_err(|_| "the browser refused to remove the stored data".to_string())
}

/// The remembered acting user id, if any.
pub fn load_actor() -> Option<String> {
    read(ACTOR_KEY)
}

/// Remembers the acting user (best effort: a failure only loses the choice).
pub fn save_actor(id: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(ACTOR_KEY, id);
    }
}
