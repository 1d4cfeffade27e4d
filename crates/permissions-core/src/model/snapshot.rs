//! The snapshot: one JSON shape for a team's permission state
//! (`../shared/spec/snapshot-format.md`). Unknown fields are rejected so a
//! typo never silently drops a grant.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A team's whole permission state. The directory and the resources are
/// shared (`Arc`) between a team and the next one saved from it, which
/// changes only grants and data permissions; `Arc::make_mut` edits one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    #[serde(default)]
    pub directory: Arc<Directory>,
    #[serde(default)]
    pub resources: Arc<Vec<Resource>>,
    #[serde(default)]
    pub grants: Vec<Grant>,
    #[serde(default)]
    pub data_permissions: Vec<DataPermissions>,
    /// The backend's opaque concurrency token (sent back as `If-Match`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Every principal of the team.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub applications: Vec<Application>,
    #[serde(default)]
    pub api_keys: Vec<ApiKey>,
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClient>,
}

impl Directory {
    /// How many principals the lists hold together.
    pub fn principal_count(&self) -> usize {
        self.users.len()
            + self.groups.len()
            + self.applications.len()
            + self.api_keys.len()
            + self.oauth_clients.len()
    }
}

/// A team role, ordered from least to most powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Analyst,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub members: Vec<String>,
}

/// An application key: effective role `analyst`, no permissions until granted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub id: String,
    pub name: String,
}

/// An API key acts exactly as its owner; it can never be granted anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKey {
    pub id: String,
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An OAuth client: effective role `analyst`, narrowed by its scopes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthClient {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A node of the resource tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub id: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// Where a grant came from: set by hand, or recorded when its principal created the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Manual,
    Creator,
}

impl Origin {
    fn is_manual(&self) -> bool {
        *self == Origin::Manual
    }
}

/// Flags granted to one principal on one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub principal: String,
    pub resource: String,
    pub permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "Origin::is_manual")]
    pub origin: Origin,
}

/// Row-level data permissions of one data model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataPermissions {
    pub data_model: String,
    pub enabled: bool,
    #[serde(default)]
    pub entries: Vec<DataEntry>,
}

impl DataPermissions {
    /// Whether they restrict data at all: off, or on without entries, every
    /// user of the model sees all its data.
    pub fn restricts(&self) -> bool {
        self.enabled && !self.entries.is_empty()
    }

    /// Equal as an administrator reads them: the order of entries, of rules
    /// and of values does not matter, nor do repeats.
    pub fn same_as(&self, other: &DataPermissions) -> bool {
        self.enabled == other.enabled && canonical(&self.entries) == canonical(&other.entries)
    }

    /// [`DataPermissions::same_as`] for a model's data permissions that may be
    /// absent: none at all count as off without entries.
    pub fn equivalent(a: Option<&DataPermissions>, b: Option<&DataPermissions>) -> bool {
        let off = |d: &DataPermissions| !d.enabled && d.entries.is_empty();
        match (a, b) {
            (Some(a), Some(b)) => a.same_as(b),
            (Some(d), None) | (None, Some(d)) => off(d),
            (None, None) => true,
        }
    }
}

/// Entries sorted and without repeats, each with its rules and values sorted.
fn canonical(entries: &[DataEntry]) -> Vec<DataEntry> {
    let mut out: Vec<DataEntry> = entries
        .iter()
        .map(|e| DataEntry {
            rules: e.rules.as_ref().map(|rules| {
                let mut rules: Vec<Rule> = rules
                    .iter()
                    .map(|r| {
                        let mut values = r.values.clone();
                        values.sort_unstable();
                        values.dedup();
                        Rule {
                            values,
                            ..r.clone()
                        }
                    })
                    .collect();
                rules.sort_unstable();
                rules.dedup();
                rules
            }),
            ..e.clone()
        })
        .collect();
    out.sort_unstable_by(|a, b| {
        (&a.principal, &a.access, &a.rules).cmp(&(&b.principal, &b.access, &b.rules))
    });
    out.dedup();
    out
}

/// One principal's row-level access: `unlimited`, or a conjunction of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataEntry {
    pub principal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<Rule>>,
}

impl DataEntry {
    pub fn is_unlimited(&self) -> bool {
        self.access.as_deref() == Some("unlimited")
    }
}

/// `column ∈ values` on one table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub table: String,
    pub column: String,
    pub values: Vec<String>,
}
