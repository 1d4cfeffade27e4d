//! Configuration by flags and environment (`clap`).

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The permission service's configuration. Every flag has an environment
/// variable; a flag given on the command line wins.
#[derive(Debug, Clone, Parser)]
#[command(name = "permissions-server", version, about, args_override_self = true)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "PERMISSIONS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database: `sqlite://path/to/file.db` (created and migrated on first
    /// start) or `postgres://user@host:port/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/permissions.db"
    )]
    pub database_url: String,

    /// Largest number of pooled database connections.
    #[arg(long, env = "PERMISSIONS_DB_CONNECTIONS", default_value_t = 5)]
    pub db_connections: u32,

    /// A directory to serve at `/` (the app's `dist/` from `trunk build --release`).
    #[arg(long = "static", env = "PERMISSIONS_STATIC")]
    pub static_dir: Option<PathBuf>,

    /// Origins allowed to call the API cross-origin (repeat the flag, or
    /// separate with commas in the environment). None: same origin only.
    #[arg(
        long = "cors-origin",
        env = "PERMISSIONS_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,

    /// Largest request body in bytes; larger ones are refused with 413.
    #[arg(long, env = "PERMISSIONS_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,

    /// Demo mode: seeded demo tokens are printed at start and answered by
    /// `GET /api/v1/demo/tokens`. Never on a server with real data.
    #[arg(long, env = "PERMISSIONS_DEMO")]
    pub demo: bool,

    /// Seed an empty database with the demo team (and a token per demo user).
    #[arg(long, env = "PERMISSIONS_SEED", default_value_t = true, action = clap::ArgAction::Set)]
    pub seed: bool,
}

impl Config {
    /// The configuration for `database_url` with every other setting at its
    /// default (for tests and embedding).
    pub fn for_database(database_url: &str) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.to_string(),
            db_connections: 5,
            static_dir: None,
            cors_origins: Vec::new(),
            body_limit: 1024 * 1024,
            demo: false,
            seed: true,
        }
    }
}
