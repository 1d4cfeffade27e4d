//! Impact of a change set (spec §7): every capability and data-access change
//! per principal, plus warnings. Incremental: only principals whose grants
//! change (or, for data permissions, everyone on that model) and only the
//! resources below what changed are evaluated, and principals that evaluate
//! alike there (same role, scopes and relevant grantees) are evaluated once.

use super::capability::Ctx;
use super::change::{prepare, Op, Prepared};
use super::data_access::DataAccess;
use super::team::{PrincipalIdx, ResourceIdx, Team, View};
use super::warnings::{grant_warnings, self_lockout};
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
    let actor = team.principal_idx(actor).unwrap_or(PrincipalIdx(0));
    let impact = impact_of(team, actor, ops, &prepared);
    Ok((prepared, impact))
}

/// The impact of an already prepared change set.
pub fn impact_of(team: &Team, actor: PrincipalIdx, ops: &[Op], prepared: &Prepared) -> Impact {
    let before = team.view();
    let after = View::with_overlay(team, &prepared.overlay);
    let region = Region::of(team, prepared);

    // Principals whose evaluation can change, in classes that evaluate alike.
    let listed = |p: PrincipalIdx| team.principal(p).is_listed_in_impact();
    let mut affected: Vec<PrincipalIdx> = if prepared.changed_models.is_empty() {
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
        PrincipalIdx::first(team.principals.len())
            .filter(|&p| listed(p))
            .collect()
    };
    affected.sort_unstable();
    affected.dedup();
    let mut by_key: FxHashMap<ClassKey, Vec<PrincipalIdx>> = FxHashMap::default();
    for p in affected {
        by_key.entry(region.class_key(team, p)).or_default().push(p);
    }
    // Principals in id order, so lists merge by number, not by string.
    let mut ranked: Vec<PrincipalIdx> = by_key.values().flatten().copied().collect();
    ranked.sort_unstable_by_key(|&p| team.id_rank(p));
    let rank: FxHashMap<PrincipalIdx, u32> = ranked
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, i as u32))
        .collect();

    // Classes whose changes are the same list share one group of principals.
    let mut groups: FxHashMap<Vec<(ResourceIdx, Diff)>, Vec<u32>> = FxHashMap::default();
    let mut diffs = Vec::new();
    for members in by_key.values() {
        region.diff(before, after, members[0], &mut diffs);
        if !diffs.is_empty() {
            groups
                .entry(std::mem::take(&mut diffs))
                .or_default()
                .extend(members.iter().map(|p| rank[p]));
        }
    }
    // (the changes, the ranks of the principals they apply to)
    type Group = (Vec<(ResourceIdx, Diff)>, Vec<u32>);
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|(d, mut ranks)| {
            ranks.sort_unstable();
            (d, ranks)
        })
        .collect();

    // Every (resource, change) with the groups it applies to, in tree order.
    let key = |r: ResourceIdx, d: &Diff| {
        let low = match d {
            Diff::Cap { cap, after } => (u64::from(*cap) << 1) | u64::from(*after),
            Diff::Data(_) => 0x3ff,
        };
        (u64::from(team.tree_pos(r)) << 10) | low
    };
    let mut found: Vec<(u64, &Diff, ResourceIdx, u32)> = groups
        .iter()
        .enumerate()
        .flat_map(|(gi, (d, _))| d.iter().map(move |(r, x)| (key(*r, x), x, *r, gi as u32)))
        .collect();
    // Numbers first; only data-access changes on one model need the full comparison.
    found.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            if a.0 & 0x3ff == 0x3ff {
                a.1.cmp(b.1)
            } else {
                std::cmp::Ordering::Equal
            }
        })
    });
    let mut entries: Vec<ImpactEntry> = Vec::new();
    let (mut marks, mut stamp) = (vec![0u32; ranked.len()], 0u32);
    let mut i = 0;
    while i < found.len() {
        let (_, d, r, _) = found[i];
        let mut j = i + 1;
        while j < found.len() && found[j].2 == r && found[j].1 == d {
            j += 1;
        }
        let ps: Vec<u32> = if j - i == 1 {
            groups[found[i].3 as usize].1.clone()
        } else {
            // Several groups: mark their ranks, read them back in order.
            stamp += 1;
            for x in &found[i..j] {
                for &k in &groups[x.3 as usize].1 {
                    marks[k as usize] = stamp;
                }
            }
            (0..ranked.len() as u32)
                .filter(|&k| marks[k as usize] == stamp)
                .collect()
        };
        entries.push(ImpactEntry {
            principals: ps
                .iter()
                .map(|&k| team.principal(ranked[k as usize]).id.clone())
                .collect(),
            resource: team.resource(r).id.clone(),
            change: match d {
                Diff::Cap { cap, after } => Change::Capability {
                    capability: team.kind_of(r).caps[*cap as usize].id.clone(),
                    before: !after,
                    after: *after,
                },
                Diff::Data(b) => Change::DataAccess {
                    before: b.0.clone(),
                    after: b.1.clone(),
                },
            },
        });
        i = j;
    }

    let mut warnings = prepared.warnings.0.clone();
    warnings.extend(grant_warnings(team, ops, prepared));
    warnings.extend(self_lockout(team, prepared, actor));
    warnings.extend(team.warnings.warnings().cloned());
    Impact { entries, warnings }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClassKey {
    role: crate::model::snapshot::Role,
    /// OAuth clients are their own class (scopes differ).
    oauth: Option<PrincipalIdx>,
    grantees: Vec<PrincipalIdx>,
    /// When only data permissions change: which changed models the principal may use.
    uses: u64,
}

/// The resources whose values may change, and what they depend on.
struct Region {
    /// Tops of the changed subtrees (none below another).
    tops: Vec<ResourceIdx>,
    /// Parents that look at their children's flags (a space's `see`), outside the subtrees.
    lookdown: Vec<ResourceIdx>,
    /// Data models whose data permissions change (outside the subtrees too).
    models: Vec<ResourceIdx>,
    /// Principals with grants or data entries anywhere the values depend on.
    relevant: FxHashSet<PrincipalIdx>,
    /// Resources whose grants or data permissions change: a walk never
    /// stops above one of them.
    changed: Vec<ResourceIdx>,
    /// Only data permissions change (no grant does).
    data_only: bool,
}

impl Region {
    fn of(team: &Team, prepared: &Prepared) -> Region {
        let grant_res: Vec<ResourceIdx> = {
            let mut v: Vec<ResourceIdx> = prepared.overlay.grants.keys().map(|&(r, _)| r).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let tops: Vec<ResourceIdx> = grant_res
            .iter()
            .copied()
            .filter(|&r| {
                !grant_res
                    .iter()
                    .any(|&a| a != r && team.is_ancestor_or_self(a, r))
            })
            .collect();
        let mut lookdown: Vec<ResourceIdx> = tops
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

        let mut in_deps = vec![false; team.resources.len()];
        let mut deps: Vec<ResourceIdx> = Vec::new();
        let mut add = |r: ResourceIdx| {
            if !in_deps[r.index()] {
                in_deps[r.index()] = true;
                deps.push(r);
            }
        };
        for &t in &tops {
            team.path_to(t).into_iter().for_each(&mut add);
            team.subtree(t).into_iter().for_each(&mut add);
        }
        for &l in &lookdown {
            team.path_to(l).into_iter().for_each(&mut add);
            team.resource(l).children.iter().copied().for_each(&mut add);
        }
        for &m in &models {
            team.path_to(m).into_iter().for_each(&mut add);
        }
        let after = View::with_overlay(team, &prepared.overlay);
        let data_only = prepared.overlay.grants.is_empty() && models.len() <= 64;
        let mut relevant: FxHashSet<PrincipalIdx> =
            prepared.overlay.grants.keys().map(|&(_, p)| p).collect();
        if !data_only {
            for &r in &deps {
                relevant.extend(team.grantees_on(r).iter().copied());
            }
        }
        for &m in deps
            .iter()
            .filter(|&&r| team.kind_of(r).data_model_use_cap.is_some())
        {
            for dp in [team.data_permissions(m), after.data_permissions(m)]
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
        let mut changed = grant_res;
        changed.extend(&models);
        changed.sort_unstable();
        changed.dedup();
        Region {
            tops,
            lookdown,
            models,
            relevant,
            changed,
            data_only,
        }
    }

    fn class_key(&self, team: &Team, p: PrincipalIdx) -> ClassKey {
        let info = team.principal(p);
        let view = team.view();
        // With grants unchanged, capabilities are too: data access depends on
        // `use` of each changed model and on the data entries that apply.
        let uses = if self.data_only {
            self.models
                .iter()
                .take(64)
                .enumerate()
                .fold(0u64, |acc, (i, &m)| {
                    let can = view
                        .use_cap_of_model(m)
                        .is_some_and(|c| view.can_idx(p, m, c));
                    acc | (u64::from(can) << i)
                })
        } else {
            0
        };
        ClassKey {
            role: if self.data_only {
                crate::model::snapshot::Role::Member
            } else {
                info.role
            },
            oauth: if self.data_only {
                None
            } else {
                info.scope_masks.as_ref().map(|_| p)
            },
            grantees: info
                .grantees
                .iter()
                .copied()
                .filter(|g| self.relevant.contains(g))
                .collect(),
            uses,
        }
    }

    /// Every change of `p`'s values between the two views, in the region.
    fn diff(&self, before: View, after: View, p: PrincipalIdx, out: &mut Vec<(ResourceIdx, Diff)>) {
        let team = before.team;
        for &t in &self.tops {
            let path = team.path_to(t);
            let parent = &path[..path.len() - 1];
            let (b, a) = (before.ctx_along(p, parent), after.ctx_along(p, parent));
            self.diff_walk(before, after, p, t, b.last(), a.last(), out);
        }
        for &r in self.lookdown.iter().chain(self.models.iter()) {
            if self.tops.iter().any(|&t| team.is_ancestor_or_self(t, r)) {
                continue;
            }
            let path = team.path_to(r);
            let (b, a) = (before.ctx_along(p, &path), after.ctx_along(p, &path));
            if let (Some(b), Some(a)) = (b.last(), a.last()) {
                push_diffs(before, after, p, r, b, a, out);
            }
        }
    }

    /// Both views down the subtree of `r` at once. Below a resource where `p`
    /// evaluates the same before and after, nothing changes unless the
    /// change set touches grants further down: such subtrees are skipped.
    #[allow(clippy::too_many_arguments)]
    fn diff_walk(
        &self,
        before: View,
        after: View,
        p: PrincipalIdx,
        r: ResourceIdx,
        bp: Option<&Ctx>,
        ap: Option<&Ctx>,
        out: &mut Vec<(ResourceIdx, Diff)>,
    ) {
        let (b, a) = (before.ctx(p, r, bp), after.ctx(p, r, ap));
        push_diffs(before, after, p, r, &b, &a, out);
        if b == a
            && !self
                .changed
                .iter()
                .any(|&c| c != r && before.team.is_ancestor_or_self(r, c))
        {
            return;
        }
        // Leaves that nobody is granted anything on evaluate alike per kind:
        // compute each kind once per parent (a package's 100 assets → ≤ 6).
        let team = before.team;
        let mut same: Vec<(crate::model::catalog::KindIdx, Ctx, Ctx)> = Vec::new();
        for &c in &team.resource(r).children {
            let res = team.resource(c);
            let plain = res.children.is_empty()
                && team.grantees_on(c).is_empty()
                && !self.changed.contains(&c)
                && !team.kind_of(c).reads_children;
            if !plain {
                self.diff_walk(before, after, p, c, Some(&b), Some(&a), out);
                continue;
            }
            let (cb, ca) = match same.iter().find(|x| x.0 == res.kind) {
                Some(&(_, cb, ca)) => (cb, ca),
                None => {
                    let pair = (before.ctx(p, c, Some(&b)), after.ctx(p, c, Some(&a)));
                    same.push((res.kind, pair.0, pair.1));
                    pair
                }
            };
            push_diffs(before, after, p, c, &cb, &ca, out);
        }
    }
}

/// A change of one principal on one resource, in indexes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Diff {
    Cap { cap: u8, after: bool },
    Data(Box<(DataAccess, DataAccess)>),
}

fn push_diffs(
    before: View,
    after: View,
    p: PrincipalIdx,
    r: ResourceIdx,
    b: &Ctx,
    a: &Ctx,
    out: &mut Vec<(ResourceIdx, Diff)>,
) {
    for i in (b.caps ^ a.caps).indexes() {
        out.push((
            r,
            Diff::Cap {
                cap: i as u8,
                after: a.caps.has(i),
            },
        ));
    }
    if let Some(use_cap) = before.team.kind_of(r).data_model_use_cap {
        let (bu, au) = (
            b.caps.has(u32::from(use_cap)),
            a.caps.has(u32::from(use_cap)),
        );
        let (db, da) = (
            before.data_access_with(p, r, bu),
            after.data_access_with(p, r, au),
        );
        if db != da {
            out.push((r, Diff::Data(Box::new((db, da)))));
        }
    }
}
