//! What every request shares: the database, the identity provider, and the
//! team built by the core evaluator, cached per version.

use crate::auth::Identity;
use crate::db::{Db, TokenRow};
use crate::problem::ApiError;
use permissions_core::eval::Team;
use permissions_core::model::Compiled;
use std::sync::Arc;
use tokio::sync::RwLock;

/// The team at one version.
#[derive(Debug)]
pub struct Loaded {
    pub version: i64,
    pub team: Team,
}

/// The state shared by the handlers.
pub struct AppState {
    pub db: Db,
    pub identity: Arc<dyn Identity>,
    pub catalog: Arc<Compiled>,
    /// Demo mode: `GET /api/v1/demo/tokens` answers with these.
    pub demo_tokens: Option<Vec<TokenRow>>,
    pub body_limit: usize,
    cache: RwLock<Option<Arc<Loaded>>>,
}

impl AppState {
    pub fn new(
        db: Db,
        identity: Arc<dyn Identity>,
        catalog: Arc<Compiled>,
        demo_tokens: Option<Vec<TokenRow>>,
        body_limit: usize,
    ) -> AppState {
        AppState {
            db,
            identity,
            catalog,
            demo_tokens,
            body_limit,
            cache: RwLock::new(None),
        }
    }

    /// The team at the database's current version: from the cache when it
    /// holds that version, else loaded from the tables and built by the core.
    /// Every request asks the database for the version, so any number of
    /// instances can share one database.
    pub async fn current(&self) -> Result<Arc<Loaded>, ApiError> {
        let version = self.db.version().await?;
        if let Some(hit) = self.cache.read().await.as_ref() {
            if hit.version == version {
                return Ok(hit.clone());
            }
        }
        let (version, snapshot) = self.db.load().await?;
        let team =
            Team::new(self.catalog.clone(), snapshot).map_err(ApiError::InvalidStoredTeam)?;
        let loaded = Arc::new(Loaded { version, team });
        self.remember(loaded.clone()).await;
        Ok(loaded)
    }

    /// Caches `loaded` unless a newer version is cached already.
    pub async fn remember(&self, loaded: Arc<Loaded>) {
        let mut cache = self.cache.write().await;
        if cache.as_ref().is_none_or(|c| c.version < loaded.version) {
            *cache = Some(loaded);
        }
    }
}
