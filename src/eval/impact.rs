//! Impact of a change set (spec §7): every capability and data-access change
//! per principal, plus warnings. Incremental: only principals whose grants
//! change (or, for data permissions, everyone on that model) and only the
//! resources below what changed are evaluated, and principals that evaluate
//! alike there (same role, scopes and relevant grantees) are evaluated once.

use super::capability::Ctx;
use super::change::{prepare, Op, Prepared};
use super::data_access::DataAccess;
use super::team::{PIdx, RIdx, Team, View};
use crate::model::problem::{Code, Problem, Problems};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// What changes for the principals of an [`ImpactEntry`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Capability {
        capability: String,
        before: bool,
        after: bool,
    },
    DataAccess {
        before: DataAccess,
        after: DataAccess,
    },
}

/// One change on one resource, shared by every principal listed (sorted ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactEntry {
    pub principals: Vec<String>,
    pub resource: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Impact {
    pub entries: Vec<ImpactEntry>,
    pub warnings: Vec<Problem>,
}

impl Impact {
    /// Entries one principal at a time, as the golden format lists them.
    pub fn per_principal(&self) -> impl Iterator<Item = (&str, &str, &Change)> {
        self.entries.iter().flat_map(|e| {
            e.principals
                .iter()
                .map(move |p| (p.as_str(), e.resource.as_str(), &e.change))
        })
    }
    pub fn has_warning(&self, code: Code) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}

/// Checks `ops` for `actor` and computes their impact on `team`.
pub fn impact(team: &Team, actor: &str, ops: &[Op]) -> Result<(Prepared, Impact), Problems> {
    let prepared = prepare(team, actor, ops)?;
    let actor = team.principal_idx(actor).unwrap_or(0);
    let impact = impact_of(team, actor, ops, &prepared);
    Ok((prepared, impact))
}

/// The impact of an already prepared change set.
pub fn impact_of(team: &Team, actor: PIdx, ops: &[Op], prepared: &Prepared) -> Impact {
    let before = team.view();
    let after = View::with_overlay(team, &prepared.overlay);
    let region = Region::of(team, prepared);

    // Principals whose evaluation can change, in classes that evaluate alike.
    let listed = |p: PIdx| team.principal(p).is_listed_in_impact();
    let mut affected: Vec<PIdx> = if prepared.changed_models.is_empty() {
        let mut v = Vec::new();
        for &g in &prepared.changed_grantees {
            let info = team.principal(g);
            if listed(g) {
                v.push(g);
            }
            if info.ptype == crate::model::validate::PrincipalType::Group {
                v.extend(info.related.iter().copied());
            }
        }
        v
    } else {
        (0..team.principals.len() as PIdx)
            .filter(|&p| listed(p))
            .collect()
    };
    affected.sort_unstable();
    affected.dedup();
    let mut classes: FxHashMap<ClassKey, Vec<PIdx>> = FxHashMap::default();
    for p in affected {
        classes
            .entry(region.class_key(team, p))
            .or_default()
            .push(p);
    }

    let mut changes: FxHashMap<(RIdx, Change), Vec<PIdx>> = FxHashMap::default();
    for members in classes.values() {
        let rep = members[0];
        for (r, change) in region.diff(before, after, rep) {
            changes
                .entry((r, change))
                .or_default()
                .extend(members.iter().copied());
        }
    }
    let mut pos = vec![0u32; team.resources.len()];
    for (i, &r) in team.tree_order.iter().enumerate() {
        pos[r as usize] = i as u32;
    }
    let mut entries: Vec<(u32, usize, ImpactEntry)> = changes
        .into_iter()
        .map(|((r, change), ps)| {
            let mut principals: Vec<String> =
                ps.iter().map(|&p| team.principal(p).id.clone()).collect();
            principals.sort();
            let order = match &change {
                Change::Capability { capability, .. } => team
                    .kind_of(r)
                    .cap_index(capability)
                    .map(usize::from)
                    .unwrap_or(0),
                Change::DataAccess { .. } => usize::MAX,
            };
            (
                pos[r as usize],
                order,
                ImpactEntry {
                    principals,
                    resource: team.resource(r).id.clone(),
                    change,
                },
            )
        })
        .collect();
    entries.sort_by(|a, b| (a.0, a.1, &a.2.principals).cmp(&(b.0, b.1, &b.2.principals)));

    let mut warnings = prepared.warnings.0.clone();
    warnings.extend(grant_warnings(team, after, ops));
    warnings.extend(self_lockout(before, after, actor, &prepared.touched));
    warnings.extend(team.warnings.warnings().cloned());
    Impact {
        entries: entries.into_iter().map(|(_, _, e)| e).collect(),
        warnings,
    }
}

/// `ineffective` and `redundant` for each grant still in force after the change set.
fn grant_warnings(team: &Team, after: View, ops: &[Op]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen = FxHashSet::default();
    for (i, op) in ops.iter().enumerate() {
        let Op::Grant(g) = op else { continue };
        if !seen.insert(g) {
            continue;
        }
        let (Some(p), Some(r)) = (
            team.principal_idx(&g.principal),
            team.resource_idx(&g.resource),
        ) else {
            continue;
        };
        let Some(bit) = team.kind_of(r).perm_bit(&g.permission) else {
            continue;
        };
        if after.grant(r, p).all() & bit == 0 {
            continue;
        }
        let Some(state) = after.flag_state_by_id(p, r, &g.permission) else {
            continue;
        };
        let path = format!("$.changes[{i}]");
        if let Some(reason) = &state.reason {
            let why = match reason {
                super::flags::Ineffective::Role => format!(
                    "the effective role of `{}` is {}",
                    g.principal,
                    team.principal(p).role.as_str()
                ),
                super::flags::Ineffective::Scope => {
                    format!("the scopes of `{}` do not allow it", g.principal)
                }
                super::flags::Ineffective::Requires(f) => format!(
                    "it requires `{f}`, which `{}` does not have there",
                    g.principal
                ),
            };
            out.push(Problem::new(
                Code::Ineffective,
                path.clone(),
                format!(
                    "`{}` for `{}` on `{}` will be ineffective ({}): {why}",
                    g.permission,
                    g.principal,
                    g.resource,
                    reason.code()
                ),
            ));
        }
        if state.inherited {
            let from = state
                .origin
                .as_ref()
                .map(|o| o.resource.as_str())
                .unwrap_or("above");
            out.push(Problem::new(
                Code::Redundant,
                path,
                format!(
                    "`{}` for `{}` on `{}` is redundant: it already flows from `{from}`",
                    g.permission, g.principal, g.resource
                ),
            ));
        }
    }
    out
}

/// `self-lockout` when the actor loses `manage-permissions` on a touched resource.
fn self_lockout(before: View, after: View, actor: PIdx, touched: &[RIdx]) -> Vec<Problem> {
    let team = before.team;
    touched
        .iter()
        .filter_map(|&r| {
            let cap = team.kind_of(r).cap_index("manage-permissions")?;
            (before.can_idx(actor, r, cap) && !after.can_idx(actor, r, cap)).then(|| {
                let res = team.resource(r);
                Problem::new(
                    Code::SelfLockout,
                    "$.changes",
                    format!(
                        "`{}` will no longer manage permissions on `{}` ({})",
                        team.principal(actor).id,
                        res.id,
                        res.name
                    ),
                )
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClassKey {
    role: crate::model::snapshot::Role,
    /// OAuth clients are their own class (scopes differ).
    oauth: Option<PIdx>,
    grantees: Vec<PIdx>,
}

/// The resources whose values may change, and what they depend on.
struct Region {
    /// Tops of the changed subtrees (none below another).
    tops: Vec<RIdx>,
    /// Parents that look at their children's flags (a space's `see`), outside the subtrees.
    lookdown: Vec<RIdx>,
    /// Data models whose data permissions change (outside the subtrees too).
    models: Vec<RIdx>,
    /// Principals with grants or data entries anywhere the values depend on.
    relevant: FxHashSet<PIdx>,
}

impl Region {
    fn of(team: &Team, prepared: &Prepared) -> Region {
        let grant_res: Vec<RIdx> = {
            let mut v: Vec<RIdx> = prepared.overlay.grants.keys().map(|&(r, _)| r).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let tops: Vec<RIdx> = grant_res
            .iter()
            .copied()
            .filter(|&r| {
                !grant_res
                    .iter()
                    .any(|&a| a != r && team.is_ancestor_or_self(a, r))
            })
            .collect();
        let mut lookdown: Vec<RIdx> = tops
            .iter()
            .filter_map(|&t| team.resource(t).parent)
            .filter(|&p| {
                team.kind_of(p).reads_children
                    && !tops.iter().any(|&t| team.is_ancestor_or_self(t, p))
            })
            .collect();
        lookdown.sort_unstable();
        lookdown.dedup();
        let models = prepared.changed_models.clone();

        let mut deps: FxHashSet<RIdx> = FxHashSet::default();
        for &t in &tops {
            deps.extend(team.path_to(t));
            deps.extend(team.subtree(t));
        }
        for &l in &lookdown {
            deps.extend(team.path_to(l));
            deps.extend(team.resource(l).children.iter().copied());
        }
        for &m in &models {
            deps.extend(team.path_to(m));
        }
        let after = View::with_overlay(team, &prepared.overlay);
        let mut relevant: FxHashSet<PIdx> = FxHashSet::default();
        for &r in &deps {
            relevant.extend(team.grantees_on(r).iter().copied());
            relevant.extend(after.grantees_on(r));
        }
        for &m in deps
            .iter()
            .filter(|&&r| after.use_cap_of_model(r).is_some())
        {
            for dp in [team.view().data_permissions(m), after.data_permissions(m)]
                .into_iter()
                .flatten()
            {
                relevant.extend(
                    dp.entries
                        .iter()
                        .filter_map(|e| team.principal_idx(&e.principal)),
                );
            }
        }
        Region {
            tops,
            lookdown,
            models,
            relevant,
        }
    }

    fn class_key(&self, team: &Team, p: PIdx) -> ClassKey {
        let info = team.principal(p);
        ClassKey {
            role: info.role,
            oauth: info.scope_masks.as_ref().map(|_| p),
            grantees: info
                .grantees
                .iter()
                .copied()
                .filter(|g| self.relevant.contains(g))
                .collect(),
        }
    }

    /// Every change of `p`'s values between the two views, in the region.
    fn diff(&self, before: View, after: View, p: PIdx) -> Vec<(RIdx, Change)> {
        let team = before.team;
        let mut out = Vec::new();
        let push_caps = |r: RIdx, b: &Ctx, a: &Ctx, out: &mut Vec<(RIdx, Change)>| {
            let kind = team.kind_of(r);
            let mut d = b.caps ^ a.caps;
            while d != 0 {
                let i = d.trailing_zeros();
                d &= d - 1;
                out.push((
                    r,
                    Change::Capability {
                        capability: kind.caps[i as usize].id.clone(),
                        before: b.caps >> i & 1 == 1,
                        after: a.caps >> i & 1 == 1,
                    },
                ));
            }
            if let Some(use_cap) = before.use_cap_of_model(r) {
                let (bu, au) = (b.caps >> use_cap & 1 == 1, a.caps >> use_cap & 1 == 1);
                let (db, da) = (
                    before.data_access_with(p, r, bu),
                    after.data_access_with(p, r, au),
                );
                if db != da {
                    out.push((
                        r,
                        Change::DataAccess {
                            before: db,
                            after: da,
                        },
                    ));
                }
            }
        };
        for &t in &self.tops {
            let mut b_ctx: Vec<(RIdx, Ctx)> = Vec::new();
            before.walk(p, t, &mut |r, c| b_ctx.push((r, *c)));
            let mut i = 0;
            after.walk(p, t, &mut |r, a| {
                if let Some((br, b)) = b_ctx.get(i) {
                    debug_assert_eq!(*br, r);
                    push_caps(r, b, a, &mut out);
                }
                i += 1;
            });
        }
        for &r in self.lookdown.iter().chain(self.models.iter()) {
            if self.tops.iter().any(|&t| team.is_ancestor_or_self(t, r)) {
                continue;
            }
            let path = team.path_to(r);
            let (b, a) = (before.ctx_along(p, &path), after.ctx_along(p, &path));
            if let (Some(b), Some(a)) = (b.last(), a.last()) {
                push_caps(r, b, a, &mut out);
            }
        }
        out
    }
}
