//! The golden-case runner (format: `../shared/spec/snapshot-format.md`).
//!
//! Public so that users of the widget can check *their* permission setups
//! in their own native or headless-browser tests with one call:
//!
//! ```no_run
//! // native: every `*.json` below a folder (and below $PERMISSIONS_GOLDEN_DIR when set)
//! permissions_core::golden::assert_dir("tests/golden");
//! // anywhere, wasm included: cases you embed
//! permissions_core::golden::assert_cases([("mine.json", include_str!("../../../tests/golden/space-edit-flows.json"))]);
//! ```
//!
//! Every mismatch is reported readably, e.g. "`u-ana` on `v-ovw`: `edit` is
//! false, the case expects true — held flags: …".

use crate::eval::{Change, Team};
use crate::model::problem::{parse_json, Problems};
use crate::model::snapshot::{Rule, Snapshot};
use crate::model::structure::{read_snapshot, read_snapshot_value};
use crate::model::{Catalog, Compiled};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// One golden case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub description: String,
    /// The snapshot as JSON, or as a string holding (possibly malformed) JSON text.
    pub snapshot: Value,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub expect: Vec<Expectation>,
    /// The change set: a list of operations (anything else is reported).
    #[serde(default)]
    pub changes: Option<Value>,
    #[serde(default)]
    pub expect_impact: Option<ExpectImpact>,
    #[serde(default)]
    pub expect_after: Vec<Expectation>,
    #[serde(default)]
    pub expect_errors: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub principal: String,
    pub resource: String,
    #[serde(default)]
    pub capabilities: Option<BTreeMap<String, bool>>,
    #[serde(default)]
    pub capabilities_exact: Option<Vec<String>>,
    #[serde(default)]
    pub flags: Option<BTreeMap<String, ExpectFlag>>,
    #[serde(default)]
    pub data_access: Option<ExpectAccess>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectFlag {
    pub effective: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectAccess {
    pub access: String,
    #[serde(default)]
    pub filter: Option<Vec<Vec<Rule>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectImpact {
    #[serde(default)]
    pub exact: bool,
    #[serde(default)]
    pub entries: Vec<ExpectEntry>,
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Warning codes that must not be present (this project's extension).
    #[serde(default)]
    pub absent_warnings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectEntry {
    pub principal: String,
    pub resource: String,
    #[serde(default)]
    pub capability: Option<String>,
    #[serde(default)]
    pub before: Option<bool>,
    #[serde(default)]
    pub after: Option<bool>,
    #[serde(default)]
    pub data_access: Option<ExpectAccessChange>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectAccessChange {
    pub before: String,
    pub after: String,
}

/// The result of one case: no failures means it passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    pub name: String,
    pub description: String,
    pub failures: Vec<String>,
}

impl CaseReport {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for CaseReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.passed() {
            return write!(f, "ok   {}", self.name);
        }
        writeln!(f, "FAIL {} — {}", self.name, self.description)?;
        for (i, x) in self.failures.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "     - {x}")?;
        }
        Ok(())
    }
}

/// Runs one case (JSON text) against the built-in catalog.
pub fn run_case(name: &str, json: &str) -> CaseReport {
    run_case_with(Arc::new(Catalog::builtin()), name, json)
}

/// Runs one case against a catalog of the host's.
pub fn run_case_with(catalog: Arc<Compiled>, name: &str, json: &str) -> CaseReport {
    let mut failures = Vec::new();
    let description = match parse_json::<Case>(json) {
        Err(p) => {
            failures.push(format!("not a valid golden case: {p}"));
            String::new()
        }
        Ok(case) => {
            check_case(catalog, &case, &mut failures);
            case.description
        }
    };
    CaseReport {
        name: name.to_string(),
        description,
        failures,
    }
}

/// Runs cases given as `(name, json)` and panics with every failure when any fails.
pub fn assert_cases<'a>(cases: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let reports: Vec<CaseReport> = cases.into_iter().map(|(n, j)| run_case(n, j)).collect();
    assert_reports(&reports);
}

/// Panics with a readable summary when any report failed.
pub fn assert_reports(reports: &[CaseReport]) {
    let failed: Vec<&CaseReport> = reports.iter().filter(|r| !r.passed()).collect();
    assert!(!reports.is_empty(), "no golden case was run");
    println!(
        "golden cases: {} passed, {} failed",
        reports.len() - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        let text: Vec<String> = failed.iter().map(|r| r.to_string()).collect();
        panic!(
            "{} of {} golden cases failed:\n{}",
            failed.len(),
            reports.len(),
            text.join("\n")
        );
    }
}

/// Every `*.json` below `dir` (recursively, sorted), run natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_dir(dir: impl AsRef<std::path::Path>) -> Result<Vec<CaseReport>, String> {
    let dir = dir.as_ref();
    let mut files = Vec::new();
    collect_json(dir, &mut files).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    files.sort();
    Ok(files
        .iter()
        .map(|f| {
            let name = f.display().to_string();
            match std::fs::read_to_string(f) {
                Ok(json) => run_case(&name, &json),
                Err(e) => CaseReport {
                    name,
                    description: String::new(),
                    failures: vec![format!("cannot read the file: {e}")],
                },
            }
        })
        .collect())
}

#[cfg(not(target_arch = "wasm32"))]
fn collect_json(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Runs every case below `dir` and, when `PERMISSIONS_GOLDEN_DIR` is set,
/// below that folder too; panics with every failure by file name.
#[cfg(not(target_arch = "wasm32"))]
pub fn assert_dir(dir: impl AsRef<std::path::Path>) {
    let mut reports = run_dir(dir).unwrap_or_else(|e| panic!("{e}"));
    if let Ok(extra) = std::env::var("PERMISSIONS_GOLDEN_DIR") {
        if !extra.is_empty() {
            reports
                .extend(run_dir(&extra).unwrap_or_else(|e| panic!("PERMISSIONS_GOLDEN_DIR: {e}")));
        }
    }
    assert_reports(&reports);
}

fn parse_snapshot(catalog: &Compiled, v: &Value) -> Result<Snapshot, Problems> {
    match v {
        Value::String(text) => read_snapshot(catalog, text),
        other => read_snapshot_value(catalog, other),
    }
}

fn check_case(catalog: Arc<Compiled>, case: &Case, failures: &mut Vec<String>) {
    let expected_errors = case.expect_errors.clone().unwrap_or_default();
    let team = match parse_snapshot(&catalog, &case.snapshot).and_then(|s| Team::new(catalog, s)) {
        Ok(team) => team,
        Err(problems) => {
            if expected_errors.is_empty() {
                failures.push(format!("the snapshot is invalid:\n{problems}"));
            } else {
                check_codes(&expected_errors, &problems, failures);
            }
            return;
        }
    };
    if !expected_errors.is_empty() && case.changes.is_none() {
        failures.push(format!(
            "the case expects errors {expected_errors:?}, but the snapshot is valid"
        ));
        return;
    }
    for e in &case.expect {
        check_expectation(&team, e, "", failures);
    }
    let Some(changes) = &case.changes else { return };
    let Some(actor) = &case.actor else {
        failures.push("a case with `changes` needs an `actor`".into());
        return;
    };
    let result = crate::eval::read_change_set(&team, actor, changes)
        .and_then(|ops| crate::eval::impact(&team, actor, &ops));
    match result {
        Err(problems) => {
            if expected_errors.is_empty() {
                failures.push(format!("the change set was refused:\n{problems}"));
            } else {
                check_codes(&expected_errors, &problems, failures);
            }
        }
        Ok((prepared, impact)) => {
            if !expected_errors.is_empty() {
                failures.push(format!(
                    "the case expects errors {expected_errors:?}, but the change set applied"
                ));
                return;
            }
            if let Some(want) = &case.expect_impact {
                check_impact(want, &impact, failures);
            }
            match team.apply_prepared(&prepared) {
                Ok(after) => {
                    for e in &case.expect_after {
                        check_expectation(&after, e, "after the changes: ", failures);
                    }
                }
                Err(p) => failures.push(format!(
                    "applying the change set gave an invalid snapshot:\n{p}"
                )),
            }
        }
    }
}

fn check_codes(expected: &[String], problems: &Problems, failures: &mut Vec<String>) {
    let got: Vec<&str> = problems.0.iter().map(|p| p.code.as_str()).collect();
    for code in expected {
        if !got.contains(&code.as_str()) {
            failures.push(format!("expects error `{code}`, but got:\n{problems}"));
        }
    }
}

fn held_summary(team: &Team, principal: &str, resource: &str) -> String {
    let Ok(flags) = team.flags(principal, resource) else {
        return String::new();
    };
    let held: Vec<String> = flags
        .iter()
        .filter(|f| f.held)
        .map(|f| {
            let state = match &f.reason {
                None => "effective".to_string(),
                Some(r) => format!("ineffective: {}", r.code()),
            };
            let via: Vec<String> = f.sources.iter().map(|s| s.via.code()).collect();
            format!("{} ({state}; {})", f.permission, via.join(", "))
        })
        .collect();
    if held.is_empty() {
        " — held flags: none".into()
    } else {
        format!(" — held flags: {}", held.join("; "))
    }
}

fn check_expectation(team: &Team, e: &Expectation, prefix: &str, failures: &mut Vec<String>) {
    let at = format!("{prefix}`{}` on `{}`", e.principal, e.resource);
    let mut fail = |msg: String| {
        failures.push(format!(
            "{at}: {msg}{}",
            held_summary(team, &e.principal, &e.resource)
        ))
    };
    if let Some(caps) = &e.capabilities {
        for (cap, want) in caps {
            match team.can(&e.principal, &e.resource, cap) {
                Ok(got) if got == *want => {}
                Ok(got) => fail(format!("`{cap}` is {got}, the case expects {want}")),
                Err(err) => fail(err.to_string()),
            }
        }
    }
    if let Some(exact) = &e.capabilities_exact {
        match team.capabilities(&e.principal, &e.resource) {
            Ok(got) => {
                let mut want = exact.clone();
                want.sort();
                want.dedup();
                let mut got_sorted = got.clone();
                got_sorted.sort();
                if got_sorted != want {
                    fail(format!(
                        "capabilities are {got:?}, the case expects exactly {want:?}"
                    ));
                }
            }
            Err(err) => fail(err.to_string()),
        }
    }
    if let Some(flags) = &e.flags {
        for (flag, want) in flags {
            match team.flag(&e.principal, &e.resource, flag) {
                Ok(state) => {
                    if state.effective != want.effective {
                        fail(format!(
                            "flag `{flag}` effective is {}, the case expects {}",
                            state.effective, want.effective
                        ));
                    } else if let (false, Some(reason)) = (want.effective, &want.reason) {
                        let got = if state.held {
                            state.reason.map(|r| r.code()).unwrap_or_default()
                        } else {
                            "not-granted".into()
                        };
                        if &got != reason {
                            fail(format!("flag `{flag}` is ineffective for `{got}`, the case expects `{reason}`"));
                        }
                    }
                }
                Err(err) => fail(err.to_string()),
            }
        }
    }
    if let Some(want) = &e.data_access {
        match team.data_access(&e.principal, &e.resource) {
            Ok(got) => {
                if got.access.as_str() != want.access {
                    fail(format!(
                        "data access is `{}` ({}), the case expects `{}`",
                        got.access.as_str(),
                        got.expression(),
                        want.access
                    ));
                } else if let Some(filter) = &want.filter {
                    if canonical(filter) != canonical(&got.filter) {
                        fail(format!(
                            "the data filter is {}, the case expects {}",
                            json(&got.filter),
                            json(filter)
                        ));
                    }
                }
            }
            Err(err) => fail(err.to_string()),
        }
    }
}

/// A filter compared as sets: conjunctions, rules and values in any order, duplicates once.
fn canonical(filter: &[Vec<Rule>]) -> Vec<Vec<Rule>> {
    let mut out: Vec<Vec<Rule>> = filter
        .iter()
        .map(|c| {
            let mut rules: Vec<Rule> = c
                .iter()
                .map(|r| {
                    let mut values = r.values.clone();
                    values.sort();
                    values.dedup();
                    Rule {
                        table: r.table.clone(),
                        column: r.column.clone(),
                        values,
                    }
                })
                .collect();
            rules.sort();
            rules.dedup();
            rules
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn check_impact(want: &ExpectImpact, got: &crate::eval::Impact, failures: &mut Vec<String>) {
    // Data-access changes are compared by kind; a filter that changes but stays
    // `filtered` is not an entry of the golden vocabulary.
    let actual: Vec<(String, String, String)> = got
        .per_principal()
        .filter_map(|(p, r, c)| match c {
            Change::Capability {
                capability,
                before,
                after,
            } => Some((
                p.to_string(),
                r.to_string(),
                format!("`{capability}` {before} → {after}"),
            )),
            Change::DataAccess { before, after } if before.access != after.access => Some((
                p.to_string(),
                r.to_string(),
                format!(
                    "data access {} → {}",
                    before.access.as_str(),
                    after.access.as_str()
                ),
            )),
            Change::DataAccess { .. } => None,
        })
        .collect();
    let mut expected = Vec::new();
    for e in &want.entries {
        let what = match (&e.capability, e.before, e.after, &e.data_access) {
            (Some(c), Some(b), Some(a), None) => format!("`{c}` {b} → {a}"),
            (None, None, None, Some(d)) => format!("data access {} → {}", d.before, d.after),
            _ => {
                failures.push(format!(
                    "impact entry for `{}` on `{}` needs either capability/before/after or data_access",
                    e.principal, e.resource
                ));
                continue;
            }
        };
        expected.push((e.principal.clone(), e.resource.clone(), what));
    }
    for x in &expected {
        if !actual.contains(x) {
            let same: Vec<String> = actual
                .iter()
                .filter(|a| a.0 == x.0 && a.1 == x.1)
                .map(|a| a.2.clone())
                .collect();
            failures.push(format!(
                "impact: expected `{}` on `{}`: {}, but it is not in the impact (changes there: {})",
                x.0,
                x.1,
                x.2,
                if same.is_empty() { "none".into() } else { same.join(", ") }
            ));
        }
    }
    if want.exact {
        for a in &actual {
            if !expected.contains(a) {
                failures.push(format!(
                    "impact: `{}` on `{}`: {} is not expected (the case lists the exact impact)",
                    a.0, a.1, a.2
                ));
            }
        }
    }
    for w in &want.warnings {
        if !got.warnings.iter().any(|x| x.code.as_str() == w) {
            let codes: Vec<&str> = got.warnings.iter().map(|x| x.code.as_str()).collect();
            failures.push(format!("impact: expected warning `{w}`, got {codes:?}"));
        }
    }
    for w in &want.absent_warnings {
        if let Some(x) = got.warnings.iter().find(|x| x.code.as_str() == w) {
            failures.push(format!("impact: expected no warning `{w}`, got: {x}"));
        }
    }
}
