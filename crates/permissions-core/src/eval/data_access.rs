//! Row-level data access on a data model (spec §6): `all`, `none`, or a
//! normalised filter (an OR of ANDs of `column ∈ values`).

use super::team::{PrincipalIdx, ResourceIdx, View};
use crate::model::snapshot::{DataEntry, Rule};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessKind {
    All,
    None,
    Filtered,
}

impl AccessKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessKind::All => "all",
            AccessKind::None => "none",
            AccessKind::Filtered => "filtered",
        }
    }
}

/// A principal's data access on a model. `filter` is set only for `filtered`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DataAccess {
    pub access: AccessKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<Vec<Rule>>,
}

impl DataAccess {
    pub fn all() -> Self {
        DataAccess {
            access: AccessKind::All,
            filter: Vec::new(),
        }
    }
    pub fn none() -> Self {
        DataAccess {
            access: AccessKind::None,
            filter: Vec::new(),
        }
    }
    /// Reads as an expression: `VBAK.BUKRS ∈ {1000, 2000} OR …`.
    pub fn expression(&self) -> String {
        match self.access {
            AccessKind::All => "all rows".into(),
            AccessKind::None => "no rows".into(),
            AccessKind::Filtered => self
                .filter
                .iter()
                .map(|conj| {
                    conj.iter()
                        .map(|r| format!("{}.{} ∈ {{{}}}", r.table, r.column, r.values.join(", ")))
                        .collect::<Vec<_>>()
                        .join(" AND ")
                })
                .map(|c| {
                    if self.filter.len() > 1 && c.contains(" AND ") {
                        format!("({c})")
                    } else {
                        c
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        }
    }
}

/// Normalises an OR of ANDs per spec §6: rules on the same table and column
/// inside one conjunction are intersected; conjunctions with an empty
/// intersection are dropped, then duplicates; values sorted and unique.
pub fn normalise(conjunctions: impl IntoIterator<Item = Vec<Rule>>) -> Vec<Vec<Rule>> {
    let mut out: Vec<Vec<Rule>> = Vec::new();
    'conj: for conj in conjunctions {
        let mut merged: Vec<Rule> = Vec::new();
        for rule in conj {
            let mut values = rule.values.clone();
            values.sort_unstable();
            values.dedup();
            match merged
                .iter_mut()
                .find(|m| m.table == rule.table && m.column == rule.column)
            {
                Some(m) => m.values.retain(|v| values.binary_search(v).is_ok()),
                None => merged.push(Rule {
                    table: rule.table,
                    column: rule.column,
                    values,
                }),
            }
        }
        if merged.iter().any(|r| r.values.is_empty()) {
            continue 'conj;
        }
        merged.sort_unstable();
        if !out.contains(&merged) {
            out.push(merged);
        }
    }
    out.sort_unstable();
    out
}

impl<'a> View<'a> {
    /// The data-permission entries that apply to `p` (its own, its groups';
    /// an API key's owner's).
    pub fn applicable_entries(&self, p: PrincipalIdx, model: ResourceIdx) -> Vec<&'a DataEntry> {
        let Some(dp) = self.data_permissions(model) else {
            return Vec::new();
        };
        let grantees = &self.team.principal(p).grantees;
        dp.entries
            .iter()
            .filter(|e| {
                self.team
                    .principal_idx(&e.principal)
                    .is_some_and(|g| grantees.contains(&g))
            })
            .collect()
    }

    /// Data access of `p` on data model `model`, given whether it can `use` the model.
    pub fn data_access_with(
        &self,
        p: PrincipalIdx,
        model: ResourceIdx,
        can_use: bool,
    ) -> DataAccess {
        if !can_use {
            return DataAccess::none();
        }
        match self.data_permissions(model) {
            Some(dp) if dp.restricts() => {}
            _ => return DataAccess::all(),
        }
        let entries = self.applicable_entries(p, model);
        if entries.iter().any(|e| e.is_unlimited()) {
            return DataAccess::all();
        }
        let filter = normalise(entries.iter().filter_map(|e| e.rules.clone()));
        if filter.is_empty() {
            DataAccess::none()
        } else {
            DataAccess {
                access: AccessKind::Filtered,
                filter,
            }
        }
    }

    /// Data access of `p` on `model`; `None` when `model` is not a data model.
    pub fn data_access(&self, p: PrincipalIdx, model: ResourceIdx) -> Option<DataAccess> {
        let use_cap = self.use_cap_of_model(model)?;
        Some(self.data_access_with(p, model, self.can_idx(p, model, use_cap)))
    }

    /// The index of the `use` capability when `r` is a data model.
    pub fn use_cap_of_model(&self, r: ResourceIdx) -> Option<u8> {
        self.team.kind_of(r).data_model_use_cap
    }
}
