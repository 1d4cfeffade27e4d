//! The audit log: one row per saved operation (actor, time, the operation,
//! the state of its target before and after, the version it produced).

use crate::db::{Db, DbError};
use permissions_core::eval::{Op, Team};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::Row;

/// One saved operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// The version the save produced.
    pub version: String,
    /// The operation's place in its change set.
    pub seq: i64,
    pub actor: String,
    pub at: String,
    pub op: Value,
    pub resource: String,
    /// The principal a grant or revoke names.
    pub principal: Option<String>,
    pub before: Value,
    pub after: Value,
}

/// The state an operation targets: the grant's permissions (principal on
/// resource, every origin), or the data model's data permissions.
fn target_state(team: &Team, op: &Op) -> Value {
    match op {
        Op::Grant(g) | Op::Revoke(g) => {
            let perms: Vec<&str> = team
                .snapshot
                .grants
                .iter()
                .filter(|x| x.principal == g.principal && x.resource == g.resource)
                .flat_map(|x| x.permissions.iter().map(String::as_str))
                .collect();
            json!(perms)
        }
        Op::SetDataPermissions(d) => team
            .snapshot
            .data_permissions
            .iter()
            .find(|x| x.data_model == d.data_model)
            .map_or(Value::Null, |x| json!(x)),
    }
}

/// The audit entries of a change set: one per operation, with the state of
/// its target in `before` and `after` (`version` is filled in on commit).
pub fn entries_for(before: &Team, after: &Team, actor: &str, ops: &[Op]) -> Vec<AuditEntry> {
    let at = crate::time::now_rfc3339();
    ops.iter()
        .enumerate()
        .map(|(i, op)| AuditEntry {
            version: String::new(),
            seq: i as i64,
            actor: actor.to_string(),
            at: at.clone(),
            op: json!(op),
            resource: op.resource().to_string(),
            principal: match op {
                Op::Grant(g) | Op::Revoke(g) => Some(g.principal.clone()),
                Op::SetDataPermissions(_) => None,
            },
            before: target_state(before, op),
            after: target_state(after, op),
        })
        .collect()
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub resource: Option<String>,
    pub principal: Option<String>,
    pub actor: Option<String>,
    /// Only entries of versions after this one.
    pub since_version: Option<i64>,
    /// Only entries of this version and older (a 412's `changes_since` stops
    /// at the snapshot it sends, even when a save lands in between).
    pub until_version: Option<i64>,
    pub limit: i64,
    pub offset: i64,
    /// Oldest first (for "what changed since"); newest first otherwise.
    pub oldest_first: bool,
}

/// One page of entries and how many match in all.
pub async fn query(db: &Db, filter: &AuditFilter) -> Result<(Vec<AuditEntry>, i64), DbError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for (column, value) in [
        ("resource_id", &filter.resource),
        ("principal_id", &filter.principal),
        ("actor", &filter.actor),
    ] {
        if let Some(v) = value {
            texts.push(v.clone());
            conditions.push(format!("{column} = ${}", texts.len()));
        }
    }
    let since_param = texts.len() + 1;
    if filter.since_version.is_some() {
        conditions.push(format!("version > ${since_param}"));
    }
    let until_param = since_param + usize::from(filter.since_version.is_some());
    if filter.until_version.is_some() {
        conditions.push(format!("version <= ${until_param}"));
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let next = until_param + usize::from(filter.until_version.is_some());
    let order = if filter.oldest_first { "ASC" } else { "DESC" };
    let count_sql = format!("SELECT COUNT(*) FROM audit{where_clause}");
    let page_sql = format!(
        "SELECT version, seq, actor, at, op, resource_id, principal_id, before_state, \
         after_state FROM audit{where_clause} ORDER BY version {order}, seq {order} \
         LIMIT ${} OFFSET ${}",
        next,
        next + 1
    );

    let mut count = sqlx::query(&count_sql);
    let mut page = sqlx::query(&page_sql);
    for t in &texts {
        count = count.bind(t.clone());
        page = page.bind(t.clone());
    }
    for v in [filter.since_version, filter.until_version]
        .into_iter()
        .flatten()
    {
        count = count.bind(v);
        page = page.bind(v);
    }
    page = page.bind(filter.limit).bind(filter.offset);
    let total: i64 = count.fetch_one(db.pool()).await?.try_get(0)?;
    let parse = |text: String| -> Result<Value, DbError> {
        serde_json::from_str(&text).map_err(|e| DbError::Corrupt(e.to_string()))
    };
    let items = page
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|r| {
            Ok(AuditEntry {
                version: r.try_get::<i64, _>(0)?.to_string(),
                seq: r.try_get(1)?,
                actor: r.try_get(2)?,
                at: r.try_get(3)?,
                op: parse(r.try_get(4)?)?,
                resource: r.try_get(5)?,
                principal: r.try_get(6)?,
                before: parse(r.try_get(7)?)?,
                after: parse(r.try_get(8)?)?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok((items, total))
}
