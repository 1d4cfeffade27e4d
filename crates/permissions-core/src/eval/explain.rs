//! Explanations: for any (principal, resource, capability) the structured
//! *why* / *why not*, and the same as plain sentences for the UI.

use super::capability::Ctx;
use super::flags::{FlagState, Ineffective, Step, Via};
use super::query::QueryError;
use super::team::{PrincipalIdx, ResourceIdx, Team, View};
use super::words::{
    capitalize, flag_label_by_id, flag_sentences, principal_phrase, resource_label_by_id,
};
use crate::model::bits::FlagSet;
use crate::model::catalog::Cond;
use serde::{Deserialize, Serialize};

/// Why `principal` has or lacks `capability` on `resource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub principal: String,
    pub resource: String,
    pub capability: String,
    pub allowed: bool,
    /// One entry per condition of the capability (it holds when any does).
    pub conditions: Vec<Condition>,
    /// The explanation as sentences.
    pub sentences: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Condition {
    /// An effective flag on `resource`; `chain` says how it is held.
    Flag {
        resource: String,
        holds: bool,
        flag: FlagState,
        chain: Vec<Step>,
    },
    /// A capability of the parent resource.
    ParentCapability {
        resource: String,
        holds: bool,
        explanation: Box<Explanation>,
    },
    /// Any held flag (effective or blocked only by a `requires` rule) but
    /// `except`, on `resource` or its children; `found` lists what counts.
    AnyFlag {
        resource: String,
        children: bool,
        holds: bool,
        except: Vec<String>,
        found: Vec<(String, String)>,
    },
}

impl Condition {
    pub fn holds(&self) -> bool {
        match self {
            Condition::Flag { holds, .. }
            | Condition::ParentCapability { holds, .. }
            | Condition::AnyFlag { holds, .. } => *holds,
        }
    }
}

/// Why `principal` holds (or not) a flag on `resource`, and whether it is effective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagExplanation {
    pub principal: String,
    pub resource: String,
    pub flag: FlagState,
    /// The highest chain: the grant, then the implications and flows down to here.
    pub chain: Vec<Step>,
    pub sentences: Vec<String>,
}

impl Team {
    /// Why `principal` holds (or not) `flag` on `resource`.
    pub fn explain_flag(
        &self,
        principal: &str,
        resource: &str,
        flag: &str,
    ) -> Result<FlagExplanation, QueryError> {
        let (p, r) = (
            self.find_principal(principal)?,
            self.find_resource(resource)?,
        );
        let kind = self.kind_of(r);
        let b = kind
            .perm_bit(flag)
            .ok_or_else(|| QueryError::UnknownPermission {
                kind: kind.label.clone(),
                permission: flag.into(),
            })?;
        Ok(self.view().explain_flag(p, r, b))
    }

    /// Why `principal` has or lacks `capability` on `resource`.
    pub fn explain(
        &self,
        principal: &str,
        resource: &str,
        capability: &str,
    ) -> Result<Explanation, QueryError> {
        let (p, r) = (
            self.find_principal(principal)?,
            self.find_resource(resource)?,
        );
        let cap = self.find_capability(r, capability)?;
        Ok(self.view().explain(p, r, cap))
    }
}

impl<'a> View<'a> {
    /// Why `p` holds (or not) flag bit `b` on `r`.
    pub fn explain_flag(&self, p: PrincipalIdx, r: ResourceIdx, b: FlagSet) -> FlagExplanation {
        let team = self.team;
        let path = team.path_to(r);
        let nodes = self.nodes_along(p, &path);
        let flag = self.flag_state(p, &path, &nodes, b);
        let sentences = flag_sentences(team, p, r, &flag);
        FlagExplanation {
            principal: team.principal(p).id.clone(),
            resource: team.resource(r).id.clone(),
            chain: self.chain(p, &path, &nodes, b),
            flag,
            sentences,
        }
    }

    pub fn explain(&self, p: PrincipalIdx, r: ResourceIdx, cap: u8) -> Explanation {
        let team = self.team;
        let path = team.path_to(r);
        let ctxs = self.ctx_along(p, &path);
        let nodes: Vec<_> = ctxs.iter().map(|c| c.node).collect();
        let n = path.len();
        let ctx: Ctx = ctxs[n - 1];
        let kind = team.kind_of(r);
        let def = &kind.caps[cap as usize];
        let res_id = team.resource(r).id.clone();
        let flag_cond = |at: usize, b: FlagSet| {
            let rr = path[at];
            let chain = self.chain(p, &path[..=at], &nodes[..=at], b);
            let state = self.flag_state(p, &path[..=at], &nodes[..=at], b);
            Condition::Flag {
                resource: team.resource(rr).id.clone(),
                holds: state.effective,
                flag: state,
                chain,
            }
        };
        let conditions: Vec<Condition> = def
            .any
            .iter()
            .map(|c| match c {
                Cond::FlagSelf(b) => flag_cond(n - 1, *b),
                Cond::FlagParent(b) => flag_cond(n - 2, *b),
                Cond::CapParent(i) => {
                    let inner = self.explain(p, path[n - 2], *i);
                    Condition::ParentCapability {
                        resource: inner.resource.clone(),
                        holds: inner.allowed,
                        explanation: Box::new(inner),
                    }
                }
                Cond::AnyFlagSelf { except } => {
                    let found = kind
                        .perm_ids(ctx.node.allowed & !*except)
                        .map(|f| (res_id.clone(), f.to_string()))
                        .collect::<Vec<_>>();
                    Condition::AnyFlag {
                        resource: res_id.clone(),
                        children: false,
                        holds: !found.is_empty(),
                        except: kind.perm_ids(*except).map(String::from).collect(),
                        found,
                    }
                }
                Cond::AnyFlagChildren { except } => {
                    let mut found = Vec::new();
                    let mut names = Vec::new();
                    for &c in &team.resource(r).children {
                        let ck = team.resource(c).kind;
                        let Some((_, mask)) = except.iter().find(|(k, _)| *k == ck) else {
                            continue;
                        };
                        names.extend(team.catalog.kind(ck).perm_ids(*mask).map(String::from));
                        let cn = self.node(p, c, Some(&ctx.node));
                        found.extend(
                            team.catalog
                                .kind(ck)
                                .perm_ids(cn.allowed & !*mask)
                                .map(|f| (team.resource(c).id.clone(), f.to_string())),
                        );
                    }
                    names.sort_unstable();
                    names.dedup();
                    Condition::AnyFlag {
                        resource: res_id.clone(),
                        children: true,
                        holds: !found.is_empty(),
                        except: names,
                        found,
                    }
                }
            })
            .collect();
        let allowed = ctx.caps.has(u32::from(cap));
        let mut e = Explanation {
            principal: team.principal(p).id.clone(),
            resource: res_id,
            capability: def.id.clone(),
            allowed,
            conditions,
            sentences: Vec::new(),
        };
        e.sentences = sentences(team, &e);
        e
    }
}

fn principal_label(team: &Team, id: &str) -> String {
    team.principal_idx(id)
        .map(|p| principal_phrase(team, p))
        .unwrap_or_else(|| id.to_string())
}

/// "group Finance holds Edit all packages on Space Sales, which flows to …"
fn chain_text(team: &Team, who: &str, chain: &[Step]) -> String {
    let mut s = String::new();
    for step in chain {
        match step {
            Step::Grant {
                resource,
                flag,
                via,
            } => {
                let holder = match via {
                    Via::Direct => format!("{who} holds"),
                    Via::Group { group } => format!("{} holds", principal_label(team, group)),
                    Via::ApiKeyOwner { owner } => {
                        format!("its owner {} holds", principal_label(team, owner))
                    }
                    Via::RoleAdmin => format!("{who} is an admin and so holds"),
                    _ => format!("{who} holds"),
                };
                s.push_str(&format!(
                    "{holder} {} on {}",
                    flag_label_by_id(team, resource, flag),
                    resource_label_by_id(team, resource)
                ));
            }
            Step::Implied { resource, to, .. } => s.push_str(&format!(
                ", which implies {}",
                flag_label_by_id(team, resource, to)
            )),
            Step::Flow {
                to_resource,
                to_flag,
                ..
            } => s.push_str(&format!(
                ", which flows to {} as {}",
                resource_label_by_id(team, to_resource),
                flag_label_by_id(team, to_resource, to_flag)
            )),
        }
    }
    s
}

fn why_not_flag(team: &Team, who: &str, resource: &str, f: &FlagState) -> String {
    let label = flag_label_by_id(team, resource, &f.permission);
    let on = resource_label_by_id(team, resource);
    match &f.reason {
        _ if !f.held => format!("{label} on {on} is not granted to {who}, any of their groups, or above it"),
        Some(Ineffective::Role) => format!("{label} on {on} is held but needs the Analyst role, and {who}'s effective role is Member"),
        Some(Ineffective::Scope) => format!("{label} on {on} is held but the OAuth scopes of {who} do not allow it"),
        Some(Ineffective::Requires(partner)) => {
            format!("{label} on {on} is held but requires {}, which {who} does not have there", flag_label_by_id(team, resource, partner))
        }
        None => format!("{label} on {on} is effective"),
    }
}

fn sentences(team: &Team, e: &Explanation) -> Vec<String> {
    let who = principal_label(team, &e.principal);
    let cap_label = team
        .resource_idx(&e.resource)
        .and_then(|r| {
            team.kind_of(r)
                .caps
                .iter()
                .find(|c| c.id == e.capability)
                .map(|c| c.label.to_lowercase())
        })
        .unwrap_or_else(|| e.capability.clone());
    let target = resource_label_by_id(team, &e.resource);
    if e.allowed {
        let why = e
            .conditions
            .iter()
            .find(|c| c.holds())
            .map(|c| reason_for(team, &who, c))
            .unwrap_or_default();
        vec![format!("On {target}, {who} can {cap_label} because {why}.")]
    } else {
        let mut out = vec![format!("On {target}, {who} cannot {cap_label}:")];
        out.extend(
            e.conditions
                .iter()
                .map(|c| format!("{}.", capitalize(&reason_for(team, &who, c)))),
        );
        out
    }
}

fn reason_for(team: &Team, who: &str, c: &Condition) -> String {
    match c {
        Condition::Flag {
            holds: true, chain, ..
        } => chain_text(team, who, chain),
        Condition::Flag { resource, flag, .. } => why_not_flag(team, who, resource, flag),
        Condition::ParentCapability { explanation, .. } => sentences(team, explanation)
            .join(" ")
            .trim_end_matches('.')
            .to_string(),
        Condition::AnyFlag {
            resource,
            children,
            found,
            except,
            ..
        } => match found.first() {
            Some((r, f)) => format!(
                "{who} holds {} on {}, which makes it visible",
                flag_label_by_id(team, r, f),
                resource_label_by_id(team, r)
            ),
            None if *children => format!(
                "{who} holds nothing on {} or the resources in it other than {}",
                resource_label_by_id(team, resource),
                except.join(", ")
            ),
            None => format!(
                "{who} holds nothing on {} other than {}",
                resource_label_by_id(team, resource),
                except.join(", ")
            ),
        },
    }
}
