//! What the app needs of the core, without any UI: a snapshot read and
//! indexed, a change set read, taken as one edit with its impact and
//! warnings, and one explanation.

use permissions_core::eval::{Op, Session, Team};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn run(
    snapshot: &str,
    changes: &str,
    principal: &str,
    resource: &str,
    capability: &str,
) -> String {
    let team = match Team::from_json(snapshot) {
        Ok(team) => team,
        Err(problems) => return problems.to_string(),
    };
    let ops: Vec<Op> = match serde_json::from_str(changes) {
        Ok(ops) => ops,
        Err(e) => return e.to_string(),
    };
    let changed = match Session::new(principal).edit(&team, ops) {
        Ok(Some(evaluation)) => {
            evaluation.impact.principals().count() + evaluation.impact.warnings.len()
        }
        Ok(None) => 0,
        Err(problems) => return problems.to_string(),
    };
    let why = team
        .explain(principal, resource, capability)
        .map(|e| e.sentences.join(" "))
        .unwrap_or_default();
    format!("{changed} {why}")
}
