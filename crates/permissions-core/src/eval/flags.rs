//! Held and effective flags (spec §3): what a principal holds on a resource
//! (granted, implied, flowed from above), which of it is effective, why the
//! rest is not, and every source of each held flag.

use super::team::{PrincipalIdx, ResourceIdx, View};
use crate::model::bits::FlagSet;
use crate::model::snapshot::Role;
use serde::{Deserialize, Serialize};

/// One principal's flags on one resource, as bit sets of the resource's kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Node {
    pub held: FlagSet,
    /// Held flags that pass the role and scope checks (`requires` not yet applied).
    pub allowed: FlagSet,
    pub effective: FlagSet,
}

/// Why a held flag is not effective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ineffective {
    /// The flag's tier is `analyst` and the principal's effective role is `member`.
    Role,
    /// An OAuth client whose scopes do not allow the flag.
    Scope,
    /// The named partner flag is not effective on the same resource.
    Requires(String),
}

impl Ineffective {
    /// The spec's reason string: `role`, `scope`, `requires:<flag>`.
    pub fn code(&self) -> String {
        match self {
            Ineffective::Role => "role".into(),
            Ineffective::Scope => "scope".into(),
            Ineffective::Requires(f) => format!("requires:{f}"),
        }
    }
}

/// How a source produces a held flag (the spec's `via`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Via {
    Direct,
    Group { group: String },
    RoleAdmin,
    ApiKeyOwner { owner: String },
    Implied { flag: String },
    Flow { from: String, flag: String },
}

impl Via {
    /// The spec's form: `direct`, `group:<id>`, `role:admin`, `api-key-owner:<id>`,
    /// `implied:<flag>`, `flow:<ancestor id>/<flag>`.
    pub fn code(&self) -> String {
        match self {
            Via::Direct => "direct".into(),
            Via::Group { group } => format!("group:{group}"),
            Via::RoleAdmin => "role:admin".into(),
            Via::ApiKeyOwner { owner } => format!("api-key-owner:{owner}"),
            Via::Implied { flag } => format!("implied:{flag}"),
            Via::Flow { from, flag } => format!("flow:{from}/{flag}"),
        }
    }
    pub fn is_grant(&self) -> bool {
        matches!(
            self,
            Via::Direct | Via::Group { .. } | Via::RoleAdmin | Via::ApiKeyOwner { .. }
        )
    }
}

/// One way a principal comes to hold a flag on a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The held flag.
    pub permission: String,
    /// Where the source acts: the resource itself, or for a flow the ancestor it comes from.
    pub granted_on: String,
    pub via: Via,
}

/// A held or not-held flag with everything the UI shows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagState {
    pub permission: String,
    pub held: bool,
    pub effective: bool,
    /// Set when held but not effective.
    pub reason: Option<Ineffective>,
    pub sources: Vec<Source>,
    /// The root of the highest chain: where the grant that produces the flag
    /// sits, and how the principal has it (for "from Space *Sales*, via group *Finance*").
    pub origin: Option<Origin>,
    /// Granted here directly although it also comes from above.
    pub redundant: bool,
    /// Held because of an ancestor: flowed down, or implied here by a flag
    /// that flowed down. The dialog shows it locked. Never for admins.
    pub inherited: bool,
}

/// One step of how a principal comes to hold a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum Step {
    /// The flag is granted (or held by role) on `resource`.
    Grant {
        resource: String,
        flag: String,
        via: Via,
    },
    /// `from` implies `to` on the same resource.
    Implied {
        resource: String,
        from: String,
        to: String,
    },
    /// A flag on the parent flows down to the child.
    Flow {
        from_resource: String,
        from_flag: String,
        to_resource: String,
        to_flag: String,
    },
}

impl FlagState {
    /// A flag the principal does not hold at all.
    pub fn not_held(permission: String) -> Self {
        FlagState {
            permission,
            held: false,
            effective: false,
            reason: None,
            sources: Vec::new(),
            origin: None,
            redundant: false,
            inherited: false,
        }
    }
}

/// Where the grant behind a held flag sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub resource: String,
    pub permission: String,
    pub via: Via,
}

impl<'a> View<'a> {
    /// Flags granted on `r` to `p` or any principal whose grants it holds.
    pub fn granted_to(&self, p: PrincipalIdx, r: ResourceIdx) -> FlagSet {
        let grantees = &self.team.principal(p).grantees;
        let mut bits = FlagSet::NONE;
        if let Some(o) = self.overlay {
            // Whether the overlay changes a grant of one of them here, by
            // going through the shorter of its grants and the grantees.
            let changed = if o.grants.len() <= grantees.len() {
                o.grants
                    .keys()
                    .any(|&(gr, g)| gr == r && grantees.binary_search(&g).is_ok())
            } else {
                grantees.iter().any(|&g| o.grants.contains_key(&(r, g)))
            };
            if changed {
                return grantees
                    .iter()
                    .fold(FlagSet::NONE, |acc, &g| acc | self.grant(r, g).all());
            }
        }
        // Both lists are sorted: walk the shorter, search the longer.
        let on = self.team.grantees_on(r);
        if on.is_empty() {
            return FlagSet::NONE;
        }
        let (short, long) = if grantees.len() <= on.len() {
            (grantees.as_slice(), on)
        } else {
            (on, grantees.as_slice())
        };
        for g in short {
            if long.binary_search(g).is_ok() {
                bits |= self.team.grant_bits(r, *g).all();
            }
        }
        bits
    }

    /// Flags of `p` on `r`, given its flags on the parent.
    pub fn node(&self, p: PrincipalIdx, r: ResourceIdx, parent: Option<&Node>) -> Node {
        let team = self.team;
        let info = team.principal(p);
        let kind = team.kind_of(r);
        let held = if info.role == Role::Admin {
            kind.all
        } else {
            kind.close(self.granted_to(p, r) | self.flowing_in(r, parent))
        };
        let mut allowed = held;
        if info.role < Role::Analyst {
            allowed &= !kind.analyst_only;
        }
        if let Some(masks) = &info.scope_masks {
            allowed &= masks[team.resource(r).kind.index()];
        }
        let mut effective = allowed;
        loop {
            let before = effective;
            for &(flag, partner) in &kind.requires {
                if effective.intersects(flag) && !effective.intersects(partner) {
                    effective &= !flag;
                }
            }
            if before == effective {
                break;
            }
        }
        Node {
            held,
            allowed,
            effective,
        }
    }

    /// Flags of `r`'s kind that flow down from the parent's held flags.
    fn flowing_in(&self, r: ResourceIdx, parent: Option<&Node>) -> FlagSet {
        let Some(pn) = parent else {
            return FlagSet::NONE;
        };
        self.team
            .kind_of(r)
            .inflows
            .iter()
            .filter(|f| pn.held.intersects(f.from) && pn.held.contains(f.while_held))
            .fold(FlagSet::NONE, |bits, f| bits | f.to)
    }

    /// Flags `p` holds on `r` because of something above it: what flows in,
    /// and what that implies on `r` (spec §3: both are inherited). The admin
    /// role is not "from above": an admin inherits nothing.
    pub fn from_above(&self, p: PrincipalIdx, r: ResourceIdx, parent: Option<&Node>) -> FlagSet {
        if self.team.principal(p).role == Role::Admin {
            return FlagSet::NONE;
        }
        self.team.kind_of(r).close(self.flowing_in(r, parent))
    }

    /// Flags of `p` on each resource of `path` (root first).
    pub fn nodes_along(&self, p: PrincipalIdx, path: &[ResourceIdx]) -> Vec<Node> {
        let mut out: Vec<Node> = Vec::with_capacity(path.len());
        for &r in path {
            let n = self.node(p, r, out.last());
            out.push(n);
        }
        out
    }

    /// Why bit `b` of `node` is not effective, if it is held and not.
    pub fn reason(
        &self,
        p: PrincipalIdx,
        r: ResourceIdx,
        node: &Node,
        b: FlagSet,
    ) -> Option<Ineffective> {
        if !node.held.intersects(b) || node.effective.intersects(b) {
            return None;
        }
        let info = self.team.principal(p);
        let kind = self.team.kind_of(r);
        if info.role < Role::Analyst && kind.analyst_only.intersects(b) {
            return Some(Ineffective::Role);
        }
        if let Some(masks) = &info.scope_masks {
            if !masks[self.team.resource(r).kind.index()].intersects(b) {
                return Some(Ineffective::Scope);
            }
        }
        kind.requires
            .iter()
            .find(|&&(flag, partner)| flag == b && !node.effective.intersects(partner))
            .map(|&(_, partner)| Ineffective::Requires(kind.flag_id(partner).to_string()))
    }

    /// Every source of flag bit `b` held by `p` on `r`.
    pub fn sources(
        &self,
        p: PrincipalIdx,
        r: ResourceIdx,
        node: &Node,
        parent: Option<&Node>,
        b: FlagSet,
    ) -> Vec<Source> {
        let team = self.team;
        let info = team.principal(p);
        let res = team.resource(r);
        let kind = team.kind_of(r);
        let flag = kind.flag_id(b).to_string();
        let mut out = Vec::new();
        let here = |via| Source {
            permission: flag.clone(),
            granted_on: res.id.clone(),
            via,
        };
        if info.role == Role::Admin {
            out.push(here(Via::RoleAdmin));
        }
        for &g in &info.grantees {
            if self.grant(r, g).all().intersects(b) {
                let gi = team.principal(g);
                let via = if let Some(owner) = info.owner {
                    Via::ApiKeyOwner {
                        owner: team.principal(owner).id.clone(),
                    }
                } else if g == p {
                    Via::Direct
                } else {
                    Via::Group {
                        group: gi.id.clone(),
                    }
                };
                if !out.iter().any(|s: &Source| s.via == via) {
                    out.push(here(via));
                }
            }
        }
        for (i, &imp) in kind.implies.iter().enumerate() {
            let flag = FlagSet::only(i as u32);
            if imp.intersects(b) && node.held.intersects(flag) && flag != b {
                out.push(here(Via::Implied {
                    flag: kind.perm_id(i as u32).to_string(),
                }));
            }
        }
        if let (Some(pn), Some(pr)) = (parent, res.parent) {
            let pkind = team.kind_of(pr);
            for f in &kind.inflows {
                if f.to == b && pn.held.intersects(f.from) && pn.held.contains(f.while_held) {
                    out.push(Source {
                        permission: flag.clone(),
                        granted_on: team.resource(pr).id.clone(),
                        via: Via::Flow {
                            from: team.resource(pr).id.clone(),
                            flag: pkind.flag_id(f.from).to_string(),
                        },
                    });
                }
            }
        }
        out
    }

    /// The full state of every flag of `r`'s kind for `p`.
    pub fn flag_states(&self, p: PrincipalIdx, r: ResourceIdx) -> Vec<FlagState> {
        let path = self.team.path_to(r);
        let nodes = self.nodes_along(p, &path);
        let kind = self.team.kind_of(r);
        (0..kind.perms.len() as u32)
            .map(|i| self.flag_state(p, &path, &nodes, FlagSet::only(i)))
            .collect()
    }

    /// The state of one flag (by id) of `p` on `r`; `None` if the kind has no such flag.
    pub fn flag_state_by_id(
        &self,
        p: PrincipalIdx,
        r: ResourceIdx,
        flag: &str,
    ) -> Option<FlagState> {
        let b = self.team.kind_of(r).perm_bit(flag)?;
        Some(self.flag_state_at(p, r, b))
    }

    /// The state of flag bit `b` of `p` on `r`.
    pub fn flag_state_at(&self, p: PrincipalIdx, r: ResourceIdx, b: FlagSet) -> FlagState {
        let path = self.team.path_to(r);
        let nodes = self.nodes_along(p, &path);
        self.flag_state(p, &path, &nodes, b)
    }

    /// The state of bit `b` at the end of `path`, given `p`'s flags along it.
    pub fn flag_state(
        &self,
        p: PrincipalIdx,
        path: &[ResourceIdx],
        nodes: &[Node],
        b: FlagSet,
    ) -> FlagState {
        let (r, node) = (path[path.len() - 1], nodes[nodes.len() - 1]);
        let parent = nodes.len().checked_sub(2).map(|i| nodes[i]);
        let kind = self.team.kind_of(r);
        let permission = kind.flag_id(b).to_string();
        if !node.held.intersects(b) {
            return FlagState::not_held(permission);
        }
        let sources = self.sources(p, r, &node, parent.as_ref(), b);
        let inherited = self.from_above(p, r, parent.as_ref()) & b != FlagSet::NONE;
        let granted_here = sources.iter().any(|s| {
            matches!(
                s.via,
                Via::Direct | Via::Group { .. } | Via::ApiKeyOwner { .. }
            )
        });
        FlagState {
            permission,
            held: true,
            effective: node.effective.intersects(b),
            reason: self.reason(p, r, &node, b),
            origin: self.origin(p, path, nodes, b),
            redundant: inherited && granted_here,
            inherited,
            sources,
        }
    }

    /// The highest grant behind bit `b` at the end of `path`.
    pub fn origin(
        &self,
        p: PrincipalIdx,
        path: &[ResourceIdx],
        nodes: &[Node],
        b: FlagSet,
    ) -> Option<Origin> {
        match self.chain(p, path, nodes, b).into_iter().next()? {
            Step::Grant {
                resource,
                flag,
                via,
            } => Some(Origin {
                resource,
                permission: flag,
                via,
            }),
            _ => None,
        }
    }

    /// How `p` comes to hold bit `b` at the end of `path`, root first: the
    /// grant nearest the root, then the implications and flows down to here.
    pub fn chain(
        &self,
        p: PrincipalIdx,
        path: &[ResourceIdx],
        nodes: &[Node],
        b: FlagSet,
    ) -> Vec<Step> {
        self.chain_inner(p, path, nodes, b, 0)
            .map(|(_, steps)| steps)
            .unwrap_or_default()
    }

    fn chain_inner(
        &self,
        p: PrincipalIdx,
        path: &[ResourceIdx],
        nodes: &[Node],
        b: FlagSet,
        guard: u32,
    ) -> Option<(u8, Vec<Step>)> {
        let n = path.len();
        if n == 0 || guard > 64 {
            return None;
        }
        let r = path[n - 1];
        let kind = self.team.kind_of(r);
        let res_id = &self.team.resource(r).id;
        let parent = n.checked_sub(2).map(|i| nodes[i]);
        let mut best: Option<(u8, Vec<Step>)> = None;
        for s in self.sources(p, r, &nodes[n - 1], parent.as_ref(), b) {
            let cand = match &s.via {
                Via::Flow { flag, from } => {
                    let pb = self.team.kind_of(path[n - 2]).perm_bit(flag)?;
                    self.chain_inner(p, &path[..n - 1], &nodes[..n - 1], pb, guard + 1)
                        .map(|(d, mut steps)| {
                            steps.push(Step::Flow {
                                from_resource: from.clone(),
                                from_flag: flag.clone(),
                                to_resource: res_id.clone(),
                                to_flag: s.permission.clone(),
                            });
                            (d, steps)
                        })
                }
                Via::Implied { flag } => {
                    let ib = kind.perm_bit(flag)?;
                    self.chain_inner(p, path, nodes, ib, guard + 1)
                        .map(|(d, mut steps)| {
                            steps.push(Step::Implied {
                                resource: res_id.clone(),
                                from: flag.clone(),
                                to: s.permission.clone(),
                            });
                            (d, steps)
                        })
                }
                via => Some((
                    self.team.resource(r).depth,
                    vec![Step::Grant {
                        resource: res_id.clone(),
                        flag: s.permission.clone(),
                        via: via.clone(),
                    }],
                )),
            };
            if let Some(c) = cand {
                if best
                    .as_ref()
                    .is_none_or(|(d, steps)| c.0 < *d || (c.0 == *d && c.1.len() < steps.len()))
                {
                    best = Some(c);
                }
            }
        }
        best
    }
}
