//! Every error answer: RFC 9457 problem details (`application/problem+json`)
//! with the list of problems (code, path, message).

use crate::audit::AuditEntry;
use crate::auth::AuthError;
use crate::db::DbError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use permissions_core::model::{Problem, Problems, Snapshot};
use serde_json::{json, Value};

/// What the 412 answer carries: the current state and who saved what since.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub client_version: String,
    pub current_version: i64,
    pub snapshot: Snapshot,
    pub changes_since: Vec<AuditEntry>,
}

/// An error of the API, as one problem answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(#[from] AuthError),
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body cannot be read")]
    UnreadableBody(Problems),
    #[error("{0}")]
    NotFound(String),
    #[error("the method is not allowed on this path")]
    MethodNotAllowed,
    #[error("the request body is larger than the limit of {0} bytes")]
    TooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("a save needs `If-Match` with the version it was made on")]
    PreconditionRequired,
    #[error("the team was saved at version {} since version {}", .0.current_version, .0.client_version)]
    PreconditionFailed(Box<Conflict>),
    #[error("{}", not_allowed_detail(.0))]
    Forbidden(Problems),
    #[error("the request has {} problem(s)", .0.errors().count())]
    Unprocessable(Problems),
    #[error("the stored team is invalid: {0}")]
    InvalidStoredTeam(Problems),
    #[error("database error: {0}")]
    Database(#[from] DbError),
}

fn not_allowed_detail(problems: &Problems) -> String {
    let reasons: Vec<&str> = problems.errors().map(|p| p.message.as_str()).collect();
    if reasons.is_empty() {
        "not allowed".to_string()
    } else {
        reasons.join("; ")
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::BadRequest(_) | ApiError::UnreadableBody(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidStoredTeam(_) | ApiError::Database(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn problems(&self) -> Vec<Problem> {
        match self {
            ApiError::UnreadableBody(p) | ApiError::Forbidden(p) | ApiError::Unprocessable(p) => {
                p.0.clone()
            }
            _ => Vec::new(),
        }
    }

    /// The problem document.
    pub fn body(&self) -> Value {
        let status = self.status();
        let detail = match self {
            // Internal details go to the log, not to the caller.
            ApiError::Database(_) | ApiError::InvalidStoredTeam(_) => {
                "the server failed; see its log".to_string()
            }
            other => other.to_string(),
        };
        let mut body = json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": detail,
            "problems": self.problems(),
        });
        if let (ApiError::PreconditionFailed(c), Some(obj)) = (self, body.as_object_mut()) {
            let mut snapshot = c.snapshot.clone();
            snapshot.version = Some(c.current_version.to_string());
            obj.insert(
                "current_version".into(),
                json!(c.current_version.to_string()),
            );
            obj.insert("snapshot".into(), json!(snapshot));
            obj.insert("changes_since".into(), json!(c.changes_since));
        }
        body
    }
}

/// The `ETag` header value of a version.
pub fn etag(version: i64) -> HeaderValue {
    // Digits and quotes are always a valid header value.
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), error = %self, "request refused");
        }
        let body = self.body().to_string();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match &self {
            ApiError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::PreconditionFailed(c) => {
                headers.insert(header::ETAG, etag(c.current_version));
            }
            _ => {}
        }
        response
    }
}
