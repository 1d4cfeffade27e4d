//! Options → Permissions dialogs for a data/analytics platform, with the
//! hierarchy evaluator running in the browser.
//!
//! Layers (see `../shared/design/architecture.md`):
//! - [`model`]: serde types for the snapshot, the catalog as data, validation;
//! - [`eval`]: the pure-Rust evaluator (flags, capabilities, data access,
//!   explain, who-can / what-can, change sets and their impact);
//! - [`golden`]: the golden-case runner, public so users can test their own setups;
//! - `embed` (wasm only): the `#[wasm_bindgen]` API for host pages and JS tests;
//! - `ui` (wasm only): the Yew components.

#[cfg(target_arch = "wasm32")]
pub mod embed;
pub mod eval;
pub mod golden;
pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod ui;
