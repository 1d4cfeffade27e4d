//! The HTTP API of `api/openapi.yaml`: one handler per operation. Every
//! decision about permissions is the core evaluator's.

use crate::audit::{self, AuditFilter};
use crate::auth::authenticate;
use crate::db::Saved;
use crate::problem::{etag, ApiError, Conflict};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use permissions_core::eval::{impact, read_change_set, read_ops, QueryError};
use permissions_core::model::problem::parse_json;
use permissions_core::model::validate::PrincipalType;
use permissions_core::model::{Code, Problem, Problems};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Shared = State<Arc<AppState>>;
type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The API's base path.
pub const API: &str = "/api/v1";
/// Most questions one check may ask.
pub const MAX_QUESTIONS: usize = 1000;
/// Most audit entries a 412 answer lists.
const MAX_CHANGES_SINCE: i64 = 500;

/// Every path and method of the API (the tests hold this against the
/// OpenAPI document).
pub const OPERATIONS: &[(&str, &str)] = &[
    ("get", "/api/v1/config"),
    ("get", "/api/v1/demo/tokens"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/team"),
    ("post", "/api/v1/team/changes"),
    ("get", "/api/v1/principals"),
    ("post", "/api/v1/check"),
    ("get", "/api/v1/audit"),
];

/// The API's routes (without static files, CORS or limits).
pub fn api(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/v1/config", get(get_config))
        .route("/api/v1/demo/tokens", get(get_demo_tokens))
        .route("/api/v1/me", get(get_me))
        .route("/api/v1/team", get(get_team))
        .route("/api/v1/team/changes", post(save_changes))
        .route("/api/v1/principals", get(search_principals))
        .route("/api/v1/check", post(check))
        .route("/api/v1/audit", get(get_audit))
        .route("/api/{*rest}", axum::routing::any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API path".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn get_config(State(s): Shared) -> Json<Value> {
    Json(json!({
        "backend": "server",
        "api": API,
        "demo": s.demo_tokens.is_some(),
        "server_version": env!("CARGO_PKG_VERSION"),
    }))
}

async fn get_demo_tokens(State(s): Shared) -> Result<Json<Value>, ApiError> {
    let tokens = s
        .demo_tokens
        .as_ref()
        .ok_or_else(|| ApiError::NotFound("demo mode is off (start with --demo)".into()))?;
    let current = s.current().await?;
    let users = &current.team.snapshot.directory.users;
    let list: Vec<Value> = tokens
        .iter()
        .filter(|t| t.demo)
        .filter_map(|t| {
            let u = users.iter().find(|u| u.id == t.principal)?;
            Some(json!({
                "principal": u.id, "name": u.name, "role": u.role.as_str(), "token": t.token,
            }))
        })
        .collect();
    Ok(Json(json!({ "tokens": list })))
}

async fn get_me(State(s): Shared, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let principal = authenticate(s.identity.as_ref(), &headers)?;
    Ok(Json(json!({ "principal": principal })))
}

/// The entity tags of an `If-Match` / `If-None-Match` header, unquoted
/// (`*` stays `*`; weak tags compare as strong ones).
fn entity_tags(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|t| {
            let t = t.trim();
            let t = t.strip_prefix("W/").unwrap_or(t);
            t.trim_matches('"').to_string()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn header_tags(
    headers: &HeaderMap,
    name: header::HeaderName,
) -> Result<Option<Vec<String>>, ApiError> {
    match headers.get(&name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(|v| Some(entity_tags(v)))
            .map_err(|_| ApiError::BadRequest(format!("the {name} header is not text"))),
    }
}

fn matches(tags: &[String], version: i64) -> bool {
    let v = version.to_string();
    tags.iter().any(|t| t == "*" || *t == v)
}

fn with_etag(version: i64, body: Json<Value>) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    response
}

async fn get_team(State(s): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    authenticate(s.identity.as_ref(), &headers)?;
    let current = s.current().await?;
    if let Some(tags) = header_tags(&headers, header::IF_NONE_MATCH)? {
        if matches(&tags, current.version) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response
                .headers_mut()
                .insert(header::ETAG, etag(current.version));
            return Ok(response);
        }
    }
    Ok(with_etag(
        current.version,
        Json(json!(current.team.snapshot)),
    ))
}

/// The body, or 413 past the limit.
fn body_bytes(s: &AppState, body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(s.body_limit)
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })
}

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "the body must be application/json, not `{ct}`"
        )))
    }
}

fn unreadable(path: &str, message: impl Into<String>) -> ApiError {
    ApiError::UnreadableBody(Problems(vec![Problem::new(
        Code::MalformedJson,
        path,
        message,
    )]))
}

/// A refused change set: 403 when every error is `not-allowed`, else 422
/// with every problem.
fn refusal(problems: Problems) -> ApiError {
    let only_not_allowed =
        problems.has_errors() && problems.errors().all(|p| p.code == Code::NotAllowed);
    if only_not_allowed {
        ApiError::Forbidden(problems)
    } else {
        ApiError::Unprocessable(problems)
    }
}

/// The 412 answer: the current state and the audit entries since the
/// client's version.
async fn conflict(s: &AppState, tags: &[String]) -> ApiError {
    let current = match s.current().await {
        Ok(c) => c,
        Err(e) => return e,
    };
    let client_version = tags.first().cloned().unwrap_or_default();
    let since = client_version.parse::<i64>().unwrap_or(current.version);
    let filter = AuditFilter {
        since_version: Some(since),
        until_version: Some(current.version),
        limit: MAX_CHANGES_SINCE,
        oldest_first: true,
        ..AuditFilter::default()
    };
    match audit::query(&s.db, &filter).await {
        Ok((changes_since, _)) => ApiError::PreconditionFailed(Box::new(Conflict {
            client_version,
            current_version: current.version,
            snapshot: current.team.snapshot.clone(),
            changes_since,
        })),
        Err(e) => e.into(),
    }
}

/// A change set is an object with `changes` and nothing else: checked before
/// the version, so a body that is no change set is a 422 even on a stale
/// version (the operations are read by the core, on the current team).
fn change_set_shape(value: &Value) -> Result<(), ApiError> {
    let problems: Vec<Problem> = match value.as_object() {
        None => vec![Problem::new(
            Code::MalformedJson,
            "$",
            "a change set is a JSON object: {\"changes\": [operations]}",
        )],
        Some(fields) => {
            let mut problems: Vec<Problem> = fields
                .keys()
                .filter(|k| k.as_str() != "changes")
                .map(|k| {
                    Problem::new(
                        Code::UnknownField,
                        format!("$.{k}"),
                        format!("unknown field `{k}`, expected `changes`"),
                    )
                })
                .collect();
            if !fields.contains_key("changes") {
                problems.push(Problem::new(
                    Code::MalformedJson,
                    "$.changes",
                    "missing field `changes`",
                ));
            }
            problems
        }
    };
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(Problems(problems)))
    }
}

async fn save_changes(
    State(s): Shared,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let actor = authenticate(s.identity.as_ref(), &headers)?;
    let tags = header_tags(&headers, header::IF_MATCH)?.ok_or(ApiError::PreconditionRequired)?;
    if tags.is_empty() {
        return Err(ApiError::BadRequest(
            "the If-Match header names no version".into(),
        ));
    }
    let body = body_bytes(&s, body)?;
    require_json(&headers)?;
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| unreadable("$", format!("not JSON: {e}")))?;
    change_set_shape(&value)?;
    let current = s.current().await?;
    let changes = value.get("changes").cloned().unwrap_or(Value::Null);
    if !matches(&tags, current.version) {
        // Operations that cannot be read are a 422 on any version; the
        // rest (ids, authority) is checked on the version the client has.
        let (_, structural) = read_ops(&changes);
        if structural.has_errors() {
            return Err(ApiError::Unprocessable(structural));
        }
        return Err(conflict(&s, &tags).await);
    }
    let ops = read_change_set(&current.team, &actor, &changes).map_err(refusal)?;
    let (prepared, impact) = impact(&current.team, &actor, &ops).map_err(refusal)?;
    let next = current
        .team
        .apply_prepared(&prepared)
        .map_err(ApiError::Unprocessable)?;
    let mut entries = audit::entries_for(&current.team, &next, &actor, &ops);
    let mut resources: Vec<String> = Vec::new();
    let changed = prepared
        .changed_resources
        .iter()
        .map(|r| current.team.resource(*r).id.as_str());
    for id in ops.iter().map(|op| op.resource()).chain(changed) {
        if !resources.iter().any(|r| r == id) {
            resources.push(id.to_string());
        }
    }
    let record = crate::db::SaveRecord {
        from_version: current.version,
        next: &next.snapshot,
        resources,
        audit: &entries,
    };
    let version = match s.db.save(&record).await? {
        Saved::Committed { version } => version,
        Saved::Stale => {
            let tags = vec![current.version.to_string()];
            return Err(conflict(&s, &tags).await);
        }
    };
    tracing::info!(actor, version, operations = ops.len(), "saved a change set");
    for e in &mut entries {
        e.version = version.to_string();
    }
    // The new version is not cached from `next`: the next request loads it
    // from the database, so every instance (and a restarted one) answers a
    // version with the same body (grants in the stored order), as a strong
    // ETag promises.
    Ok(with_etag(
        version,
        Json(json!({ "version": version.to_string(), "impact": impact, "audit": entries })),
    ))
}

/// `limit` (1..=500, default 50) and `offset` (default 0) of a query.
fn paging(params: &HashMap<String, String>) -> Result<(i64, i64), ApiError> {
    let number = |name: &str, default: i64, min: i64, max: i64| -> Result<i64, ApiError> {
        match params.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!("`{name}` must be a number from {min} to {max}"))
                }),
        }
    };
    Ok((
        number("limit", 50, 1, 500)?,
        number("offset", 0, 0, i64::MAX)?,
    ))
}

fn query_params(params: Params) -> Result<HashMap<String, String>, ApiError> {
    params
        .map(|Query(p)| p)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

fn page(items: Vec<Value>, total: i64, limit: i64, offset: i64) -> Json<Value> {
    let next = offset + items.len() as i64;
    Json(json!({
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": if next < total { Some(next) } else { None },
    }))
}

async fn search_principals(
    State(s): Shared,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    authenticate(s.identity.as_ref(), &headers)?;
    let params = query_params(params)?;
    let (limit, offset) = paging(&params)?;
    let kinds = PrincipalType::IN_ORDER.map(PrincipalType::key);
    let kind = params.get("type").map(String::as_str);
    if let Some(k) = kind {
        if !kinds.contains(&k) {
            return Err(ApiError::BadRequest(format!(
                "`type` must be one of {}",
                kinds.join(", ")
            )));
        }
    }
    let q = params
        .get("q")
        .map(|q| q.to_lowercase())
        .unwrap_or_default();
    let current = s.current().await?;
    let d = &current.team.snapshot.directory;
    let mut all: Vec<(&str, Value)> = Vec::new();
    for u in &d.users {
        let t = PrincipalType::User.key();
        let v = json!({"id": u.id, "type": t, "name": u.name, "email": u.email, "role": u.role.as_str()});
        all.push((t, v));
    }
    for g in &d.groups {
        let t = PrincipalType::Group.key();
        all.push((
            t,
            json!({"id": g.id, "type": t, "name": g.name, "role": g.role.as_str()}),
        ));
    }
    for a in &d.applications {
        let t = PrincipalType::Application.key();
        all.push((t, json!({"id": a.id, "type": t, "name": a.name})));
    }
    for k in &d.api_keys {
        let name = k
            .name
            .clone()
            .unwrap_or_else(|| format!("API key of {}", k.owner));
        let t = PrincipalType::ApiKey.key();
        all.push((t, json!({"id": k.id, "type": t, "name": name})));
    }
    for c in &d.oauth_clients {
        let t = PrincipalType::OAuthClient.key();
        all.push((t, json!({"id": c.id, "type": t, "name": c.name})));
    }
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or("").to_lowercase();
    let mut found: Vec<Value> = all
        .into_iter()
        .filter(|(k, _)| kind.is_none_or(|want| want == *k))
        .map(|(_, v)| v)
        .filter(|v| {
            q.is_empty()
                || ["id", "name", "email"]
                    .iter()
                    .any(|key| text(v, key).contains(&q))
        })
        .collect();
    found.sort_by_key(|v| text(v, "id"));
    let total = found.len() as i64;
    let items: Vec<Value> = found
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    Ok(page(items, total, limit, offset))
}

/// serde reads a struct from a JSON array of its fields in order too; the
/// contract has objects only (`[[]]` is no check request).
fn require_objects(value: &Value) -> Result<(), ApiError> {
    if !value.is_object() {
        return Err(unreadable("$", "the body must be a JSON object"));
    }
    if let Some(questions) = value.get("questions").and_then(Value::as_array) {
        if let Some(i) = questions.iter().position(|q| !q.is_object()) {
            return Err(unreadable(
                &format!("$.questions[{i}]"),
                "a question must be a JSON object",
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    questions: Vec<Question>,
    #[serde(default)]
    explain: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    principal: String,
    resource: String,
    capability: String,
    #[serde(default)]
    explain: Option<bool>,
}

fn query_problem(path: String, e: &QueryError) -> Problem {
    let code = match e {
        QueryError::UnknownPrincipal { .. } => Code::UnknownPrincipal,
        QueryError::UnknownResource { .. } => Code::UnknownResource,
        QueryError::UnknownCapability { .. } | QueryError::UnknownPermission { .. } => {
            Code::UnknownPermission
        }
        QueryError::NotADataModel { .. } => Code::NotADataModel,
    };
    Problem::new(code, path, e.to_string())
}

async fn check(
    State(s): Shared,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authenticate(s.identity.as_ref(), &headers)?;
    let body = body_bytes(&s, body)?;
    require_json(&headers)?;
    let text = std::str::from_utf8(&body).map_err(|e| unreadable("$", e.to_string()))?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| unreadable("$", format!("not JSON: {e}")))?;
    require_objects(&value)?;
    let request: CheckRequest = parse_json(text).map_err(ApiError::UnreadableBody)?;
    if request.questions.len() > MAX_QUESTIONS {
        return Err(ApiError::Unprocessable(Problems(vec![Problem::new(
            Code::MalformedJson,
            "$.questions",
            format!("at most {MAX_QUESTIONS} questions per check"),
        )])));
    }
    let current = s.current().await?;
    let team = &current.team;
    let mut problems = Problems::default();
    let mut decisions = Vec::with_capacity(request.questions.len());
    for (i, q) in request.questions.iter().enumerate() {
        match team.can(&q.principal, &q.resource, &q.capability) {
            Ok(allowed) => {
                let mut d = json!({
                    "principal": q.principal, "resource": q.resource,
                    "capability": q.capability, "allowed": allowed,
                });
                if q.explain.unwrap_or(request.explain) {
                    match team.explain(&q.principal, &q.resource, &q.capability) {
                        Ok(e) => d["explanation"] = json!(e),
                        Err(e) => problems
                            .0
                            .push(query_problem(format!("$.questions[{i}]"), &e)),
                    }
                }
                decisions.push(d);
            }
            Err(e) => problems
                .0
                .push(query_problem(format!("$.questions[{i}]"), &e)),
        }
    }
    if !problems.0.is_empty() {
        return Err(ApiError::Unprocessable(problems));
    }
    Ok(with_etag(
        current.version,
        Json(json!({ "version": current.version.to_string(), "decisions": decisions })),
    ))
}

async fn get_audit(
    State(s): Shared,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    authenticate(s.identity.as_ref(), &headers)?;
    let params = query_params(params)?;
    let (limit, offset) = paging(&params)?;
    let since_version = match params.get("since_version") {
        None => None,
        Some(v) => Some(v.trim_matches('"').parse::<i64>().map_err(|_| {
            ApiError::BadRequest("`since_version` must be a version number".into())
        })?),
    };
    let filter = AuditFilter {
        resource: params.get("resource").cloned(),
        principal: params.get("principal").cloned(),
        actor: params.get("actor").cloned(),
        since_version,
        until_version: None,
        limit,
        offset,
        oldest_first: false,
    };
    let (items, total) = audit::query(&s.db, &filter).await?;
    let items = items.into_iter().map(|e| json!(e)).collect();
    Ok(page(items, total, limit, offset))
}

#[cfg(test)]
mod tests {
    use super::{entity_tags, matches};

    #[test]
    fn entity_tags_are_unquoted_and_weak_ones_compare_as_strong() {
        assert_eq!(entity_tags("\"7\""), vec!["7"]);
        assert_eq!(entity_tags("W/\"7\", \"8\""), vec!["7", "8"]);
        assert_eq!(entity_tags("*"), vec!["*"]);
        assert!(entity_tags(" , ").is_empty());
        assert!(matches(&entity_tags("\"3\", \"7\""), 7));
        assert!(matches(&entity_tags("*"), 7));
        assert!(!matches(&entity_tags("\"6\""), 7));
    }
}
