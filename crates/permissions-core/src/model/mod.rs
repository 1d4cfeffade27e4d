//! The model: plain serde types for the snapshot ([`snapshot`]), the catalog
//! as data ([`catalog`]), problems with codes and JSON paths ([`problem`]) and
//! validation that reports every problem at once ([`validate`]), and the
//! structural reading of snapshots and change sets that reports every
//! structural problem at once ([`structure`]). No browser dependency.

pub mod bits;
pub mod catalog;
pub mod problem;
pub mod snapshot;
pub mod structure;
pub mod synthetic;
pub mod validate;

pub use bits::{CapSet, FlagSet};
pub use catalog::{Catalog, Compiled};
pub use problem::{About, Code, Problem, Problems};
pub use snapshot::*;
pub use structure::{read_op_values, read_snapshot, read_snapshot_value};
