//! The hierarchy evaluator: pure functions over a validated snapshot
//! ([`Team`]), the same natively and in wasm. It never panics on a validated
//! team and returns decisions with their reasons.
//!
//! - [`team`]: the indexed team and [`View`] (the team, or the team with a change set laid over it);
//! - [`flags`]: held / effective flags, reasons, sources (spec §3);
//! - [`capability`]: capabilities from effective flags (spec §4);
//! - [`data_access`]: row-level data access (spec §6);
//! - [`explain`]: why / why not, as data and as sentences;
//! - [`query`]: who-can, what-can, the rows of a permissions dialog, string-id helpers;
//! - [`change`], [`impact`] and [`warnings`]: change sets applied as an actor, their impact and warnings (spec §7);
//! - [`session`]: the pending edits of one actor: net, undo and redo, rebase onto a newer team.

pub mod capability;
pub mod change;
pub mod data_access;
pub mod explain;
pub mod flags;
pub mod impact;
pub mod query;
pub mod session;
pub mod team;
pub mod warnings;
pub mod words;

pub use change::{check_ops, prepare, read_change_set, read_ops, GrantOp, Op, Prepared, SetDataOp};
pub use data_access::{AccessKind, DataAccess};
pub use explain::Explanation;
pub use flags::{FlagState, Ineffective, Source, Step, Via};
pub use impact::{impact, Change, Changes, Delta, HeldImpact, Impact, ImpactEntry, ImpactUpdate};
pub use query::QueryError;
pub use session::{Dropped, Edit, Evaluation, Rebased, Session};
pub use team::{PrincipalIdx, ResourceIdx, Team, View};
