//! The `#[wasm_bindgen]` surface for host pages and for users' headless
//! tests written in JavaScript: the same evaluator as the UI, by id, with
//! JSON-shaped values (the snapshot format of `../shared/spec/snapshot-format.md`);
//! and [`mount`], the dialog in a host page's element ([`mount`](mod@mount),
//! [`options`], [`events`], [`styles`]). The npm package around it is built
//! by `scripts/package.sh` (`packages/permissions-widget/`).
//!
//! ```js
//! import init, { Evaluator, runGoldenCase } from "./permissions-widget.js";
//! await init();
//! const ev = new Evaluator(snapshotJson);         // throws {problems: [...]}
//! ev.can("u-ana", "v-ovw", "edit");               // true
//! ev.explain("u-ana", "v-ovw", "edit").sentences; // ["Ana Lima can edit on View Overview because …"]
//! ev.impact("u-admin", [{op: "grant", principal: "g-fin", resource: "sp-sales", permission: "use-all-packages"}]);
//! runGoldenCase("mine.json", caseJson);          // {name, description, passed, failures}
//! ```

pub mod events;
pub mod mount;
pub mod options;
pub mod styles;

pub use mount::{mount, Widget};

use crate::eval::{Op, Team};
use crate::model::problem::Problems;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// A JS `Error` whose message lists the problems, with `problems`
/// (`[{code, path, message}]`) on it.
fn problems_error(p: &Problems) -> JsValue {
    let error = js_sys::Error::new(&p.to_string());
    let problems = to_js(p).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(&error, &"problems".into(), &problems);
    error.into()
}

fn query_error(e: crate::eval::QueryError) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

/// A validated team, queried by id.
#[wasm_bindgen]
pub struct Evaluator {
    team: Team,
}

#[wasm_bindgen]
impl Evaluator {
    /// Parses and validates a snapshot (JSON text); throws an `Error` with `problems` (every problem).
    #[wasm_bindgen(constructor)]
    pub fn new(snapshot_json: &str) -> Result<Evaluator, JsValue> {
        Team::from_json(snapshot_json)
            .map(|team| Evaluator { team })
            .map_err(|p| problems_error(&p))
    }

    /// Validation warnings of the snapshot (e.g. `too-many-groups`).
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        to_js(&self.team.warnings)
    }

    pub fn can(&self, principal: &str, resource: &str, capability: &str) -> Result<bool, JsValue> {
        self.team
            .can(principal, resource, capability)
            .map_err(query_error)
    }

    pub fn capabilities(&self, principal: &str, resource: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .team
                .capabilities(principal, resource)
                .map_err(query_error)?,
        )
    }

    /// Every flag of the resource's kind: held, effective, reason, sources, origin.
    pub fn flags(&self, principal: &str, resource: &str) -> Result<JsValue, JsValue> {
        to_js(&self.team.flags(principal, resource).map_err(query_error)?)
    }

    #[wasm_bindgen(js_name = dataAccess)]
    pub fn data_access(&self, principal: &str, model: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .team
                .data_access(principal, model)
                .map_err(query_error)?,
        )
    }

    /// Why (or why not): structured conditions and `sentences`.
    pub fn explain(
        &self,
        principal: &str,
        resource: &str,
        capability: &str,
    ) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .team
                .explain(principal, resource, capability)
                .map_err(query_error)?,
        )
    }

    /// Why a principal holds (or not) a flag on a resource: its state, chain and `sentences`.
    #[wasm_bindgen(js_name = explainFlag)]
    pub fn explain_flag(
        &self,
        principal: &str,
        resource: &str,
        flag: &str,
    ) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .team
                .explain_flag(principal, resource, flag)
                .map_err(query_error)?,
        )
    }

    #[wasm_bindgen(js_name = whoCan)]
    pub fn who_can(&self, resource: &str, capability: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .team
                .who_can(resource, capability)
                .map_err(query_error)?,
        )
    }

    #[wasm_bindgen(js_name = whatCan)]
    pub fn what_can(&self, principal: &str, capability: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .team
                .what_can(principal, capability)
                .map_err(query_error)?,
        )
    }

    /// The impact of a change set (an array of operations) applied as `actor`;
    /// throws an `Error` with `problems` (e.g. `not-allowed`) and applies nothing.
    pub fn impact(&self, actor: &str, changes: JsValue) -> Result<JsValue, JsValue> {
        let ops = ops_from_js(&self.team, actor, changes)?;
        let (_, impact) =
            crate::eval::impact(&self.team, actor, &ops).map_err(|p| problems_error(&p))?;
        to_js(&impact)
    }

    /// Applies a change set as `actor`, all or nothing; throws like `impact`.
    pub fn apply(&mut self, actor: &str, changes: JsValue) -> Result<(), JsValue> {
        let ops = ops_from_js(&self.team, actor, changes)?;
        self.team = self
            .team
            .apply(actor, &ops)
            .map_err(|p| problems_error(&p))?;
        Ok(())
    }

    /// The current snapshot (after any `apply`).
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.team.snapshot)
    }
}

/// The operations of a change set for `actor`; when one cannot be read,
/// every problem of every operation at once (`$.changes[i]…`), and then none
/// is applied.
fn ops_from_js(team: &Team, actor: &str, changes: JsValue) -> Result<Vec<Op>, JsValue> {
    let json = js_sys::JSON::stringify(&changes)
        .map(String::from)
        .unwrap_or_default();
    let value = serde_json::from_str(&json).unwrap_or(serde_json::Value::Null);
    crate::eval::read_change_set(team, actor, &value).map_err(|p| problems_error(&p))
}

/// Every problem of a snapshot (JSON text): `[]` when it is valid.
#[wasm_bindgen(js_name = validateSnapshot)]
pub fn validate_snapshot(snapshot_json: &str) -> Result<JsValue, JsValue> {
    match Team::from_json(snapshot_json) {
        Ok(team) => to_js(&team.warnings),
        Err(p) => to_js(&p),
    }
}

#[derive(Serialize)]
struct CaseResult {
    name: String,
    description: String,
    passed: bool,
    failures: Vec<String>,
}

/// Runs one golden case (JSON text): `{name, description, passed, failures}`.
#[wasm_bindgen(js_name = runGoldenCase)]
pub fn run_golden_case(name: &str, case_json: &str) -> Result<JsValue, JsValue> {
    let r = crate::golden::run_case(name, case_json);
    to_js(&CaseResult {
        passed: r.passed(),
        name: r.name,
        description: r.description,
        failures: r.failures,
    })
}
