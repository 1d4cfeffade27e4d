//! The permission model and the hierarchy evaluator, as pure Rust: no
//! browser, server or async dependency, bit-for-bit the same natively and in
//! wasm32. The web widget, its JavaScript API and a server all call this
//! crate, so the preview is exactly what is enforced.
//!
//! - [`model`]: serde types for the snapshot, the catalog as data, validation
//!   that reports every problem with a code and a JSON path;
//! - [`eval`]: the evaluator (flags, capabilities, data access, explain,
//!   who-can / what-can, change sets, their impact and warnings) and the
//!   edit session (pending edits with undo, redo and rebase);
//! - [`golden`]: the golden-case runner, public so users can test their own setups.

pub mod eval;
pub mod golden;
pub mod model;
