//! The permission service's answers (`api/openapi.yaml`) read into what the
//! [`Backend`](super::Backend) trait gives: pure functions of an HTTP answer
//! (status, `ETag`, body), so every case is tested natively. The requests
//! themselves are made by `fetch` (wasm only).

use super::{Loaded, SaveOutcome, SavedMeanwhile, Versioned};
use crate::eval::{Op, Team};
use crate::model::{Code, Problem, Problems};
use serde::Deserialize;

/// The `<meta>` by which a page served by the permission service names its
/// API's base path (`<meta name="permissions-api" content="/api/v1">`).
pub const API_META: &str = "permissions-api";

/// An HTTP answer: its status, `ETag` header and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub body: String,
}

/// `GET /config`: how the service serves the app.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Config {
    pub backend: String,
    pub api: String,
    pub demo: bool,
}

/// `GET /demo/tokens`: one demo user's sign-in token.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DemoToken {
    pub principal: String,
    pub name: String,
    pub token: String,
}

#[derive(Deserialize)]
struct DemoTokens {
    tokens: Vec<DemoToken>,
}

/// An RFC 9457 problem with the evaluator's problem list; a `412` adds the
/// current state and what was saved since.
#[derive(Deserialize)]
struct ProblemAnswer {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    problems: Vec<Problem>,
    #[serde(default)]
    current_version: Option<String>,
    #[serde(default)]
    snapshot: Option<serde_json::Value>,
    #[serde(default)]
    changes_since: Vec<AuditEntry>,
}

#[derive(Deserialize)]
struct AuditEntry {
    actor: String,
    at: String,
    op: Op,
}

#[derive(Deserialize)]
struct SavedAnswer {
    version: String,
}

/// The service's configuration, when the page is served by it (anything
/// else — a static host answering 404 or HTML — means it is not).
pub fn config(answer: &Answer) -> Option<Config> {
    if answer.status != 200 {
        return None;
    }
    serde_json::from_str::<Config>(&answer.body)
        .ok()
        .filter(|c| c.backend == "server")
}

/// The demo users' tokens (`GET /demo/tokens`).
pub fn demo_tokens(answer: &Answer) -> Result<Vec<DemoToken>, String> {
    match answer.status {
        200 => serde_json::from_str::<DemoTokens>(&answer.body)
            .map(|t| t.tokens)
            .map_err(|e| format!("the demo tokens cannot be read: {e}")),
        _ => Err(failure(answer)),
    }
}

/// `GET /team`: the team and its version.
pub fn loaded(answer: &Answer) -> Result<Loaded, String> {
    match answer.status {
        200 => team_from(&answer.body, answer.etag.as_deref()).map(|current| Loaded {
            current,
            notice: None,
        }),
        _ => Err(failure(answer)),
    }
}

/// What a save answer means. A `200` gives the new version only: the team
/// after it is `base` with the change set applied as the actor, by the same
/// evaluator the service enforced it with (`None` when `base` is not the
/// version the save was made on: then the team must be loaded again).
pub fn save_outcome(
    answer: &Answer,
    base: Option<&Versioned>,
    actor: &str,
    changes: &[Op],
) -> Option<SaveOutcome> {
    let outcome = match answer.status {
        200 => {
            let version = serde_json::from_str::<SavedAnswer>(&answer.body)
                .map(|s| s.version)
                .ok()
                .or_else(|| unquote(answer.etag.as_deref()));
            let Some(version) = version else {
                return Some(SaveOutcome::Failed(
                    "the server saved but did not say the new version".into(),
                ));
            };
            let mut next = base?.team.apply(actor, changes).ok()?;
            next.snapshot.version = Some(version.clone());
            SaveOutcome::Saved(Versioned {
                team: next.into(),
                version,
            })
        }
        412 => match conflict(answer) {
            Ok(outcome) => outcome,
            Err(e) => SaveOutcome::Failed(e),
        },
        403 | 422 => SaveOutcome::Rejected(problems_of(answer)),
        408 | 429 | 500..=599 => SaveOutcome::Unavailable(failure(answer)),
        _ => SaveOutcome::Failed(failure(answer)),
    };
    Some(outcome)
}

fn conflict(answer: &Answer) -> Result<SaveOutcome, String> {
    let body: ProblemAnswer = serde_json::from_str(&answer.body)
        .map_err(|e| format!("the server's conflict answer cannot be read: {e}"))?;
    let snapshot = body
        .snapshot
        .ok_or("the server's conflict answer has no current state")?;
    let version = body
        .current_version
        .or_else(|| unquote(answer.etag.as_deref()));
    let current = team_from(&snapshot.to_string(), version.as_deref())?;
    let meanwhile = body
        .changes_since
        .into_iter()
        .map(|e| SavedMeanwhile {
            actor: e.actor,
            at: e.at,
            op: e.op,
        })
        .collect();
    Ok(SaveOutcome::Conflict { current, meanwhile })
}

/// The problems of a refusal (`403`, `422`); one made of the title and
/// detail when the answer lists none.
fn problems_of(answer: &Answer) -> Problems {
    match serde_json::from_str::<ProblemAnswer>(&answer.body) {
        Ok(p) if !p.problems.is_empty() => Problems(p.problems),
        Ok(p) => Problems(vec![Problem::new(
            Code::NotAllowed,
            "$",
            if p.detail.is_empty() {
                p.title
            } else {
                p.detail
            },
        )]),
        Err(_) => Problems(vec![Problem::new(Code::NotAllowed, "$", failure(answer))]),
    }
}

/// A readable sentence for an answer that is not what was asked for.
pub fn failure(answer: &Answer) -> String {
    let said = serde_json::from_str::<ProblemAnswer>(&answer.body)
        .ok()
        .map(|p| {
            if p.detail.is_empty() {
                p.title
            } else {
                p.detail
            }
        })
        .filter(|s| !s.is_empty());
    let what = match answer.status {
        401 => "the server did not accept the sign-in token",
        403 => "the server refused the request",
        404 => "the server does not know this address",
        408 | 504 => "the server took too long to answer",
        413 => "the change set is larger than the server accepts",
        429 => "the server is busy",
        500..=599 => "the server failed",
        _ => "the server gave an unexpected answer",
    };
    match said {
        Some(s) => format!("{what} ({}: {s})", answer.status),
        None => format!("{what} ({})", answer.status),
    }
}

fn team_from(json: &str, version: Option<&str>) -> Result<Versioned, String> {
    let mut team = Team::from_json(json)
        .map_err(|problems| format!("the server's team cannot be used: {problems}"))?;
    if let Some(v) = unquote(version) {
        team.snapshot.version.get_or_insert(v);
    }
    Ok(Versioned::new(team))
}

/// `"7"` (an `ETag`) → `7`.
fn unquote(etag: Option<&str>) -> Option<String> {
    let raw = etag?.trim();
    let raw = raw.strip_prefix("W/").unwrap_or(raw);
    Some(raw.trim_matches('"').to_string()).filter(|v| !v.is_empty())
}

/// The `If-Match` / `If-None-Match` value of a version.
pub fn etag(version: &str) -> String {
    format!("\"{version}\"")
}
