//! Benchmark only: our evaluator against Cedar (`cedar-policy`) on the same
//! requests. A synthetic team is translated into Cedar entities and
//! policies ([`translate`]) for the subset of the permission model Cedar can
//! state ([`rules`], and the README), a seeded sample of requests is drawn
//! ([`sample`]) and both engines decide and are timed on it ([`compare`]).
//! No product crate depends on this one.

pub mod compare;
pub mod rules;
pub mod sample;
pub mod translate;

pub use compare::{median, Mismatch, Setup};
pub use translate::Encoding;
