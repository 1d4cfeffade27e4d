//! Impact of a change set (spec §7): every capability and data-access change
//! per principal, plus warnings.
//!
//! Held compactly and updated edit by edit ([`HeldImpact`]): an edit
//! re-evaluates only the principals whose grants it changes (or, for data
//! permissions, everyone on that model) and only the resources below what it
//! changes; principals that evaluate alike there (same role, scopes and
//! relevant grantees) are evaluated once and share one list of changes. So
//! the 50th pending edit costs what the 1st does.

use super::capability::Ctx;
use super::change::{prepare, Op, Prepared};
use super::data_access::DataAccess;
use super::team::{Overlay, PrincipalIdx, ResourceIdx, Team, View};
use super::warnings::{grant_warnings, self_lockout, GrantChecks};
use crate::model::problem::{Code, Problem, Problems};
use crate::model::snapshot::Role;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

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
    HeldImpact::default()
        .update(team, actor, ops, &Overlay::default(), prepared)
        .to_impact(team)
}

/// One principal's change on one resource, in indexes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Delta {
    /// Capability `cap` (an index into the resource kind's capabilities) becomes `after`.
    Cap {
        cap: u8,
        after: bool,
    },
    Data(Box<(DataAccess, DataAccess)>),
}

/// One principal's changes in tree order, in chunks: one per subtree at
/// package depth and one per resource above it, so that an edit rebuilds
/// only the chunks its region touches and shares the rest with the previous
/// evaluation. Principals that change alike share one `Changes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes(Arc<[Chunk]>);

/// The changes within one chunk, in tree order (never empty).
type Chunk = Arc<[(ResourceIdx, Delta)]>;

/// Resources at this depth or above head a chunk (studio or service 0,
/// space or pool 1, package or model 2).
const CHUNK_DEPTH: u8 = 2;

impl Changes {
    /// Every change, in tree order.
    pub fn iter(&self) -> impl Iterator<Item = &(ResourceIdx, Delta)> {
        self.0.iter().flat_map(|c| c.iter())
    }
    pub fn len(&self) -> usize {
        self.0.iter().map(|c| c.len()).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Whether both are the one list principals that change alike share.
    pub fn same(&self, other: &Changes) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
    fn key(&self) -> usize {
        self.0.as_ptr() as usize
    }
}

/// The resource heading the chunk `r` belongs to.
fn chunk_of(team: &Team, mut r: ResourceIdx) -> ResourceIdx {
    while team.resource(r).depth > CHUNK_DEPTH {
        match team.resource(r).parent {
            Some(p) => r = p,
            None => break,
        }
    }
    r
}

/// The impact as an edit session holds it: each changed principal with its
/// changes, lists shared by principals that change alike (a group toggle on
/// 2,000 assets is one list for all its members, not one per member).
/// [`HeldImpact::update`] recomputes only what one edit can change; the
/// per-principal, string-keyed [`Impact`] is produced on request.
#[derive(Debug, Clone, Default)]
pub struct HeldImpact {
    changes: FxHashMap<PrincipalIdx, Changes>,
    pub warnings: Vec<Problem>,
    /// What the grant warnings checked, reused by the next update.
    checks: GrantChecks,
}

/// Equal when the changes and warnings are (the checks are a cache).
impl PartialEq for HeldImpact {
    fn eq(&self, other: &HeldImpact) -> bool {
        self.changes == other.changes && self.warnings == other.warnings
    }
}

impl HeldImpact {
    /// Whether nobody's values change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many principals' values change.
    pub fn principal_count(&self) -> usize {
        self.changes.len()
    }

    /// The changes of `p`, if its values change.
    pub fn changes_of(&self, p: PrincipalIdx) -> Option<&Changes> {
        self.changes.get(&p)
    }

    /// Every changed principal with its changes (in no particular order).
    pub fn principals(&self) -> impl Iterator<Item = (PrincipalIdx, &Changes)> {
        self.changes.iter().map(|(&p, c)| (p, c))
    }

    /// Principals that change alike, each class with its list (principals
    /// sorted by index; classes in no particular order).
    pub fn classes(&self) -> Vec<(Changes, Vec<PrincipalIdx>)> {
        let mut by_list: FxHashMap<usize, (Changes, Vec<PrincipalIdx>)> = FxHashMap::default();
        for (&p, c) in &self.changes {
            by_list
                .entry(c.key())
                .or_insert_with(|| (c.clone(), Vec::new()))
                .1
                .push(p);
        }
        by_list
            .into_values()
            .map(|(c, mut ps)| {
                ps.sort_unstable();
                (c, ps)
            })
            .collect()
    }

    pub fn has_warning(&self, code: Code) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }

    /// The impact of `prepared` (the change set `ops` as `actor`), given that
    /// `self` is the impact of the change set whose overlay was `old`. Only
    /// principals and resources where the two change sets differ are
    /// evaluated again; the rest is kept (and stays shared).
    pub fn update(
        &self,
        team: &Team,
        actor: PrincipalIdx,
        ops: &[Op],
        old: &Overlay,
        prepared: &Prepared,
    ) -> HeldImpact {
        self.updating(team, actor, ops, old, prepared).finish()
    }

    /// [`HeldImpact::update`] to be computed in steps ([`ImpactUpdate::step`]).
    pub fn updating<'a>(
        &'a self,
        team: &'a Team,
        actor: PrincipalIdx,
        ops: &'a [Op],
        old: &Overlay,
        prepared: &'a Prepared,
    ) -> ImpactUpdate<'a> {
        let delta = OverlayDelta::between(team, old, &prepared.overlay);
        let classes = (!delta.is_empty()).then(|| Classes::of(team, &delta, prepared));
        ImpactUpdate {
            from: self,
            team,
            actor,
            ops,
            prepared,
            delta,
            changes: self.changes.clone(),
            classes,
        }
    }

    /// The impact one principal at a time, as the API and the golden format
    /// give it: every (resource, change) with the ids of the principals it
    /// applies to, in tree order.
    pub fn to_impact(&self, team: &Team) -> Impact {
        let classes = self.classes();
        // Principals in id order, so lists merge by number, not by string.
        let mut ranked: Vec<PrincipalIdx> = self.changes.keys().copied().collect();
        ranked.sort_unstable_by_key(|&p| team.id_rank(p));
        let mut rank = vec![0u32; team.principals.len()];
        for (i, &p) in ranked.iter().enumerate() {
            rank[p.index()] = i as u32;
        }
        let groups: Vec<(&Changes, Vec<u32>)> = classes
            .iter()
            .map(|(c, ps)| {
                let mut ranks: Vec<u32> = ps.iter().map(|p| rank[p.index()]).collect();
                ranks.sort_unstable();
                (c, ranks)
            })
            .collect();
        Impact {
            entries: entries(team, &groups, &ranked),
            warnings: self.warnings.clone(),
        }
    }
}

/// An update of a [`HeldImpact`] computed a class of principals at a time
/// (principals that evaluate alike), so that a page can spread a large one
/// over several tasks and drop it when the change set moves on meanwhile.
/// [`ImpactUpdate::finish`] gives what [`HeldImpact::update`] does.
pub struct ImpactUpdate<'a> {
    from: &'a HeldImpact,
    team: &'a Team,
    actor: PrincipalIdx,
    ops: &'a [Op],
    prepared: &'a Prepared,
    delta: OverlayDelta,
    changes: FxHashMap<PrincipalIdx, Changes>,
    /// `None` when the two change sets lay the same overlay.
    classes: Option<Classes<'a>>,
}

/// The classes of principals an update has still to evaluate, and what the
/// evaluated ones leave for the next.
struct Classes<'a> {
    region: Region,
    before: View<'a>,
    after: View<'a>,
    /// Each class's members; evaluated from the end.
    left: Vec<Vec<PrincipalIdx>>,
    inside: Vec<bool>,
    /// How many resources are inside (each class's walk visits them).
    size: usize,
    /// Classes often come out alike: each distinct list is kept once.
    distinct: Vec<Vec<(ResourceIdx, Delta)>>,
    /// (the old list, the new region's list) → the merged list, so that
    /// principals which changed alike and still do share one.
    made: FxHashMap<(usize, usize), Option<Changes>>,
    shared: SharedSubtrees,
    /// The length of the last class's list: the next is often about as long.
    last_len: usize,
}

impl<'a> Classes<'a> {
    fn of(team: &'a Team, delta: &OverlayDelta, prepared: &'a Prepared) -> Classes<'a> {
        let region = Region::of(team, delta, prepared);
        let mut by_key: FxHashMap<ClassKey, Vec<PrincipalIdx>> = FxHashMap::default();
        for p in delta.affected(team) {
            by_key.entry(region.class_key(team, p)).or_default().push(p);
        }
        let inside = region.resources(team);
        Classes {
            size: inside.iter().filter(|&&i| i).count(),
            region,
            before: team.view(),
            after: View::with_overlay(team, &prepared.overlay),
            left: by_key.into_values().collect(),
            inside,
            distinct: Vec::new(),
            made: FxHashMap::default(),
            shared: SharedSubtrees::default(),
            last_len: 0,
        }
    }

    /// Evaluates one class (`members`) and sets its members' changes.
    fn evaluate(
        &mut self,
        members: &[PrincipalIdx],
        old_changes: &FxHashMap<PrincipalIdx, Changes>,
        changes: &mut FxHashMap<PrincipalIdx, Changes>,
    ) {
        let team = self.before.team;
        let mut out = Fresh {
            changes: Vec::with_capacity(self.last_len),
            copies: Vec::new(),
        };
        let walk = Walk::of(self.before, self.after, members[0]);
        self.region.diff(&walk, &mut self.shared, &mut out);
        let Fresh {
            changes: mut fresh,
            mut copies,
        } = out;
        self.last_len = fresh.len();
        if !fresh.is_sorted_by(|a, b| by_tree(team, a, b).is_le()) {
            copies.clear();
            fresh.sort_unstable_by(|a, b| by_tree(team, a, b));
        }
        let class = match self.distinct.iter().position(|d| *d == fresh) {
            Some(i) => i,
            None => {
                self.distinct.push(fresh);
                self.distinct.len() - 1
            }
        };
        for &p in members {
            let old = old_changes.get(&p);
            let key = (old.map_or(0, Changes::key), class);
            let list = self
                .made
                .entry(key)
                .or_insert_with(|| {
                    let fresh = (self.distinct[class].as_slice(), copies.as_slice());
                    let chunks = &mut self.shared.chunks;
                    merged(team, &self.region, old, &self.inside, fresh, chunks)
                })
                .clone();
            match list {
                Some(list) => changes.insert(p, list),
                None => changes.remove(&p),
            };
        }
    }
}

impl ImpactUpdate<'_> {
    /// How many classes of principals are still to be evaluated.
    pub fn classes_left(&self) -> usize {
        self.classes.as_ref().map_or(0, |c| c.left.len())
    }

    /// How many resources each class's evaluation walks (at most: the
    /// parts several classes share are walked once): what one class costs.
    pub fn walk_size(&self) -> usize {
        self.classes.as_ref().map_or(0, |c| c.size)
    }

    /// Evaluates classes until none is left or `more` says to stop (asked
    /// after each class: at least one is evaluated). Whether none is left.
    pub fn step(&mut self, mut more: impl FnMut() -> bool) -> bool {
        let Some(classes) = self.classes.as_mut() else {
            return true;
        };
        while let Some(members) = classes.left.pop() {
            classes.evaluate(&members, &self.from.changes, &mut self.changes);
            if !more() {
                break;
            }
        }
        classes.left.is_empty()
    }

    /// The updated impact: the classes left, then the warnings.
    pub fn finish(mut self) -> HeldImpact {
        self.step(|| true);
        let (team, prepared) = (self.team, self.prepared);
        let mut warnings = prepared.warnings.0.clone();
        let differ: Vec<ResourceIdx> = self.delta.grants.iter().map(|&(r, _)| r).collect();
        let (found, checks) =
            grant_warnings(team, self.ops, prepared, (&self.from.checks, &differ));
        warnings.extend(found);
        warnings.extend(self_lockout(team, prepared, self.actor));
        warnings.extend(team.warnings.warnings().cloned());
        HeldImpact {
            changes: self.changes,
            warnings,
            checks,
        }
    }
}

/// Orders changes by tree position, then by change.
fn by_tree(team: &Team, a: &(ResourceIdx, Delta), b: &(ResourceIdx, Delta)) -> std::cmp::Ordering {
    (team.tree_pos(a.0), &a.1).cmp(&(team.tree_pos(b.0), &b.1))
}

/// `old` without what lies in the region, with `fresh` (the region's new
/// changes, in tree order) merged in; `None` when nothing is left. Chunks
/// the region does not touch are kept as they are (shared).
fn merged(
    team: &Team,
    region: &Region,
    old: Option<&Changes>,
    inside: &[bool],
    (fresh, copies): (&[(ResourceIdx, Delta)], &[Copied]),
    chunks: &mut FxHashMap<(usize, usize), Chunk>,
) -> Option<Changes> {
    // `fresh` in runs of one chunk each (a chunk's resources are contiguous in tree order).
    let mut runs: Vec<(ResourceIdx, Range<usize>)> = Vec::new();
    let mut start = 0;
    while let Some(&(first, _)) = fresh.get(start) {
        let root = chunk_of(team, first);
        let whole_subtree = team.resource(root).depth == CHUNK_DEPTH;
        let n = fresh[start..]
            .iter()
            .take_while(|&&(r, _)| r == root || whole_subtree && team.is_ancestor_or_self(root, r))
            .count();
        runs.push((root, start..start + n));
        start += n;
    }
    // A run copied whole from a shared subtree is the same chunk for every
    // class that copied it: made once.
    let mut chunk_of_run = |run: Range<usize>| -> Chunk {
        match shared_at(copies, run.clone()) {
            Some(from) => chunks
                .entry((from, run.len()))
                .or_insert_with(|| fresh[run].into())
                .clone(),
            None => fresh[run].into(),
        }
    };
    let mut out: Vec<(u32, Chunk)> = Vec::new();
    for chunk in old.into_iter().flat_map(|o| o.0.iter()) {
        let root = chunk_of(team, chunk[0].0);
        let run = runs
            .iter()
            .position(|x| x.0 == root)
            .map(|i| &fresh[runs.swap_remove(i).1]);
        if run.is_none() && !region.touches(team, root) {
            out.push((team.tree_pos(root), chunk.clone()));
            continue;
        }
        let kept = chunk.iter().filter(|(r, _)| !inside[r.index()]);
        let list = merge_in_order(team, kept, run.unwrap_or_default());
        if !list.is_empty() {
            out.push((team.tree_pos(root), list.into()));
        }
    }
    out.extend(
        runs.into_iter()
            .map(|(root, run)| (team.tree_pos(root), chunk_of_run(run))),
    );
    out.sort_unstable_by_key(|x| x.0);
    (!out.is_empty()).then(|| Changes(out.into_iter().map(|x| x.1).collect()))
}

/// Two runs of changes in tree order, as one.
fn merge_in_order<'a>(
    team: &Team,
    kept: impl Iterator<Item = &'a (ResourceIdx, Delta)>,
    fresh: &[(ResourceIdx, Delta)],
) -> Vec<(ResourceIdx, Delta)> {
    let mut out: Vec<(ResourceIdx, Delta)> = Vec::with_capacity(fresh.len());
    let mut fresh = fresh.iter().peekable();
    for x in kept {
        while let Some(f) = fresh.next_if(|f| by_tree(team, f, x).is_lt()) {
            out.push(f.clone());
        }
        out.push(x.clone());
    }
    out.extend(fresh.cloned());
    out
}

/// Every (resource, change) with the principals it applies to, in tree order.
/// `groups`: each list of changes with the ranks (into `ranked`) of its principals.
fn entries(
    team: &Team,
    groups: &[(&Changes, Vec<u32>)],
    ranked: &[PrincipalIdx],
) -> Vec<ImpactEntry> {
    let key = |r: ResourceIdx, d: &Delta| {
        let low = match d {
            Delta::Cap { cap, after } => (u64::from(*cap) << 1) | u64::from(*after),
            Delta::Data(_) => 0x3ff,
        };
        (u64::from(team.tree_pos(r)) << 10) | low
    };
    let mut found: Vec<(u64, &Delta, ResourceIdx, u32)> = groups
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
            change: change_of(team, r, d),
        });
        i = j;
    }
    entries
}

/// A change in the words of the API.
fn change_of(team: &Team, r: ResourceIdx, d: &Delta) -> Change {
    match d {
        Delta::Cap { cap, after } => Change::Capability {
            capability: team.kind_of(r).caps[*cap as usize].id.clone(),
            before: !after,
            after: *after,
        },
        Delta::Data(b) => Change::DataAccess {
            before: b.0.clone(),
            after: b.1.clone(),
        },
    }
}

/// Where two change sets differ: the grants (resource, grantee) and the data
/// models whose values in one are not those in the other.
struct OverlayDelta {
    grants: Vec<(ResourceIdx, PrincipalIdx)>,
    models: Vec<ResourceIdx>,
}

impl OverlayDelta {
    fn between(team: &Team, old: &Overlay, new: &Overlay) -> OverlayDelta {
        let (a, b) = (View::with_overlay(team, old), View::with_overlay(team, new));
        let mut grants: Vec<(ResourceIdx, PrincipalIdx)> = old
            .grants
            .keys()
            .chain(new.grants.keys())
            .copied()
            .filter(|&(r, p)| a.grant(r, p) != b.grant(r, p))
            .collect();
        grants.sort_unstable();
        grants.dedup();
        let mut models: Vec<ResourceIdx> = old
            .data
            .keys()
            .chain(new.data.keys())
            .copied()
            .filter(|&m| a.data_permissions(m) != b.data_permissions(m))
            .collect();
        models.sort_unstable();
        models.dedup();
        OverlayDelta { grants, models }
    }

    fn is_empty(&self) -> bool {
        self.grants.is_empty() && self.models.is_empty()
    }

    /// Principals whose values may differ: the grantees and, for a group,
    /// its members; everyone when data permissions differ.
    fn affected(&self, team: &Team) -> Vec<PrincipalIdx> {
        let listed = |p: PrincipalIdx| team.principal(p).is_listed_in_impact();
        let mut v: Vec<PrincipalIdx> = if self.models.is_empty() {
            let mut v = Vec::new();
            for &(_, g) in &self.grants {
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
        v.sort_unstable();
        v.dedup();
        v
    }
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
    /// Resources in the subtrees whose grants or data permissions change: a
    /// walk never stops above one of them.
    changed: FxHashSet<ResourceIdx>,
    /// Resources with a changed resource strictly below them.
    above_changed: FxHashSet<ResourceIdx>,
    /// Only data permissions change (no grant does).
    data_only: bool,
    /// Data models with data permissions (before or after) and their
    /// ancestors: their subtrees hold values of each principal's own.
    above_data: FxHashSet<ResourceIdx>,
}

/// One principal's walk through a [`Region`], both views at once.
struct Walk<'a> {
    before: View<'a>,
    after: View<'a>,
    p: PrincipalIdx,
    role: Role,
    /// The resources where `p` or one of its groups holds a grant, before or
    /// after, and their ancestors: with [`Region::above_data`], the only
    /// subtrees that hold values of `p`'s own. Found when first asked (most
    /// walks are short); `None` for an OAuth client (its scopes are its
    /// own): it shares nothing.
    own: OnceCell<Option<FxHashSet<ResourceIdx>>>,
}

impl<'a> Walk<'a> {
    fn of(before: View<'a>, after: View<'a>, p: PrincipalIdx) -> Walk<'a> {
        Walk {
            before,
            after,
            p,
            role: before.team.principal(p).role,
            own: OnceCell::new(),
        }
    }

    fn own(&self) -> Option<&FxHashSet<ResourceIdx>> {
        let team = self.before.team;
        let info = team.principal(self.p);
        let grantees = &info.grantees;
        let found = || {
            let overlay = self.after.overlay.map(|o| &o.grants);
            let held = grantees
                .iter()
                .flat_map(|&g| team.granted_on(g).iter().copied())
                .chain(
                    overlay
                        .into_iter()
                        .flat_map(|o| o.keys())
                        .filter(|(_, g)| grantees.binary_search(g).is_ok())
                        .map(|&(r, _)| r),
                );
            let mut own = FxHashSet::default();
            for r in held {
                insert_upwards(team, &mut own, Some(r));
            }
            own
        };
        self.own
            .get_or_init(|| info.scope_masks.is_none().then(found))
            .as_ref()
    }

    /// Whether `r`'s subtree evaluates for `p` as for anyone of its role
    /// with the same context above.
    fn shares(&self, region: &Region, r: ResourceIdx) -> bool {
        !region.above_data.contains(&r) && self.own().is_some_and(|own| !own.contains(&r))
    }
}

/// The changes in subtrees where a principal holds nothing of its own,
/// keyed by the subtree's root, the contexts above it before and after,
/// and the role: other classes with the same key reuse them instead of
/// walking the subtree again (a grant at the top of a large tree changes
/// every class's values, mostly alike).
#[derive(Default)]
struct SharedSubtrees {
    diffs: Vec<(ResourceIdx, Delta)>,
    at: FxHashMap<(ResourceIdx, Ctx, Ctx, Role), Range<usize>>,
    /// The chunks made of a stretch of `diffs`, by its start and length.
    chunks: FxHashMap<(usize, usize), Chunk>,
}

/// A stretch of a class's changes that is a copy of `SharedSubtrees::diffs`
/// from `from` on.
type Copied = (Range<usize>, usize);

/// One class's changes as its walk finds them, and which stretches of them
/// are copies of shared subtrees' (in order, not overlapping).
struct Fresh {
    changes: Vec<(ResourceIdx, Delta)>,
    copies: Vec<Copied>,
}

impl Fresh {
    /// Appends `shared[from]`.
    fn copy(&mut self, shared: &[(ResourceIdx, Delta)], from: Range<usize>) {
        if from.is_empty() {
            return;
        }
        let at = self.changes.len();
        self.changes.extend_from_slice(&shared[from.clone()]);
        self.copies.push((at..self.changes.len(), from.start));
    }

    /// Records that the changes from `at` on are a copy of the shared
    /// diffs from `from` on (a subtree just kept), in place of the copies
    /// within them.
    fn copied(&mut self, at: usize, from: usize) {
        while self.copies.last().is_some_and(|(r, _)| r.start >= at) {
            self.copies.pop();
        }
        if at < self.changes.len() {
            self.copies.push((at..self.changes.len(), from));
        }
    }
}

/// Where the changes `run` lie in the shared diffs, if they are a copy.
fn shared_at(copies: &[Copied], run: Range<usize>) -> Option<usize> {
    let i = copies.partition_point(|(r, _)| r.end <= run.start);
    let (r, from) = copies.get(i)?;
    (r.start <= run.start && run.end <= r.end).then(|| from + (run.start - r.start))
}

impl Region {
    fn of(team: &Team, delta: &OverlayDelta, prepared: &Prepared) -> Region {
        let grant_res: Vec<ResourceIdx> = {
            let mut v: Vec<ResourceIdx> = delta.grants.iter().map(|&(r, _)| r).collect();
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
        let models = delta.models.clone();

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
            team.subtree(t).iter().copied().for_each(&mut add);
        }
        for &l in &lookdown {
            team.path_to(l).into_iter().for_each(&mut add);
            team.resource(l).children.iter().copied().for_each(&mut add);
        }
        for &m in &models {
            team.path_to(m).into_iter().for_each(&mut add);
        }
        let after = View::with_overlay(team, &prepared.overlay);
        let data_only =
            delta.grants.is_empty() && prepared.overlay.grants.is_empty() && models.len() <= 64;
        let mut relevant: FxHashSet<PrincipalIdx> = prepared
            .overlay
            .grants
            .keys()
            .chain(&delta.grants)
            .map(|&(_, p)| p)
            .collect();
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
        // Every resource the whole change set touches in the subtrees walked,
        // not only this delta: walks must reach grants changed by earlier
        // edits further down.
        let changed: FxHashSet<ResourceIdx> = (grant_res.iter().chain(&models))
            .chain(prepared.overlay.grants.keys().map(|(r, _)| r))
            .chain(prepared.overlay.data.keys())
            .copied()
            .filter(|&r| tops.iter().any(|&t| team.is_ancestor_or_self(t, r)))
            .collect();
        let mut above_changed = FxHashSet::default();
        for &c in &changed {
            insert_upwards(team, &mut above_changed, team.resource(c).parent);
        }
        let mut above_data = FxHashSet::default();
        for m in team
            .models_with_data()
            .chain(prepared.overlay.data.keys().copied())
        {
            insert_upwards(team, &mut above_data, Some(m));
        }
        Region {
            tops,
            lookdown,
            models,
            relevant,
            changed,
            above_changed,
            data_only,
            above_data,
        }
    }

    /// Whether the region may cover resources of the chunk headed by `root`.
    fn touches(&self, team: &Team, root: ResourceIdx) -> bool {
        self.tops
            .iter()
            .any(|&t| team.is_ancestor_or_self(t, root) || team.is_ancestor_or_self(root, t))
            || self
                .lookdown
                .iter()
                .chain(&self.models)
                .any(|&r| chunk_of(team, r) == root)
    }

    /// Which resources the region covers (indexed by resource): the ones
    /// [`Region::diff`] evaluates.
    fn resources(&self, team: &Team) -> Vec<bool> {
        let mut inside = vec![false; team.resources.len()];
        for &t in &self.tops {
            for r in team.subtree(t) {
                inside[r.index()] = true;
            }
        }
        for &r in self.lookdown.iter().chain(&self.models) {
            inside[r.index()] = true;
        }
        inside
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

    /// Every change of the walk's principal's values between the two
    /// views, in the region.
    fn diff(&self, w: &Walk, shared: &mut SharedSubtrees, out: &mut Fresh) {
        let (before, after, p) = (w.before, w.after, w.p);
        let team = before.team;
        for &t in &self.tops {
            let path = team.path_to(t);
            let parent = &path[..path.len() - 1];
            let (b, a) = (before.ctx_along(p, parent), after.ctx_along(p, parent));
            self.diff_walk(w, shared, t, (b.last(), a.last()), out);
        }
        for &r in self.lookdown.iter().chain(self.models.iter()) {
            if self.tops.iter().any(|&t| team.is_ancestor_or_self(t, r)) {
                continue;
            }
            let path = team.path_to(r);
            let (b, a) = (before.ctx_along(p, &path), after.ctx_along(p, &path));
            if let (Some(b), Some(a)) = (b.last(), a.last()) {
                push_diffs(before, after, p, r, b, a, &mut out.changes);
            }
        }
    }

    /// Both views down the subtree of `r` at once, given the parent's
    /// contexts before and after. Below a resource where `p` evaluates the
    /// same before and after, nothing changes unless the change set touches
    /// grants further down: such subtrees are skipped.
    fn diff_walk(
        &self,
        w: &Walk,
        shared: &mut SharedSubtrees,
        r: ResourceIdx,
        (bp, ap): (Option<&Ctx>, Option<&Ctx>),
        out: &mut Fresh,
    ) {
        let (before, after, p) = (w.before, w.after, w.p);
        let (b, a) = (before.ctx(p, r, bp), after.ctx(p, r, ap));
        push_diffs(before, after, p, r, &b, &a, &mut out.changes);
        if b == a && !self.above_changed.contains(&r) {
            return;
        }
        // Leaves where `p` holds nothing evaluate alike per kind: compute
        // each kind once per parent (a package's 100 assets → ≤ 6).
        let team = before.team;
        let grantees = &team.principal(p).grantees;
        let holds = |c: ResourceIdx| {
            let on = team.grantees_on(c);
            !on.is_empty() && grantees.iter().any(|g| on.binary_search(g).is_ok())
        };
        let mut same: Vec<(crate::model::catalog::KindIdx, Ctx, Ctx)> = Vec::new();
        for &c in &team.resource(r).children {
            let res = team.resource(c);
            let plain = res.children.is_empty()
                && !self.changed.contains(&c)
                && !team.kind_of(c).reads_children
                && !holds(c);
            if !plain {
                let key = w.shares(self, c).then_some((c, b, a, w.role));
                if let Some(kept) = key.as_ref().and_then(|k| shared.at.get(k)) {
                    out.copy(&shared.diffs, kept.clone());
                    continue;
                }
                let start = out.changes.len();
                self.diff_walk(w, shared, c, (Some(&b), Some(&a)), out);
                if let Some(key) = key {
                    let kept = shared.diffs.len();
                    shared.diffs.extend_from_slice(&out.changes[start..]);
                    shared.at.insert(key, kept..shared.diffs.len());
                    out.copied(start, kept);
                }
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
            push_diffs(before, after, p, c, &cb, &ca, &mut out.changes);
        }
    }
}

/// Adds `from` and its ancestors to `set`, up to one already in it (so
/// are the ones above that).
fn insert_upwards(team: &Team, set: &mut FxHashSet<ResourceIdx>, from: Option<ResourceIdx>) {
    let mut up = from;
    while let Some(r) = up.filter(|&r| set.insert(r)) {
        up = team.resource(r).parent;
    }
}

fn push_diffs(
    before: View,
    after: View,
    p: PrincipalIdx,
    r: ResourceIdx,
    b: &Ctx,
    a: &Ctx,
    out: &mut Vec<(ResourceIdx, Delta)>,
) {
    for i in (b.caps ^ a.caps).indexes() {
        out.push((
            r,
            Delta::Cap {
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
            out.push((r, Delta::Data(Box::new((db, da)))));
        }
    }
}
