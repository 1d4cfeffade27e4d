//! Queries by id, for hosts, tests and the UI: capability checks, flags,
//! data access, who-can / what-can, redundant grants.

use super::data_access::DataAccess;
use super::flags::FlagState;
use super::team::{PrincipalIdx, ResourceIdx, Team, View};
use crate::model::validate::PrincipalType;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A query that names something the team does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum QueryError {
    UnknownPrincipal { id: String },
    UnknownResource { id: String },
    UnknownCapability { kind: String, capability: String },
    UnknownPermission { kind: String, permission: String },
    NotADataModel { id: String },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownPrincipal { id } => write!(f, "no principal has the id `{id}`"),
            QueryError::UnknownResource { id } => write!(f, "no resource has the id `{id}`"),
            QueryError::UnknownCapability { kind, capability } => {
                write!(f, "`{capability}` is not a capability of {kind}")
            }
            QueryError::UnknownPermission { kind, permission } => {
                write!(f, "`{permission}` is not a permission of {kind}")
            }
            QueryError::NotADataModel { id } => write!(f, "`{id}` is not a data model"),
        }
    }
}

impl std::error::Error for QueryError {}

/// A direct grant of a flag that also flows from an ancestor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedundantGrant {
    pub principal: String,
    pub resource: String,
    pub permission: String,
    /// The ancestor the flag flows from (where its highest grant sits).
    pub from: String,
}

impl Team {
    pub fn find_principal(&self, id: &str) -> Result<PrincipalIdx, QueryError> {
        self.principal_idx(id)
            .ok_or_else(|| QueryError::UnknownPrincipal { id: id.into() })
    }
    pub fn find_resource(&self, id: &str) -> Result<ResourceIdx, QueryError> {
        self.resource_idx(id)
            .ok_or_else(|| QueryError::UnknownResource { id: id.into() })
    }
    /// The index of capability `cap` of `r`'s kind.
    pub fn find_capability(&self, r: ResourceIdx, cap: &str) -> Result<u8, QueryError> {
        let kind = self.kind_of(r);
        kind.cap_index(cap)
            .ok_or_else(|| QueryError::UnknownCapability {
                kind: kind.label.clone(),
                capability: cap.into(),
            })
    }

    /// Whether `principal` has `capability` on `resource`.
    pub fn can(
        &self,
        principal: &str,
        resource: &str,
        capability: &str,
    ) -> Result<bool, QueryError> {
        let (p, r) = (
            self.find_principal(principal)?,
            self.find_resource(resource)?,
        );
        Ok(self
            .view()
            .can_idx(p, r, self.find_capability(r, capability)?))
    }

    /// The capabilities `principal` has on `resource`, in catalog order.
    pub fn capabilities(&self, principal: &str, resource: &str) -> Result<Vec<String>, QueryError> {
        let (p, r) = (
            self.find_principal(principal)?,
            self.find_resource(resource)?,
        );
        Ok(self
            .view()
            .capability_ids(p, r)
            .into_iter()
            .map(String::from)
            .collect())
    }

    /// Every flag of `resource`'s kind for `principal`, held or not.
    pub fn flags(&self, principal: &str, resource: &str) -> Result<Vec<FlagState>, QueryError> {
        let (p, r) = (
            self.find_principal(principal)?,
            self.find_resource(resource)?,
        );
        Ok(self.view().flag_states(p, r))
    }

    pub fn flag(
        &self,
        principal: &str,
        resource: &str,
        flag: &str,
    ) -> Result<FlagState, QueryError> {
        let (p, r) = (
            self.find_principal(principal)?,
            self.find_resource(resource)?,
        );
        self.view()
            .flag_state_by_id(p, r, flag)
            .ok_or_else(|| QueryError::UnknownPermission {
                kind: self.kind_of(r).label.clone(),
                permission: flag.into(),
            })
    }

    pub fn data_access(&self, principal: &str, model: &str) -> Result<DataAccess, QueryError> {
        let (p, r) = (self.find_principal(principal)?, self.find_resource(model)?);
        self.view()
            .data_access(p, r)
            .ok_or_else(|| QueryError::NotADataModel { id: model.into() })
    }

    /// Every principal that has `capability` on `resource` (users,
    /// applications, OAuth clients and API keys; groups expanded), by id.
    pub fn who_can(&self, resource: &str, capability: &str) -> Result<Vec<String>, QueryError> {
        let r = self.find_resource(resource)?;
        let cap = self.find_capability(r, capability)?;
        Ok(self
            .view()
            .who_can(r, cap)
            .into_iter()
            .map(|p| self.principal(p).id.clone())
            .collect())
    }

    /// Every resource where `principal` has a capability named `capability`, in tree order.
    pub fn what_can(&self, principal: &str, capability: &str) -> Result<Vec<String>, QueryError> {
        let p = self.find_principal(principal)?;
        Ok(self
            .view()
            .what_can(p, capability)
            .into_iter()
            .map(|r| self.resource(r).id.clone())
            .collect())
    }

    /// Every direct grant of a flag that also flows from above.
    pub fn redundant_grants(&self) -> Vec<RedundantGrant> {
        let view = self.view();
        let mut out = Vec::new();
        for g in &self.snapshot.grants {
            let (Some(p), Some(r)) = (
                self.principal_idx(&g.principal),
                self.resource_idx(&g.resource),
            ) else {
                continue;
            };
            for perm in &g.permissions {
                if let Some(state) = view.flag_state_by_id(p, r, perm) {
                    if state.inherited {
                        let from = state.origin.map(|o| o.resource).unwrap_or_default();
                        out.push(RedundantGrant {
                            principal: g.principal.clone(),
                            resource: g.resource.clone(),
                            permission: perm.clone(),
                            from,
                        });
                    }
                }
            }
        }
        out
    }

    /// The API keys owned by `owner` (shown beside their owner).
    pub fn api_keys_of(&self, owner: PrincipalIdx) -> Vec<PrincipalIdx> {
        PrincipalIdx::first(self.principals.len())
            .filter(|&k| self.principal(k).owner == Some(owner))
            .collect()
    }
}

impl<'a> View<'a> {
    /// Principals (not groups) with capability `cap` on `r`.
    pub fn who_can(&self, r: ResourceIdx, cap: u8) -> Vec<PrincipalIdx> {
        PrincipalIdx::first(self.team.principals.len())
            .filter(|&p| {
                self.team.principal(p).ptype != PrincipalType::Group && self.can_idx(p, r, cap)
            })
            .collect()
    }

    /// Resources where `p` has a capability with this id, in tree order.
    pub fn what_can(&self, p: PrincipalIdx, capability: &str) -> Vec<ResourceIdx> {
        let mut out = Vec::new();
        let roots: Vec<ResourceIdx> = self
            .team
            .tree_order
            .iter()
            .copied()
            .filter(|&r| self.team.resource(r).parent.is_none())
            .collect();
        for root in roots {
            self.walk(p, root, &mut |r, ctx| {
                if let Some(i) = self.team.kind_of(r).cap_index(capability) {
                    if ctx.caps.has(i as u32) {
                        out.push(r);
                    }
                }
            });
        }
        out
    }
}
