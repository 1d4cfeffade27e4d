//! Where a team comes from and where its changes go: one trait, [`Backend`]
//! — load a team with its version; save a change set based on a version →
//! saved (the new version) | conflict (someone saved first: the current team)
//! | rejected (the problems) | unavailable (nothing saved; retry later).
//!
//! - [`memory`]: a team held in memory (the generated large demo, tests);
//! - `browser` (wasm only): the team saved in this browser's `localStorage`,
//!   with the embedded demo team as the default;
//! - `fetch` (wasm only): the permission service's HTTP API
//!   (`api/openapi.yaml`), its answers read by [`http`] (pure, tested natively).
//!
//! Components reach the backend through a context ([`BackendHandle`]) and
//! never touch storage themselves. A new backend goes here, as one more
//! implementation.

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
pub mod http;
pub mod memory;

use crate::eval::{Op, Team};
use crate::model::Problems;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A backend's answer, later (a network) or at once (this browser's storage).
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A team as a backend holds it, with its version (sent back to save).
#[derive(Debug, Clone)]
pub struct Versioned {
    pub team: Rc<Team>,
    pub version: String,
}

impl Versioned {
    /// The team with the version its snapshot carries (`"0"` when none).
    pub fn new(team: Team) -> Versioned {
        let version = team.snapshot.version.clone().unwrap_or_else(|| "0".into());
        Versioned {
            team: Rc::new(team),
            version,
        }
    }
}

/// What a load gives: the team, and anything the user should know about it
/// (e.g. that stored data was invalid and the demo team is shown instead).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub current: Versioned,
    pub notice: Option<String>,
}

/// A change set to save as `actor`, made on the team at `base_version`.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveRequest {
    pub base_version: String,
    pub actor: String,
    pub changes: Vec<Op>,
}

#[derive(Debug, Clone)]
pub enum SaveOutcome {
    /// Saved: the team after the change set, with its new version.
    Saved(Versioned),
    /// Someone saved first: nothing was saved; the current team, to rebase
    /// the pending edits onto, and what was saved meanwhile when the backend
    /// knows (oldest first).
    Conflict {
        current: Versioned,
        meanwhile: Vec<SavedMeanwhile>,
    },
    /// The evaluator refused the change set (e.g. `not-allowed`): nothing was saved.
    Rejected(Problems),
    /// The backend could not be reached or could not store: nothing was
    /// saved, and the same request may be tried again.
    Unavailable(String),
    /// The backend refused the request for a reason trying again won't
    /// change (e.g. an unknown sign-in token): nothing was saved.
    Failed(String),
}

/// One operation someone else saved after the version a save was based on.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedMeanwhile {
    /// The principal id of who saved it.
    pub actor: String,
    /// When, as the backend says it (RFC 3339).
    pub at: String,
    pub op: Op,
}

pub trait Backend {
    /// The current team and its version; `Err` when it cannot be had now.
    fn load(&self) -> BoxFuture<Result<Loaded, String>>;
    /// Saves a change set made on the version the request names.
    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome>;
    /// Restores the demo data, for backends that have any.
    fn reset_demo(&self) -> Option<BoxFuture<Result<Loaded, String>>> {
        None
    }
    /// Whether [`Backend::reset_demo`] restores anything (the app offers it then).
    fn has_demo_reset(&self) -> bool {
        false
    }
    /// Acts as `principal` from now on (a backend that signs requests in
    /// picks that principal's credentials); `Err` says why it cannot.
    fn act_as(&self, _principal: &str) -> Result<(), String> {
        Ok(())
    }
    /// Whether saved changes outlive the page (shown to the user when not).
    fn persists(&self) -> bool {
        true
    }
    /// What the team is, for the app's header ("Team saved in this browser").
    fn describe(&self) -> String;
}

/// The backend as a component context (equal when it is the same backend).
#[derive(Clone)]
pub struct BackendHandle(pub Rc<dyn Backend>);

impl PartialEq for BackendHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Saves `request` on `current` as a backend that holds the team itself
/// does: a stale base version is a conflict, then the change set is applied
/// as the actor, all or nothing, and the version goes up by one.
pub fn apply_request(current: &Versioned, request: &SaveRequest) -> SaveOutcome {
    if request.base_version != current.version {
        return SaveOutcome::Conflict {
            current: current.clone(),
            meanwhile: Vec::new(),
        };
    }
    match current.team.apply(&request.actor, &request.changes) {
        Err(problems) => SaveOutcome::Rejected(problems),
        Ok(mut next) => {
            let version = next_version(&current.version);
            next.snapshot.version = Some(version.clone());
            SaveOutcome::Saved(Versioned {
                team: Rc::new(next),
                version,
            })
        }
    }
}

/// `"7"` → `"8"`; a version that is not a number starts over at `"1"`.
fn next_version(version: &str) -> String {
    version
        .parse::<u64>()
        .map_or(1, |n| n.saturating_add(1))
        .to_string()
}

/// The value of a future that is already complete (the in-browser backends
/// answer at once), without waiting; the future back when it would have to
/// wait (then await it).
pub fn ready_now<T>(mut future: BoxFuture<T>) -> Result<T, BoxFuture<T>> {
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(value) => Ok(value),
        Poll::Pending => Err(future),
    }
}
