//! Authentication: a bearer token names the principal the caller acts as.
//!
//! The mapping is the [`Identity`] trait, so a host can plug in its own
//! identity provider (verify a JWT, ask a session store, …) by handing an
//! `Arc<dyn Identity>` to [`crate::Service::with_identity`]. The default is
//! [`TokenTable`]: the `tokens` table, read at start (seeded with one token
//! per demo user).

use axum::http::{header, HeaderMap};
use std::collections::HashMap;

/// Maps a bearer token to the id of the principal it acts as.
pub trait Identity: Send + Sync + 'static {
    /// The principal `token` acts as, or `None` when the token is unknown.
    fn principal(&self, token: &str) -> Option<String>;
}

/// Tokens held in memory (loaded from the `tokens` table at start).
#[derive(Debug, Clone, Default)]
pub struct TokenTable {
    by_token: HashMap<String, String>,
}

impl TokenTable {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> TokenTable {
        TokenTable {
            by_token: pairs.into_iter().collect(),
        }
    }
}

impl Identity for TokenTable {
    fn principal(&self, token: &str) -> Option<String> {
        self.by_token.get(token).cloned()
    }
}

/// Why a request is not authenticated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("the request has no `Authorization: Bearer <token>` header")]
    Missing,
    #[error("the Authorization header is not a bearer token")]
    NotBearer,
    #[error("the bearer token is not known")]
    Unknown,
}

/// The principal the request's bearer token acts as.
pub fn authenticate(identity: &dyn Identity, headers: &HeaderMap) -> Result<String, AuthError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(AuthError::Missing)?
        .to_str()
        .map_err(|_| AuthError::NotBearer)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::NotBearer)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AuthError::NotBearer);
    }
    identity.principal(token.trim()).ok_or(AuthError::Unknown)
}

/// A new random token (`pt_` and 32 hex digits from the OS's generator).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("pt_{hex}"))
}
