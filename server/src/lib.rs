//! The permission service: the HTTP API of `api/openapi.yaml` (axum on
//! tokio) over SQLite or PostgreSQL (sqlx), every save authorised and
//! checked by the core evaluator as the caller, every saved operation in the
//! audit log. See `server/README.md`.
//!
//! - [`config`]: flags and environment;
//! - [`db`]: schema, migrations, seeding, loading and saving (one transaction
//!   with a version compare-and-set);
//! - [`auth`]: bearer tokens and the [`auth::Identity`] trait;
//! - [`routes`]: the handlers; [`problem`]: the error answers;
//! - [`audit`]: the audit log; [`state`]: the team cached per version.

pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod problem;
pub mod routes;
pub mod state;
pub mod time;

use crate::auth::{Identity, TokenTable};
use crate::config::Config;
use crate::db::{Db, DbError, TokenRow};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use permissions_core::model::{Catalog, Compiled, Problems};
use std::future::Future;
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The demo team the app embeds (the same file, not a copy).
pub const DEMO_JSON: &str = include_str!("../../src/demo/team.json");

/// Why the service cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("the demo team is invalid: {0}")]
    InvalidDemo(Problems),
    #[error("`{0}` is not a valid CORS origin")]
    CorsOrigin(String),
    #[error("the static directory `{0}` has no index.html")]
    NoIndex(String),
}

/// A started service: migrated, seeded, ready to route.
pub struct Service {
    pub db: Db,
    /// Every token (demo ones included), as stored.
    pub tokens: Vec<TokenRow>,
    /// Whether this start seeded an empty database.
    pub seeded: bool,
    identity: Arc<dyn Identity>,
    catalog: Arc<Compiled>,
    config: Config,
}

impl Service {
    /// Connects, migrates, and seeds an empty database with the demo team.
    pub async fn start(config: &Config) -> Result<Service, StartError> {
        let catalog = Arc::new(Catalog::builtin());
        let db = Db::connect(&config.database_url, config.db_connections).await?;
        db.migrate().await?;
        let seeded = if config.seed {
            let snapshot = permissions_core::model::read_snapshot(&catalog, DEMO_JSON)
                .map_err(StartError::InvalidDemo)?;
            db.seed(&snapshot).await?
        } else {
            false
        };
        let tokens = db.tokens().await?;
        let identity = Arc::new(TokenTable::new(
            tokens
                .iter()
                .map(|t| (t.token.clone(), t.principal.clone())),
        ));
        Ok(Service {
            db,
            tokens,
            seeded,
            identity,
            catalog,
            config: config.clone(),
        })
    }

    /// Uses `identity` instead of the tokens table to authenticate.
    pub fn with_identity(mut self, identity: Arc<dyn Identity>) -> Service {
        self.identity = identity;
        self
    }

    /// The demo tokens (empty unless the seed made them).
    pub fn demo_tokens(&self) -> Vec<TokenRow> {
        self.tokens.iter().filter(|t| t.demo).cloned().collect()
    }

    /// The whole application: API, CORS, body limit, compression, request
    /// tracing and, when configured, the app's static files at `/`.
    pub fn router(&self) -> Result<Router, StartError> {
        let demo = self.config.demo.then(|| self.demo_tokens());
        let state = Arc::new(AppState::new(
            self.db.clone(),
            self.identity.clone(),
            self.catalog.clone(),
            demo,
            self.config.body_limit,
        ));
        let mut router = routes::api(state);
        if let Some(dir) = &self.config.static_dir {
            let index = std::fs::read_to_string(dir.join("index.html"))
                .map_err(|_| StartError::NoIndex(dir.display().to_string()))?;
            let page = Html(app_page(&index));
            let page = get(move || std::future::ready(page.clone()));
            router = router
                .route("/", page.clone())
                .route("/index.html", page.clone())
                .fallback_service(
                    ServeDir::new(dir)
                        .precompressed_br()
                        .precompressed_gzip()
                        .fallback(page),
                );
        }
        let router = router
            .layer(DefaultBodyLimit::max(self.config.body_limit))
            .layer(compression())
            .layer(TraceLayer::new_for_http());
        Ok(match cors(&self.config.cors_origins)? {
            Some(layer) => router.layer(layer),
            None => router,
        })
    }
}

/// Answers compressed when the client accepts it (brotli, else gzip): the
/// API's JSON (a team of 10,000 users is megabytes) and the app's files
/// that have no `.br` / `.gz` beside them (`scripts/serve.sh` writes those
/// at the best level; on the fly, level 5 keeps a large answer fast).
fn compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(5))
}

/// The app's `index.html` as this service serves it: with
/// `<meta name="permissions-api">` naming the API, so that the app loads
/// from and saves to this service (a page without it stays in the browser).
pub fn app_page(index: &str) -> String {
    let meta = format!(
        "<meta name=\"permissions-api\" content=\"{}\">",
        routes::API
    );
    match index.find("<head>") {
        Some(at) => {
            let end = at + "<head>".len();
            format!("{}\n    {meta}{}", &index[..end], &index[end..])
        }
        None => format!("{meta}\n{index}"),
    }
}

/// The CORS layer for the allowlist (`*` allows any origin); none when the
/// list is empty.
fn cors(origins: &[String]) -> Result<Option<CorsLayer>, StartError> {
    let origins: Vec<&str> = origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return Ok(None);
    }
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        let values = origins
            .iter()
            .map(|o| HeaderValue::from_str(o).map_err(|_| StartError::CorsOrigin(o.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(values)
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
                header::IF_NONE_MATCH,
            ])
            .expose_headers([header::ETAG]),
    ))
}

/// Serves `router` on `listener` until `shutdown` completes, then lets
/// requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
