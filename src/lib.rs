//! Options → Permissions dialogs for a data/analytics platform, with the
//! hierarchy evaluator running in the browser.
//!
//! Layers (see `../shared/design/architecture.md`):
//! - [`model`]: serde types for the snapshot, the catalog as data, validation;
//! - [`eval`]: the pure-Rust evaluator (flags, capabilities, data access,
//!   explain, who-can / what-can, change sets and their impact);
//! - [`golden`]: the golden-case runner, public so users can test their own setups;
//! - `ui` (wasm only): the Yew components.

pub mod eval;
pub mod golden;
pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod ui;
