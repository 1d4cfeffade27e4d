//! The database: one schema and the same SQL for SQLite and PostgreSQL
//! (sqlx's `Any` driver, `$n` placeholders, `BIGINT`/`TEXT` columns only).
//!
//! Normalised tables: `principals`, `group_members`, `client_scopes`,
//! `resources`, `grants` (one row per permission), `data_permissions`,
//! `data_entries`, `audit` (one row per saved operation), `tokens`, and
//! `team_state` holding the version. A save is one transaction that starts
//! with a compare-and-set of the version, so of concurrent saves from the
//! same version exactly one commits.

use crate::audit::AuditEntry;
use permissions_core::model::{
    ApiKey, Application, DataEntry, DataPermissions, Directory, Grant, Group, OAuthClient, Origin,
    Resource, Role, Rule, Snapshot, User,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::collections::HashMap;
use std::time::Duration;

/// A database failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("`{0}` is not a database URL this server supports (sqlite://… or postgres://…)")]
    UnsupportedUrl(String),
    #[error("cannot create the directory of the SQLite file `{path}`: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Sql(#[from] sqlx::Error),
    #[error("the database has no team; start the server with seeding on (--seed true)")]
    NoTeam,
    #[error("stored value cannot be read: {0}")]
    Corrupt(String),
    #[error("the team changed during every one of 10 reads; try again")]
    Unsettled,
    #[error("cannot make a token: {0}")]
    Random(getrandom::Error),
}

/// The schema, one migration per entry, applied in order and recorded in
/// `schema_migrations`.
const MIGRATIONS: &[(i64, &[&str])] = &[(
    1,
    &[
        "CREATE TABLE IF NOT EXISTS team_state (id BIGINT PRIMARY KEY, version BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS principals (id TEXT PRIMARY KEY, kind TEXT NOT NULL, \
         name TEXT NOT NULL, email TEXT, role TEXT, owner_id TEXT, pos BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS group_members (group_id TEXT NOT NULL, user_id TEXT NOT NULL, \
         pos BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS group_members_group ON group_members (group_id)",
        "CREATE TABLE IF NOT EXISTS client_scopes (client_id TEXT NOT NULL, scope TEXT NOT NULL, \
         pos BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS resources (id TEXT PRIMARY KEY, kind TEXT NOT NULL, \
         parent_id TEXT, name TEXT NOT NULL, created_by TEXT, pos BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS grants (principal_id TEXT NOT NULL, resource_id TEXT NOT NULL, \
         permission TEXT NOT NULL, origin TEXT NOT NULL, pos BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS grants_resource ON grants (resource_id)",
        "CREATE TABLE IF NOT EXISTS data_permissions (data_model TEXT PRIMARY KEY, \
         enabled BIGINT NOT NULL, pos BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS data_entries (data_model TEXT NOT NULL, pos BIGINT NOT NULL, \
         principal_id TEXT NOT NULL, access TEXT, rules TEXT)",
        "CREATE INDEX IF NOT EXISTS data_entries_model ON data_entries (data_model)",
        "CREATE TABLE IF NOT EXISTS audit (version BIGINT NOT NULL, seq BIGINT NOT NULL, \
         actor TEXT NOT NULL, at TEXT NOT NULL, op TEXT NOT NULL, resource_id TEXT NOT NULL, \
         principal_id TEXT, before_state TEXT NOT NULL, after_state TEXT NOT NULL, \
         PRIMARY KEY (version, seq))",
        "CREATE INDEX IF NOT EXISTS audit_resource ON audit (resource_id)",
        "CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor)",
        "CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, principal_id TEXT NOT NULL, \
         demo BIGINT NOT NULL)",
    ],
)];

/// A seeded token.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenRow {
    pub token: String,
    pub principal: String,
    pub demo: bool,
}

/// The connection pool.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
}

/// What a save writes besides the rows of the next team.
#[derive(Debug)]
pub struct SaveRecord<'a> {
    pub from_version: i64,
    pub next: &'a Snapshot,
    /// Resources whose grants or data permissions the save may change (the
    /// operations' and the core's `Prepared::changed_resources`), each once.
    pub resources: Vec<String>,
    pub audit: &'a [AuditEntry],
}

/// The outcome of a save's compare-and-set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Committed {
        version: i64,
    },
    /// The version was no longer `from_version`: someone saved first.
    Stale,
}

/// A SQLite URL with `mode=rwc` (create the file when missing), and its
/// file's directory created.
fn prepare_url(url: &str) -> Result<String, DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(url.to_string());
    }
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Err(DbError::UnsupportedUrl(url.to_string()));
    };
    let path = rest.split('?').next().unwrap_or(rest);
    if !path.is_empty() && path != ":memory:" {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                    path: path.to_string(),
                    source,
                })?;
            }
        }
    }
    Ok(if rest.contains("mode=") {
        url.to_string()
    } else if rest.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

fn role_str(role: Role) -> &'static str {
    role.as_str()
}

fn parse_role(s: Option<String>) -> Result<Role, DbError> {
    match s.as_deref() {
        Some("member") => Ok(Role::Member),
        Some("analyst") => Ok(Role::Analyst),
        Some("admin") => Ok(Role::Admin),
        other => Err(DbError::Corrupt(format!("unknown role {other:?}"))),
    }
}

fn origin_str(o: Origin) -> &'static str {
    match o {
        Origin::Manual => "manual",
        Origin::Creator => "creator",
    }
}

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

impl Db {
    /// Connects (creating a SQLite file and its directory when missing).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let url = prepare_url(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect(&url)
            .await?;
        Ok(Db { pool })
    }

    /// Applies the migrations not applied yet. Safe to run from several
    /// instances at once (every statement is idempotent).
    pub async fn migrate(&self) -> Result<(), DbError> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
             applied_at TEXT NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        for (version, statements) in MIGRATIONS {
            let applied = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&self.pool)
                .await?;
            if applied.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            for statement in *statements {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(*version)
            .bind(crate::time::now_rfc3339())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(version, "applied migration");
        }
        Ok(())
    }

    /// Seeds an empty database with `snapshot` at version 1 and a token per
    /// user (marked as demo tokens). Returns whether it seeded.
    pub async fn seed(&self, snapshot: &Snapshot) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO team_state (id, version) VALUES (1, 1) ON CONFLICT DO NOTHING",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        write_directory(&mut tx, &snapshot.directory).await?;
        for (pos, r) in snapshot.resources.iter().enumerate() {
            sqlx::query(
                "INSERT INTO resources (id, kind, parent_id, name, created_by, pos) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&r.id)
            .bind(&r.kind)
            .bind(r.parent.clone())
            .bind(&r.name)
            .bind(r.created_by.clone())
            .bind(pos as i64)
            .execute(&mut *tx)
            .await?;
        }
        for (pos, g) in snapshot.grants.iter().enumerate() {
            insert_grant(&mut tx, g, pos as i64).await?;
        }
        for (pos, d) in snapshot.data_permissions.iter().enumerate() {
            insert_data(&mut tx, d, pos as i64).await?;
        }
        for u in &snapshot.directory.users {
            let token = crate::auth::new_token().map_err(DbError::Random)?;
            sqlx::query("INSERT INTO tokens (token, principal_id, demo) VALUES ($1, $2, 1)")
                .bind(token)
                .bind(&u.id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Every token, in principal order.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>, DbError> {
        let rows =
            sqlx::query("SELECT token, principal_id, demo FROM tokens ORDER BY principal_id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenRow {
                    token: r.try_get(0)?,
                    principal: r.try_get(1)?,
                    demo: r.try_get::<i64, _>(2)? != 0,
                })
            })
            .collect()
    }

    /// The team's current version.
    pub async fn version(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT version FROM team_state WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DbError::NoTeam)?;
        Ok(row.try_get(0)?)
    }

    /// The team as a snapshot, consistent with the version returned: the
    /// version is read before and after the rows, and the read is retried
    /// when a save committed in between.
    pub async fn load(&self) -> Result<(i64, Snapshot), DbError> {
        for _ in 0..10 {
            let before = self.version().await?;
            let mut snapshot = self.read_snapshot().await?;
            let after = self.version().await?;
            if before == after {
                snapshot.version = Some(after.to_string());
                return Ok((after, snapshot));
            }
        }
        Err(DbError::Unsettled)
    }

    async fn read_snapshot(&self) -> Result<Snapshot, DbError> {
        let mut members: HashMap<String, Vec<String>> = HashMap::new();
        for r in sqlx::query("SELECT group_id, user_id FROM group_members ORDER BY pos")
            .fetch_all(&self.pool)
            .await?
        {
            members
                .entry(r.try_get(0)?)
                .or_default()
                .push(r.try_get(1)?);
        }
        let mut scopes: HashMap<String, Vec<String>> = HashMap::new();
        for r in sqlx::query("SELECT client_id, scope FROM client_scopes ORDER BY pos")
            .fetch_all(&self.pool)
            .await?
        {
            scopes.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
        }
        let mut directory = Directory::default();
        let rows = sqlx::query(
            "SELECT id, kind, name, email, role, owner_id FROM principals ORDER BY pos, id",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let id: String = r.try_get(0)?;
            let kind: String = r.try_get(1)?;
            let name: String = r.try_get(2)?;
            match kind.as_str() {
                "user" => directory.users.push(User {
                    email: r.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
                    role: parse_role(r.try_get(4)?)?,
                    id,
                    name,
                }),
                "group" => directory.groups.push(Group {
                    role: parse_role(r.try_get(4)?)?,
                    members: members.remove(&id).unwrap_or_default(),
                    id,
                    name,
                }),
                "application" => directory.applications.push(Application { id, name }),
                "api-key" => directory.api_keys.push(ApiKey {
                    owner: r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
                    name: Some(name).filter(|n| !n.is_empty()),
                    id,
                }),
                "oauth-client" => directory.oauth_clients.push(OAuthClient {
                    scopes: scopes.remove(&id).unwrap_or_default(),
                    id,
                    name,
                }),
                other => return Err(corrupt(format!("unknown principal kind `{other}`"))),
            }
        }
        let resources = sqlx::query(
            "SELECT id, kind, parent_id, name, created_by FROM resources ORDER BY pos, id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Resource {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                parent: r.try_get(2)?,
                name: r.try_get(3)?,
                created_by: r.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        let grants = read_grants(
            sqlx::query(
                "SELECT principal_id, resource_id, permission, origin FROM grants \
                 ORDER BY pos, resource_id, principal_id, permission",
            )
            .fetch_all(&self.pool)
            .await?,
        )?;
        let data_permissions = self.read_data().await?;
        Ok(Snapshot {
            directory: directory.into(),
            resources: resources.into(),
            grants,
            data_permissions,
            version: None,
        })
    }

    async fn read_data(&self) -> Result<Vec<DataPermissions>, DbError> {
        let mut entries: HashMap<String, Vec<DataEntry>> = HashMap::new();
        for r in sqlx::query(
            "SELECT data_model, principal_id, access, rules FROM data_entries ORDER BY pos",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let rules: Option<String> = r.try_get(3)?;
            let rules = match rules {
                Some(text) => Some(serde_json::from_str::<Vec<Rule>>(&text).map_err(corrupt)?),
                None => None,
            };
            entries.entry(r.try_get(0)?).or_default().push(DataEntry {
                principal: r.try_get(1)?,
                access: r.try_get(2)?,
                rules,
            });
        }
        sqlx::query("SELECT data_model, enabled FROM data_permissions ORDER BY pos, data_model")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let data_model: String = r.try_get(0)?;
                Ok(DataPermissions {
                    entries: entries.remove(&data_model).unwrap_or_default(),
                    enabled: r.try_get::<i64, _>(1)? != 0,
                    data_model,
                })
            })
            .collect()
    }

    /// Saves `record.next` if the team is still at `record.from_version`:
    /// one transaction that bumps the version (compare-and-set), rewrites the
    /// grants and data permissions of `record.resources`, and writes the
    /// audit rows.
    pub async fn save(&self, record: &SaveRecord<'_>) -> Result<Saved, DbError> {
        let mut tx = self.pool.begin().await?;
        let next_version = record.from_version + 1;
        let swapped =
            sqlx::query("UPDATE team_state SET version = $1 WHERE id = 1 AND version = $2")
                .bind(next_version)
                .bind(record.from_version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if swapped != 1 {
            tx.rollback().await?;
            return Ok(Saved::Stale);
        }
        for resource in &record.resources {
            sqlx::query("DELETE FROM grants WHERE resource_id = $1")
                .bind(resource)
                .execute(&mut *tx)
                .await?;
            for (pos, g) in record.next.grants.iter().enumerate() {
                if g.resource == *resource {
                    insert_grant(&mut tx, g, pos as i64).await?;
                }
            }
            sqlx::query("DELETE FROM data_entries WHERE data_model = $1")
                .bind(resource)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM data_permissions WHERE data_model = $1")
                .bind(resource)
                .execute(&mut *tx)
                .await?;
            for (pos, d) in record.next.data_permissions.iter().enumerate() {
                if d.data_model == *resource {
                    insert_data(&mut tx, d, pos as i64).await?;
                }
            }
        }
        for entry in record.audit {
            sqlx::query(
                "INSERT INTO audit (version, seq, actor, at, op, resource_id, principal_id, \
                 before_state, after_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(next_version)
            .bind(entry.seq)
            .bind(&entry.actor)
            .bind(&entry.at)
            .bind(entry.op.to_string())
            .bind(&entry.resource)
            .bind(entry.principal.clone())
            .bind(entry.before.to_string())
            .bind(entry.after.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Saved::Committed {
            version: next_version,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

async fn insert_principal(
    tx: &mut Tx<'_>,
    (id, kind, name): (&str, &str, &str),
    (email, role, owner): (Option<&str>, Option<Role>, Option<&str>),
    pos: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO principals (id, kind, name, email, role, owner_id, pos) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(kind)
    .bind(name)
    .bind(email.map(str::to_string))
    .bind(role.map(|r| role_str(r).to_string()))
    .bind(owner.map(str::to_string))
    .bind(pos)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_directory(tx: &mut Tx<'_>, d: &Directory) -> Result<(), DbError> {
    let mut pos = 0i64;
    for u in &d.users {
        let extra = (Some(u.email.as_str()), Some(u.role), None);
        insert_principal(tx, (&u.id, "user", &u.name), extra, pos).await?;
        pos += 1;
    }
    for g in &d.groups {
        insert_principal(
            tx,
            (&g.id, "group", &g.name),
            (None, Some(g.role), None),
            pos,
        )
        .await?;
        pos += 1;
        for (i, m) in g.members.iter().enumerate() {
            sqlx::query("INSERT INTO group_members (group_id, user_id, pos) VALUES ($1, $2, $3)")
                .bind(&g.id)
                .bind(m)
                .bind(i as i64)
                .execute(&mut **tx)
                .await?;
        }
    }
    for a in &d.applications {
        insert_principal(tx, (&a.id, "application", &a.name), (None, None, None), pos).await?;
        pos += 1;
    }
    for k in &d.api_keys {
        let name = k.name.as_deref().unwrap_or("");
        let extra = (None, None, Some(k.owner.as_str()));
        insert_principal(tx, (&k.id, "api-key", name), extra, pos).await?;
        pos += 1;
    }
    for c in &d.oauth_clients {
        insert_principal(
            tx,
            (&c.id, "oauth-client", &c.name),
            (None, None, None),
            pos,
        )
        .await?;
        pos += 1;
        for (i, s) in c.scopes.iter().enumerate() {
            sqlx::query("INSERT INTO client_scopes (client_id, scope, pos) VALUES ($1, $2, $3)")
                .bind(&c.id)
                .bind(s)
                .bind(i as i64)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

async fn insert_grant(tx: &mut Tx<'_>, g: &Grant, pos: i64) -> Result<(), DbError> {
    for p in &g.permissions {
        sqlx::query(
            "INSERT INTO grants (principal_id, resource_id, permission, origin, pos) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&g.principal)
        .bind(&g.resource)
        .bind(p)
        .bind(origin_str(g.origin))
        .bind(pos)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn insert_data(tx: &mut Tx<'_>, d: &DataPermissions, pos: i64) -> Result<(), DbError> {
    sqlx::query("INSERT INTO data_permissions (data_model, enabled, pos) VALUES ($1, $2, $3)")
        .bind(&d.data_model)
        .bind(i64::from(d.enabled))
        .bind(pos)
        .execute(&mut **tx)
        .await?;
    for (i, e) in d.entries.iter().enumerate() {
        let rules = match &e.rules {
            Some(rules) => Some(serde_json::to_string(rules).map_err(corrupt)?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO data_entries (data_model, pos, principal_id, access, rules) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&d.data_model)
        .bind(i as i64)
        .bind(&e.principal)
        .bind(e.access.clone())
        .bind(rules)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Grant rows (one per permission) back into grants: one per principal,
/// resource and origin, in the order of their first row.
fn read_grants(rows: Vec<AnyRow>) -> Result<Vec<Grant>, DbError> {
    let mut grants: Vec<Grant> = Vec::new();
    let mut index: HashMap<(String, String, String), usize> = HashMap::new();
    for r in rows {
        let (principal, resource, permission, origin): (String, String, String, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        let origin_value = match origin.as_str() {
            "manual" => Origin::Manual,
            "creator" => Origin::Creator,
            other => return Err(corrupt(format!("unknown grant origin `{other}`"))),
        };
        let key = (principal.clone(), resource.clone(), origin);
        match index.get(&key) {
            Some(&i) => grants[i].permissions.push(permission),
            None => {
                index.insert(key, grants.len());
                grants.push(Grant {
                    principal,
                    resource,
                    permissions: vec![permission],
                    origin: origin_value,
                });
            }
        }
    }
    Ok(grants)
}
