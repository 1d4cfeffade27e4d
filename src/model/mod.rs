//! The model: plain serde types for the snapshot ([`snapshot`]), the catalog
//! as data ([`catalog`]), problems with codes and JSON paths ([`problem`]) and
//! validation that reports every problem at once ([`validate`]). No browser
//! dependency.

pub mod catalog;
pub mod problem;
pub mod snapshot;
pub mod synthetic;
pub mod validate;

pub use catalog::{Catalog, Compiled};
pub use problem::{Code, Problem, Problems};
pub use snapshot::*;
