//! [`Team`]: a validated snapshot with the indexes the evaluator needs
//! (ids to dense indexes, the tree, grants as flag bit sets), and [`View`]:
//! the team as it is, or with a pending change set laid over it.

use crate::model::bits::FlagSet;
use crate::model::catalog::{Compiled, KindIdx};
use crate::model::problem::Problems;
use crate::model::snapshot::{DataPermissions, Origin, Role, Snapshot};
use crate::model::validate::{validate_placing, PrincipalType};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Dense index of a principal in [`Team::principals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrincipalIdx(pub u32);

/// Dense index of a resource in [`Team::resources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceIdx(pub u32);

impl PrincipalIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The indexes of `len` principals, in order.
    pub fn first(len: usize) -> impl DoubleEndedIterator<Item = PrincipalIdx> {
        (0..len as u32).map(PrincipalIdx)
    }
}

/// As a number, for element ids and keys.
impl std::fmt::Display for PrincipalIdx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// As a number, for element ids and keys.
impl std::fmt::Display for ResourceIdx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResourceIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The indexes of `len` resources, in order.
    pub fn first(len: usize) -> impl DoubleEndedIterator<Item = ResourceIdx> {
        (0..len as u32).map(ResourceIdx)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalInfo {
    pub id: String,
    pub name: String,
    pub ptype: PrincipalType,
    /// The role it evaluates with: for a user the highest of its own and its
    /// groups'; for a group its own; `analyst` for applications and OAuth
    /// clients; an API key's owner's.
    pub role: Role,
    /// Whose grants it holds, sorted: itself and its groups (an API key: its
    /// owner's set).
    pub grantees: Vec<PrincipalIdx>,
    /// For a user: its groups. For a group: its members.
    pub related: Vec<PrincipalIdx>,
    /// For an API key: its owner.
    pub owner: Option<PrincipalIdx>,
    /// For an OAuth client: allowed flags per kind.
    pub scope_masks: Option<Box<[FlagSet]>>,
}

impl PrincipalInfo {
    /// Users, applications and OAuth clients are listed in an impact;
    /// groups are expanded and API keys follow their owners.
    pub fn is_listed_in_impact(&self) -> bool {
        matches!(
            self.ptype,
            PrincipalType::User | PrincipalType::Application | PrincipalType::OAuthClient
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceInfo {
    pub id: String,
    pub name: String,
    pub kind: KindIdx,
    pub parent: Option<ResourceIdx>,
    pub children: Vec<ResourceIdx>,
    pub depth: u8,
}

/// Direct grants of one principal on one resource.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrantBits {
    pub manual: FlagSet,
    pub creator: FlagSet,
}

impl GrantBits {
    pub fn all(self) -> FlagSet {
        self.manual | self.creator
    }
}

static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_uid() -> u64 {
    NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A validated snapshot, indexed. Immutable: edits are change sets laid over
/// it ([`View`]) and [`Team::apply`] builds the next team.
#[derive(Debug, Clone)]
pub struct Team {
    pub catalog: Arc<Compiled>,
    pub snapshot: Snapshot,
    // What a change set never changes is shared by the teams built from one
    // another (`Team::next`): an `Arc` each, read through as the value.
    pub principals: Arc<Vec<PrincipalInfo>>,
    pub resources: Arc<Vec<ResourceInfo>>,
    /// Resources in tree order (parents before children, siblings in snapshot order).
    pub tree_order: Arc<Vec<ResourceIdx>>,
    /// Each resource's position in `tree_order`.
    tree_pos: Arc<Vec<u32>>,
    /// Each principal's position when sorted by id: only the API's impact
    /// lists need it, so it is sorted when first asked for (shared by the
    /// teams saved from this one, which have the same principals).
    id_rank: Arc<std::sync::OnceLock<Vec<u32>>>,
    pub warnings: Problems,
    /// Distinct for every team built (a clone shares it: same content), so
    /// an evaluation cached for one team is never used for another.
    uid: u64,
    p_by_id: Arc<FxHashMap<String, PrincipalIdx>>,
    r_by_id: Arc<FxHashMap<String, ResourceIdx>>,
    grants: FxHashMap<(ResourceIdx, PrincipalIdx), GrantBits>,
    /// The resource and principal of each of the snapshot's grants.
    grant_keys: Vec<(ResourceIdx, PrincipalIdx)>,
    /// Principals with a direct grant on each resource, sorted.
    grantees_on: Vec<Vec<PrincipalIdx>>,
    /// Resources each principal holds a direct grant on.
    granted_on: Vec<Vec<ResourceIdx>>,
    /// Each resource's subtree is `tree_pos[r]..subtree_end[r]` in tree order.
    subtree_end: Arc<Vec<u32>>,
    data: FxHashMap<ResourceIdx, DataPermissions>,
}

/// Teams are equal when they hold the same: the same catalog, snapshot and
/// indexes (each team built has its own `uid`, so it is left out; `id_rank`
/// follows from the principals, sorted or not yet).
impl PartialEq for Team {
    fn eq(&self, o: &Team) -> bool {
        let Team {
            catalog,
            snapshot,
            principals,
            resources,
            tree_order,
            tree_pos,
            id_rank: _,
            warnings,
            uid: _,
            p_by_id,
            r_by_id,
            grants,
            grant_keys,
            grantees_on,
            granted_on,
            subtree_end,
            data,
        } = self;
        (Arc::ptr_eq(catalog, &o.catalog) || **catalog == *o.catalog)
            && *snapshot == o.snapshot
            && *principals == o.principals
            && *resources == o.resources
            && *tree_order == o.tree_order
            && *tree_pos == o.tree_pos
            && *warnings == o.warnings
            && *p_by_id == o.p_by_id
            && *r_by_id == o.r_by_id
            && *grants == o.grants
            && *grant_keys == o.grant_keys
            && *grantees_on == o.grantees_on
            && *granted_on == o.granted_on
            && *subtree_end == o.subtree_end
            && *data == o.data
    }
}

impl Team {
    /// Parses, validates and indexes a snapshot against the built-in catalog.
    pub fn from_json(json: &str) -> Result<Team, Problems> {
        Team::from_json_with(Arc::new(crate::model::Catalog::builtin()), json)
    }

    pub fn from_json_with(catalog: Arc<Compiled>, json: &str) -> Result<Team, Problems> {
        let snap = crate::model::read_snapshot(&catalog, json)?;
        Team::new(catalog, snap)
    }

    /// Validates and indexes; every problem is reported when it fails.
    pub fn new(catalog: Arc<Compiled>, snapshot: Snapshot) -> Result<Team, Problems> {
        let (problems, places) = validate_placing(&catalog, &snapshot);
        if problems.has_errors() {
            let mut errors = Problems(problems.errors().cloned().collect());
            errors.0.extend(problems.warnings().cloned());
            return Err(errors);
        }
        Ok(Team::index(catalog, snapshot, problems, &places))
    }

    /// Indexes a valid snapshot; `places` holds each grant's resource and
    /// principal (their places, as [`validate_placing`] found them).
    fn index(
        catalog: Arc<Compiled>,
        snapshot: Snapshot,
        warnings: Problems,
        places: &[(u32, u32)],
    ) -> Team {
        let d = &snapshot.directory;
        let count = d.principal_count();
        let mut principals = Vec::with_capacity(count);
        let mut p_by_id = FxHashMap::with_capacity_and_hasher(count, Default::default());
        let mut add = |id: &str, name: &str, ptype: PrincipalType, role: Role| {
            let idx = PrincipalIdx(principals.len() as u32);
            p_by_id.insert(id.to_string(), idx);
            principals.push(PrincipalInfo {
                id: id.to_string(),
                name: name.to_string(),
                ptype,
                role,
                grantees: vec![idx],
                related: Vec::new(),
                owner: None,
                scope_masks: None,
            });
        };
        for u in &d.users {
            add(&u.id, &u.name, PrincipalType::User, u.role);
        }
        for g in &d.groups {
            add(&g.id, &g.name, PrincipalType::Group, g.role);
        }
        for a in &d.applications {
            add(&a.id, &a.name, PrincipalType::Application, Role::Analyst);
        }
        for k in &d.api_keys {
            add(
                &k.id,
                k.name.as_deref().unwrap_or(&k.id),
                PrincipalType::ApiKey,
                Role::Member,
            );
        }
        for o in &d.oauth_clients {
            add(&o.id, &o.name, PrincipalType::OAuthClient, Role::Analyst);
        }
        for g in &d.groups {
            let gi = p_by_id[&g.id];
            for m in &g.members {
                let ui = p_by_id[m];
                if !principals[ui.index()].related.contains(&gi) {
                    principals[ui.index()].related.push(gi);
                    principals[ui.index()].grantees.push(gi);
                    principals[gi.index()].related.push(ui);
                }
                let grole = g.role;
                let u = &mut principals[ui.index()];
                u.role = u.role.max(grole);
            }
        }
        for p in &mut principals {
            p.grantees.sort_unstable();
        }
        for k in &d.api_keys {
            let ki = p_by_id[&k.id].index();
            let oi = p_by_id[&k.owner];
            let (grantees, role) = (
                principals[oi.index()].grantees.clone(),
                principals[oi.index()].role,
            );
            let key = &mut principals[ki];
            key.owner = Some(oi);
            key.grantees = grantees;
            key.role = role;
        }
        for o in &d.oauth_clients {
            let oi = p_by_id[&o.id].index();
            let masks: Box<[FlagSet]> = (0..catalog.kinds.len())
                .map(|k| catalog.scope_mask(&o.scopes, KindIdx(k as u16)))
                .collect();
            principals[oi].scope_masks = Some(masks);
        }

        let mut resources = Vec::with_capacity(snapshot.resources.len());
        let mut r_by_id =
            FxHashMap::with_capacity_and_hasher(snapshot.resources.len(), Default::default());
        for (i, r) in snapshot.resources.iter().enumerate() {
            r_by_id.insert(r.id.clone(), ResourceIdx(i as u32));
            resources.push(ResourceInfo {
                id: r.id.clone(),
                name: r.name.clone(),
                kind: catalog.kind_idx(&r.kind).unwrap_or(KindIdx(0)),
                parent: None,
                children: Vec::new(),
                depth: 0,
            });
        }
        for (i, r) in snapshot.resources.iter().enumerate() {
            if let Some(p) = r.parent.as_ref().and_then(|p| r_by_id.get(p)) {
                resources[i].parent = Some(*p);
                resources[p.index()].children.push(ResourceIdx(i as u32));
            }
        }
        let mut tree_order = Vec::with_capacity(resources.len());
        let mut stack: Vec<(ResourceIdx, u8)> = ResourceIdx::first(resources.len())
            .filter(|&r| resources[r.index()].parent.is_none())
            .rev()
            .map(|r| (r, 0))
            .collect();
        while let Some((r, depth)) = stack.pop() {
            resources[r.index()].depth = depth;
            tree_order.push(r);
            stack.extend(
                resources[r.index()]
                    .children
                    .iter()
                    .rev()
                    .map(|&c| (c, depth + 1)),
            );
        }

        let mut tree_pos = vec![0u32; resources.len()];
        for (i, &r) in tree_order.iter().enumerate() {
            tree_pos[r.index()] = i as u32;
        }
        let mut grants: FxHashMap<(ResourceIdx, PrincipalIdx), GrantBits> =
            FxHashMap::with_capacity_and_hasher(snapshot.grants.len(), Default::default());
        let mut grant_keys = Vec::with_capacity(snapshot.grants.len());
        let mut grantees_on = vec![Vec::new(); resources.len()];
        debug_assert_eq!(places.len(), snapshot.grants.len());
        for (g, &(r, p)) in snapshot.grants.iter().zip(places) {
            let (p, r) = (PrincipalIdx(p), ResourceIdx(r));
            debug_assert_eq!(principals[p.index()].id, g.principal, "validation's order");
            grant_keys.push((r, p));
            let kind = catalog.kind(resources[r.index()].kind);
            let bits = g
                .permissions
                .iter()
                .filter_map(|f| kind.perm_bit(f))
                .collect::<FlagSet>();
            let e = grants.entry((r, p)).or_default();
            match g.origin {
                Origin::Manual => e.manual |= bits,
                Origin::Creator => e.creator |= bits,
            }
            grantees_on[r.index()].push(p);
        }
        let mut granted_on = vec![Vec::new(); principals.len()];
        for v in &mut grantees_on {
            v.sort_unstable();
            v.dedup();
        }
        for (r, ps) in grantees_on.iter().enumerate() {
            for p in ps {
                granted_on[p.index()].push(ResourceIdx(r as u32));
            }
        }
        let mut subtree_end: Vec<u32> = tree_pos.iter().map(|&p| p + 1).collect();
        for &r in tree_order.iter().rev() {
            let res = &resources[r.index()];
            for c in &res.children {
                subtree_end[r.index()] = subtree_end[r.index()].max(subtree_end[c.index()]);
            }
        }
        let data = snapshot
            .data_permissions
            .iter()
            .map(|dp| (r_by_id[&dp.data_model], dp.clone()))
            .collect();
        Team {
            catalog,
            snapshot,
            principals: Arc::new(principals),
            resources: Arc::new(resources),
            tree_order: Arc::new(tree_order),
            tree_pos: Arc::new(tree_pos),
            id_rank: Arc::default(),
            warnings,
            uid: next_uid(),
            p_by_id: Arc::new(p_by_id),
            r_by_id: Arc::new(r_by_id),
            grants,
            grant_keys,
            grantees_on,
            granted_on,
            subtree_end: Arc::new(subtree_end),
            data,
        }
    }

    /// The team after `overlay`, a checked change set ([`super::change::prepare`]),
    /// whose grants (and their keys) and data permissions `snapshot` holds. Equal to
    /// `Team::new` of `snapshot` (the test
    /// `a_team_applied_is_the_team_built_from_its_snapshot`), without
    /// validating and indexing it all again: a change set changes no
    /// principal, resource or group, so what is built from them (and the
    /// warnings about them) is this team's, and the grants' indexes are this
    /// team's with the changed pairs replaced.
    pub(crate) fn next(
        &self,
        snapshot: Snapshot,
        grant_keys: Vec<(ResourceIdx, PrincipalIdx)>,
        overlay: &Overlay,
    ) -> Team {
        let mut grants = self.grants.clone();
        let mut grantees_on = self.grantees_on.clone();
        let mut granted_on = self.granted_on.clone();
        for (&(r, p), bits) in &overlay.grants {
            // As the snapshot holds them: creator entries, then the manual rest.
            let bits = GrantBits {
                creator: bits.creator,
                manual: bits.manual & !bits.creator,
            };
            let (on_r, of_p) = (&mut grantees_on[r.index()], &mut granted_on[p.index()]);
            if bits.all().is_empty() {
                grants.remove(&(r, p));
                remove_sorted(on_r, p);
                remove_sorted(of_p, r);
            } else {
                grants.insert((r, p), bits);
                insert_sorted(on_r, p);
                insert_sorted(of_p, r);
            }
        }
        let data = snapshot
            .data_permissions
            .iter()
            .filter_map(|dp| Some((self.resource_idx(&dp.data_model)?, dp.clone())))
            .collect();
        Team {
            catalog: self.catalog.clone(),
            snapshot,
            principals: self.principals.clone(),
            resources: self.resources.clone(),
            tree_order: self.tree_order.clone(),
            tree_pos: self.tree_pos.clone(),
            id_rank: self.id_rank.clone(),
            warnings: self.warnings.clone(),
            uid: next_uid(),
            p_by_id: self.p_by_id.clone(),
            r_by_id: self.r_by_id.clone(),
            grants,
            grant_keys,
            grantees_on,
            granted_on,
            subtree_end: self.subtree_end.clone(),
            data,
        }
    }

    /// The resource and principal of each of the snapshot's grants.
    pub(crate) fn grant_keys(&self) -> &[(ResourceIdx, PrincipalIdx)] {
        &self.grant_keys
    }

    /// This team's identity (see the field).
    pub fn uid(&self) -> u64 {
        self.uid
    }
    /// The position of `p` among all principals sorted by id.
    pub fn id_rank(&self, p: PrincipalIdx) -> u32 {
        self.id_rank.get_or_init(|| {
            let principals = &self.principals;
            let mut by_id: Vec<PrincipalIdx> = PrincipalIdx::first(principals.len()).collect();
            by_id.sort_unstable_by(|a, b| principals[a.index()].id.cmp(&principals[b.index()].id));
            let mut rank = vec![0u32; principals.len()];
            for (i, &p) in by_id.iter().enumerate() {
                rank[p.index()] = i as u32;
            }
            rank
        })[p.index()]
    }
    /// The position of `r` in [`Team::tree_order`].
    pub fn tree_pos(&self, r: ResourceIdx) -> u32 {
        self.tree_pos[r.index()]
    }
    pub fn principal_idx(&self, id: &str) -> Option<PrincipalIdx> {
        self.p_by_id.get(id).copied()
    }
    pub fn resource_idx(&self, id: &str) -> Option<ResourceIdx> {
        self.r_by_id.get(id).copied()
    }
    pub fn principal(&self, p: PrincipalIdx) -> &PrincipalInfo {
        &self.principals[p.index()]
    }
    pub fn resource(&self, r: ResourceIdx) -> &ResourceInfo {
        &self.resources[r.index()]
    }
    pub fn kind_of(&self, r: ResourceIdx) -> &crate::model::catalog::CompiledKind {
        self.catalog.kind(self.resources[r.index()].kind)
    }
    /// Direct grants of `p` itself (not its groups) on `r`.
    pub fn grant_bits(&self, r: ResourceIdx, p: PrincipalIdx) -> GrantBits {
        self.grants.get(&(r, p)).copied().unwrap_or_default()
    }
    pub fn grantees_on(&self, r: ResourceIdx) -> &[PrincipalIdx] {
        &self.grantees_on[r.index()]
    }
    /// Resources `p` itself (not its groups) holds a direct grant on.
    pub fn granted_on(&self, p: PrincipalIdx) -> &[ResourceIdx] {
        &self.granted_on[p.index()]
    }
    pub fn data_permissions(&self, r: ResourceIdx) -> Option<&DataPermissions> {
        self.data.get(&r)
    }
    /// The data models that have data permissions.
    pub fn models_with_data(&self) -> impl Iterator<Item = ResourceIdx> + '_ {
        self.data.keys().copied()
    }
    /// `r` and its ancestors, the root first.
    pub fn path_to(&self, r: ResourceIdx) -> Vec<ResourceIdx> {
        let mut path = vec![r];
        let mut cur = r;
        while let Some(p) = self.resources[cur.index()].parent {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }
    /// `r` and everything below it, in tree order.
    pub fn subtree(&self, r: ResourceIdx) -> &[ResourceIdx] {
        &self.tree_order[self.tree_pos(r) as usize..self.subtree_end[r.index()] as usize]
    }
    /// Whether `r` is `a` or below it (constant time: subtrees are ranges
    /// of the tree order).
    pub fn is_ancestor_or_self(&self, a: ResourceIdx, r: ResourceIdx) -> bool {
        (self.tree_pos(a)..self.subtree_end[a.index()]).contains(&self.tree_pos(r))
    }
    /// The evaluator over the team as it is.
    pub fn view(&self) -> View<'_> {
        View {
            team: self,
            overlay: None,
        }
    }
}

impl crate::model::validate::Lookup for Team {
    fn principal_type(&self, id: &str) -> Option<PrincipalType> {
        self.principal_idx(id).map(|p| self.principal(p).ptype)
    }
    fn resource_kind(&self, id: &str) -> Option<&str> {
        self.resource_idx(id).map(|r| self.kind_of(r).id.as_str())
    }
}

/// Grants and data permissions that differ from the team's, laid over it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    pub grants: FxHashMap<(ResourceIdx, PrincipalIdx), GrantBits>,
    /// `None`: the model's data permissions are removed.
    pub data: FxHashMap<ResourceIdx, Option<DataPermissions>>,
}

/// The evaluator's window on a team, optionally with a change set applied.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub team: &'a Team,
    pub overlay: Option<&'a Overlay>,
}

impl<'a> View<'a> {
    pub fn with_overlay(team: &'a Team, overlay: &'a Overlay) -> Self {
        View {
            team,
            overlay: Some(overlay),
        }
    }
    /// Direct grants of `p` itself on `r`, in this view.
    pub fn grant(&self, r: ResourceIdx, p: PrincipalIdx) -> GrantBits {
        if let Some(g) = self.overlay.and_then(|o| o.grants.get(&(r, p))) {
            return *g;
        }
        self.team.grant_bits(r, p)
    }
    pub fn data_permissions(&self, r: ResourceIdx) -> Option<&'a DataPermissions> {
        if let Some(d) = self.overlay.and_then(|o| o.data.get(&r)) {
            return d.as_ref();
        }
        self.team.data_permissions(r)
    }
    /// Principals with a direct grant on `r` in this view, sorted.
    pub fn grantees_on(&self, r: ResourceIdx) -> Vec<PrincipalIdx> {
        let mut v: Vec<PrincipalIdx> = self.team.grantees_on(r).to_vec();
        if let Some(o) = self.overlay {
            v.extend(o.grants.keys().filter(|(gr, _)| *gr == r).map(|(_, p)| *p));
            v.sort_unstable();
            v.dedup();
            v.retain(|&p| !self.grant(r, p).all().is_empty());
        }
        v
    }
}

fn insert_sorted<T: Ord + Copy>(v: &mut Vec<T>, x: T) {
    if let Err(at) = v.binary_search(&x) {
        v.insert(at, x);
    }
}

fn remove_sorted<T: Ord + Copy>(v: &mut Vec<T>, x: T) {
    if let Ok(at) = v.binary_search(&x) {
        v.remove(at);
    }
}
