//! Options → Permissions dialogs for a data/analytics platform, with the
//! hierarchy evaluator running in the browser.
//!
//! Layers (see `../shared/design/architecture.md`):
//! - [`model`], [`eval`], [`golden`]: the `permissions-core` crate (pure
//!   Rust, no browser dependency), re-exported so the widget's users reach
//!   the evaluator through this crate too;
//! - [`backend`]: where a team comes from and where saves go (one trait;
//!   in memory, in this browser's storage);
//! - [`demo`]: the embedded demo team and the generated large team;
//! - [`keys`]: what keys do (grid navigation, undo / redo), as pure functions;
//! - `embed` (wasm only, feature `embed`): the `#[wasm_bindgen]` API for host
//!   pages and JS tests, built into the npm package, not into the app;
//! - `ui` (wasm only): the Yew components.

pub use permissions_core::{eval, golden, model};

pub mod backend;
pub mod demo;
pub mod keys;

#[cfg(all(target_arch = "wasm32", feature = "embed"))]
pub mod embed;

#[cfg(target_arch = "wasm32")]
pub mod ui;
