//! Validation of a snapshot against a catalog: every problem at once, each
//! with its code and JSON path. Never panics, whatever the input.

use super::catalog::{Compiled, Level};
use super::problem::{About, Code, Problems};
use super::snapshot::{DataEntry, Directory, Rule, Snapshot};
use rustc_hash::{FxHashMap, FxHashSet};

/// The kind id whose resources carry row-level data permissions.
pub const DATA_MODEL_KIND: &str = "data-model";
/// More groups than this for one user is a warning.
pub const MAX_GROUPS_PER_USER: usize = 50;

/// What a principal id names, for validation messages and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalType {
    User,
    Group,
    Application,
    ApiKey,
    OAuthClient,
}

impl PrincipalType {
    /// Every type, in the order lists show them: groups, users,
    /// applications, OAuth clients, API keys.
    pub const IN_ORDER: [PrincipalType; 5] = [
        PrincipalType::Group,
        PrincipalType::User,
        PrincipalType::Application,
        PrincipalType::OAuthClient,
        PrincipalType::ApiKey,
    ];

    /// In a sentence: "user", "OAuth client".
    pub fn label(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::Group => "group",
            PrincipalType::Application => "application",
            PrincipalType::ApiKey => "API key",
            PrincipalType::OAuthClient => "OAuth client",
        }
    }

    /// As an API names it: "user", "api-key", "oauth-client".
    pub fn key(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::Group => "group",
            PrincipalType::Application => "application",
            PrincipalType::ApiKey => "api-key",
            PrincipalType::OAuthClient => "oauth-client",
        }
    }

    /// On its own: "User", "OAuth client".
    pub fn title(self) -> &'static str {
        match self {
            PrincipalType::User => "User",
            PrincipalType::Group => "Group",
            PrincipalType::Application => "Application",
            PrincipalType::ApiKey => "API key",
            PrincipalType::OAuthClient => "OAuth client",
        }
    }

    /// On a badge, where room is short: "App", "OAuth".
    pub fn short(self) -> &'static str {
        match self {
            PrincipalType::Application => "App",
            PrincipalType::OAuthClient => "OAuth",
            other => other.title(),
        }
    }

    /// The position in [`PrincipalType::IN_ORDER`], to sort by.
    pub fn rank(self) -> u8 {
        Self::IN_ORDER.iter().position(|&t| t == self).unwrap_or(0) as u8
    }
}

/// Ids of a snapshot, for the checks of snapshots and change sets.
pub struct Ids<'a> {
    /// Each principal's type and place in its list.
    pub principals: FxHashMap<&'a str, (PrincipalType, usize)>,
    /// Each resource's kind id and place in the list.
    pub resources: FxHashMap<&'a str, (&'a str, usize)>,
}

impl<'a> Ids<'a> {
    pub fn of(snap: &'a Snapshot) -> Self {
        Ids::reporting(snap, |_| {})
    }

    /// The ids of `snap`, the first of each kept; every later one is handed
    /// to `duplicate`.
    fn reporting(snap: &'a Snapshot, mut duplicate: impl FnMut(Duplicate<'a>)) -> Self {
        let d = &snap.directory;
        let mut principals =
            FxHashMap::with_capacity_and_hasher(d.principal_count(), Default::default());
        for (id, list, i, t) in directory_ids(d) {
            if !principals.try_insert_first(id, (t, i)) {
                duplicate(Duplicate::Principal { id, list, i });
            }
        }
        let mut resources =
            FxHashMap::with_capacity_and_hasher(snap.resources.len(), Default::default());
        for (i, r) in snap.resources.iter().enumerate() {
            if !resources.try_insert_first(r.id.as_str(), (r.kind.as_str(), i)) {
                duplicate(Duplicate::Resource { id: &r.id, i });
            }
        }
        Ids {
            principals,
            resources,
        }
    }
}

/// An id used a second time.
enum Duplicate<'a> {
    Principal {
        id: &'a str,
        list: &'static str,
        i: usize,
    },
    Resource {
        id: &'a str,
        i: usize,
    },
}

trait InsertFirst<K, V> {
    /// Inserts unless the key is there; whether it inserted.
    fn try_insert_first(&mut self, key: K, value: V) -> bool;
}

impl<K: std::hash::Hash + Eq, V> InsertFirst<K, V> for FxHashMap<K, V> {
    fn try_insert_first(&mut self, key: K, value: V) -> bool {
        match self.entry(key) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(value);
                true
            }
        }
    }
}

/// Looks ids up, for the checks shared by snapshots and change sets
/// ([`Ids`] over a raw snapshot; the indexed team implements it too).
pub trait Lookup {
    fn principal_type(&self, id: &str) -> Option<PrincipalType>;
    /// The kind id of a resource.
    fn resource_kind(&self, id: &str) -> Option<&str>;
}

impl Lookup for Ids<'_> {
    fn principal_type(&self, id: &str) -> Option<PrincipalType> {
        self.principals.get(id).map(|&(t, _)| t)
    }
    fn resource_kind(&self, id: &str) -> Option<&str> {
        self.resources.get(id).map(|&(kind, _)| kind)
    }
}

/// A part of a grant-like reference, to name its JSON path.
#[derive(Clone, Copy)]
pub enum GrantPart {
    Principal,
    Resource,
    /// The permission at this index.
    Permission(usize),
}

/// Checks one grant-like reference `(principal, resource, permissions)`.
/// Shared by snapshot grants and change-set operations; `path` names where
/// a part is, and is called only for a problem (a large snapshot has
/// hundreds of thousands of parts).
pub fn check_grant_target<'a>(
    cat: &Compiled,
    ids: &impl Lookup,
    out: &mut Problems,
    (principal, resource): (&str, &str),
    permissions: impl IntoIterator<Item = &'a str>,
    path: impl Fn(GrantPart) -> String,
) {
    let found = (ids.principal_type(principal), ids.resource_kind(resource));
    check_found_target(cat, out, (principal, resource), found, permissions, path);
}

/// [`check_grant_target`] with the principal's type and the resource's kind
/// already looked up (`None`: no such id).
fn check_found_target<'a>(
    cat: &Compiled,
    out: &mut Problems,
    (principal, resource): (&str, &str),
    (ptype, kind): (Option<PrincipalType>, Option<&str>),
    permissions: impl IntoIterator<Item = &'a str>,
    path: impl Fn(GrantPart) -> String,
) {
    let who = || About::principal(principal).and_field("principal");
    match ptype {
        None => out.push_about(
            Code::UnknownPrincipal,
            path(GrantPart::Principal),
            format!("no principal has the id `{principal}`"),
            who(),
        ),
        Some(PrincipalType::ApiKey) => out.push_about(
            Code::GrantToApiKey,
            path(GrantPart::Principal),
            format!(
                "`{principal}` is an API key: it acts as its owner and cannot be granted anything"
            ),
            who(),
        ),
        Some(_) => {}
    }
    let Some(kind) = kind else {
        out.push_about(
            Code::UnknownResource,
            path(GrantPart::Resource),
            format!("no resource has the id `{resource}`"),
            About::resource(resource).and_field("resource"),
        );
        return;
    };
    let Some(k) = cat.kind_idx(kind) else { return };
    let kd = cat.kind(k);
    for (j, perm) in permissions.into_iter().enumerate() {
        if kd.perm_bit(perm).is_none() {
            out.push_about(
                Code::UnknownPermission,
                path(GrantPart::Permission(j)),
                format!(
                    "`{perm}` is not a permission of {} (`{resource}`)",
                    kd.label
                ),
                About::resource(resource)
                    .and_permission(perm)
                    .and_field("permissions"),
            );
        }
    }
}

/// What is wrong with the content of a rule: `(field, message)` for each
/// empty field. Reported at the rule's path; the editor shows each message
/// beside its field.
pub fn rule_problems(r: &Rule) -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        (r.table.trim().is_empty(), "table", "a rule needs a table"),
        (
            r.column.trim().is_empty(),
            "column",
            "a rule needs a column",
        ),
        (
            r.values.is_empty(),
            "values",
            "a rule needs at least one value",
        ),
    ]
    .into_iter()
    .filter(|(empty, _, _)| *empty)
    .map(|(_, field, message)| (field, message))
}

/// Checks the entries of one data-permissions block (a rule's problems are
/// reported at the rule's path).
pub fn check_data_entries(
    ids: &impl Lookup,
    out: &mut Problems,
    entries: &[DataEntry],
    path: &str,
) {
    for (j, e) in entries.iter().enumerate() {
        let ep = format!("{path}.entries[{j}]");
        let entry = || About::entry(j, None);
        let who = || entry().and_principal(&e.principal).and_field("principal");
        match ids.principal_type(&e.principal) {
            None => out.push_about(
                Code::UnknownPrincipal,
                format!("{ep}.principal"),
                format!("no principal has the id `{}`", e.principal),
                who(),
            ),
            Some(PrincipalType::ApiKey) => out.push_about(
                Code::GrantToApiKey,
                format!("{ep}.principal"),
                format!(
                    "`{}` is an API key: it uses its owner's data permissions",
                    e.principal
                ),
                who(),
            ),
            Some(_) => {}
        }
        match (&e.access, &e.rules) {
            (Some(a), None) if a == "unlimited" => {}
            (Some(a), None) => out.push_about(
                Code::MalformedRule,
                format!("{ep}.access"),
                format!("access must be `unlimited`, not `{a}`"),
                entry().and_field("access"),
            ),
            (None, Some(rules)) if rules.is_empty() => out.push_about(
                Code::MalformedRule,
                format!("{ep}.rules"),
                "an entry needs at least one rule, or `access: unlimited`",
                entry().and_field("rules"),
            ),
            (None, Some(rules)) => {
                for (n, r) in rules.iter().enumerate() {
                    for (field, message) in rule_problems(r) {
                        out.push_about(
                            Code::MalformedRule,
                            format!("{ep}.rules[{n}]"),
                            message,
                            About::entry(j, Some(n)).and_field(field),
                        );
                    }
                }
            }
            (Some(_), Some(_)) => out.push_about(
                Code::MalformedRule,
                ep,
                "an entry has either `access: unlimited` or `rules`, not both",
                entry(),
            ),
            (None, None) => out.push_about(
                Code::MalformedRule,
                ep,
                "an entry needs `access: unlimited` or `rules`",
                entry(),
            ),
        }
    }
}

/// Every principal's id in the directory, with the name of its list and its
/// index there (its path is `$.directory.<list>[<index>].id`).
fn directory_ids(
    d: &Directory,
) -> impl Iterator<Item = (&str, &'static str, usize, PrincipalType)> {
    fn ids<'a, T>(
        list: &'a [T],
        name: &'static str,
        t: PrincipalType,
        id: fn(&T) -> &str,
    ) -> impl Iterator<Item = (&'a str, &'static str, usize, PrincipalType)> {
        list.iter()
            .enumerate()
            .map(move |(i, x)| (id(x), name, i, t))
    }
    use PrincipalType as T;
    ids(&d.users, "users", T::User, |u| &u.id)
        .chain(ids(&d.groups, "groups", T::Group, |g| &g.id))
        .chain(ids(&d.applications, "applications", T::Application, |a| {
            &a.id
        }))
        .chain(ids(&d.api_keys, "api_keys", T::ApiKey, |k| &k.id))
        .chain(ids(
            &d.oauth_clients,
            "oauth_clients",
            T::OAuthClient,
            |o| &o.id,
        ))
}

/// Which nodes are on a cycle of the graph where node `i` points to `up[i]`,
/// each node walked once.
fn on_cycles(up: &[Option<usize>]) -> Vec<bool> {
    const NEW: usize = usize::MAX;
    const DONE: usize = usize::MAX - 1;
    // The walk that reached a node, while it goes on; then DONE.
    let mut walk = vec![NEW; up.len()];
    let mut cyclic = vec![false; up.len()];
    let mut path = Vec::new();
    for start in 0..up.len() {
        let mut at = Some(start);
        while let Some(n) = at.filter(|&n| walk[n] == NEW) {
            walk[n] = start;
            path.push(n);
            at = up[n];
        }
        if let Some(n) = at.filter(|&n| walk[n] == start) {
            let from = path.iter().position(|&p| p == n).unwrap_or(0);
            for &p in &path[from..] {
                cyclic[p] = true;
            }
        }
        for p in path.drain(..) {
            walk[p] = DONE;
        }
    }
    cyclic
}

/// Every problem of a snapshot: errors and warnings.
pub fn validate(cat: &Compiled, snap: &Snapshot) -> Problems {
    validate_placing(cat, snap).0
}

/// [`validate`], and where each grant's resource and principal are: their
/// places in the resources and in the whole directory (users, groups,
/// applications, API keys, then OAuth clients, as the team indexes them),
/// for every grant when there is no error. The team is built from these
/// without looking the ids up again.
pub(crate) fn validate_placing(cat: &Compiled, snap: &Snapshot) -> (Problems, Vec<(u32, u32)>) {
    let mut out = Problems::default();
    let d = &snap.directory;
    // Duplicate ids: principals share one namespace, resources another.
    let mut duplicates = Vec::new();
    let ids = Ids::reporting(snap, |dup| duplicates.push(dup));
    for dup in duplicates {
        match dup {
            Duplicate::Principal { id, list, i } => out.push(
                Code::DuplicateId,
                format!("$.directory.{list}[{i}].id"),
                format!("the principal id `{id}` is used more than once"),
            ),
            Duplicate::Resource { id, i } => out.push(
                Code::DuplicateId,
                format!("$.resources[{i}].id"),
                format!("the resource id `{id}` is used more than once"),
            ),
        }
    }

    // Directory references.
    let mut groups_of = vec![0usize; d.users.len()];
    for (i, g) in d.groups.iter().enumerate() {
        for (j, m) in g.members.iter().enumerate() {
            match ids.principals.get(m.as_str()).copied() {
                Some((PrincipalType::User, u)) => groups_of[u] += 1,
                Some((t, _)) => out.push(
                    Code::GroupMemberNotUser,
                    format!("$.directory.groups[{i}].members[{j}]"),
                    format!(
                        "group `{}` lists `{m}`, which is a {}: groups hold users only",
                        g.id,
                        t.label()
                    ),
                ),
                None => out.push(
                    Code::GroupMemberNotUser,
                    format!("$.directory.groups[{i}].members[{j}]"),
                    format!("group `{}` lists `{m}`, which is no known user", g.id),
                ),
            }
        }
    }
    for (i, u) in d.users.iter().enumerate() {
        // A repeated id counts the groups of its first user.
        let n = match ids.principals.get(u.id.as_str()) {
            Some(&(PrincipalType::User, first)) => groups_of[first],
            _ => 0,
        };
        if n > MAX_GROUPS_PER_USER {
            out.push(
                Code::TooManyGroups,
                format!("$.directory.users[{i}]"),
                format!(
                    "user `{}` is in {n} groups (more than {MAX_GROUPS_PER_USER})",
                    u.id
                ),
            );
        }
    }
    for (i, k) in d.api_keys.iter().enumerate() {
        if ids.principal_type(&k.owner) != Some(PrincipalType::User) {
            out.push(
                Code::UnknownApiKeyOwner,
                format!("$.directory.api_keys[{i}].owner"),
                format!(
                    "the API key `{}` names owner `{}`, which is no known user",
                    k.id, k.owner
                ),
            );
        }
    }

    let mut known_scopes: Vec<&str> = cat.scope_ids().collect();
    known_scopes.sort_unstable();
    for (i, o) in d.oauth_clients.iter().enumerate() {
        for (j, scope) in o.scopes.iter().enumerate() {
            if !cat.is_known_scope(scope) {
                out.push(
                    Code::UnknownScope,
                    format!("$.directory.oauth_clients[{i}].scopes[{j}]"),
                    format!(
                        "the OAuth client `{}` has the scope `{scope}`, which is on no list and allows nothing{}",
                        o.id,
                        super::structure::suggest(scope, &known_scopes)
                    ),
                );
            }
        }
    }

    // The resource tree.
    let mut services: FxHashMap<&str, usize> = FxHashMap::default();
    // Each resource's parent: the first resource of its parent's id.
    let up: Vec<Option<usize>> = (snap.resources.iter())
        .map(|r| Some(ids.resources.get(r.parent.as_deref()?)?.1))
        .collect();
    for (i, r) in snap.resources.iter().enumerate() {
        let Some(k) = cat.kind_idx(&r.kind) else {
            out.push(
                Code::UnknownKind,
                format!("$.resources[{i}].kind"),
                format!("`{}` is not a kind of resource", r.kind),
            );
            continue;
        };
        let kd = cat.kind(k);
        if let Some(c) = &r.created_by {
            if !ids.principals.contains_key(c.as_str()) {
                out.push(
                    Code::UnknownPrincipal,
                    format!("$.resources[{i}].created_by"),
                    format!("no principal has the id `{c}`"),
                );
            }
        }
        if kd.level == Level::Service {
            if let Some(prev) = services.insert(r.kind.as_str(), i) {
                out.push(
                    Code::DuplicateService,
                    format!("$.resources[{i}]"),
                    format!(
                        "there is already a {} resource (`{}`)",
                        kd.label, snap.resources[prev].id
                    ),
                );
            }
            if let Some(p) = &r.parent {
                out.push(
                    Code::WrongParentKind,
                    format!("$.resources[{i}].parent"),
                    format!(
                        "`{}` is a service ({}) and has no parent, not `{p}`",
                        r.id, kd.label
                    ),
                );
            }
            continue;
        }
        let want = kd.parent.map(|pk| cat.kind(pk));
        match &r.parent {
            None => out.push(
                Code::UnknownParent,
                format!("$.resources[{i}]"),
                format!(
                    "`{}` is a {} and needs a parent {}",
                    r.id,
                    kd.label,
                    want.map(|w| w.label.as_str()).unwrap_or("resource")
                ),
            ),
            Some(p) => match up[i].map(|j| snap.resources[j].kind.as_str()) {
                None => out.push(
                    Code::UnknownParent,
                    format!("$.resources[{i}].parent"),
                    format!("no resource has the id `{p}`"),
                ),
                Some(pk) => {
                    if want.map(|w| w.id.as_str()) != Some(pk) && cat.kind_idx(pk).is_some() {
                        out.push(
                            Code::WrongParentKind,
                            format!("$.resources[{i}].parent"),
                            format!(
                                "a {} belongs in a {}, but `{p}` is a {}",
                                kd.label,
                                want.map(|w| w.label.as_str()).unwrap_or("?"),
                                cat.kind_idx(pk)
                                    .map(|k| cat.kind(k).label.as_str())
                                    .unwrap_or(pk)
                            ),
                        );
                    }
                }
            },
        }
    }
    // Cycles: each resource whose id is its own ancestor.
    let first = |i: usize| {
        ids.resources
            .get(snap.resources[i].id.as_str())
            .map_or(i, |r| r.1)
    };
    let cyclic = on_cycles(&up);
    let any_cycle = cyclic.contains(&true);
    for (i, r) in snap.resources.iter().enumerate() {
        if any_cycle && cyclic[first(i)] {
            out.push(
                Code::Cycle,
                format!("$.resources[{i}].parent"),
                format!("`{}` is its own ancestor", r.id),
            );
        }
    }

    // Grants.
    // Where each list starts in the whole directory.
    let groups = d.users.len();
    let applications = groups + d.groups.len();
    let api_keys = applications + d.applications.len();
    let oauth_clients = api_keys + d.api_keys.len();
    let directory_place = |t: PrincipalType, i: usize| {
        let start = match t {
            PrincipalType::User => 0,
            PrincipalType::Group => groups,
            PrincipalType::Application => applications,
            PrincipalType::ApiKey => api_keys,
            PrincipalType::OAuthClient => oauth_clients,
        };
        (start + i) as u32
    };
    let mut places = Vec::with_capacity(snap.grants.len());
    for (i, g) in snap.grants.iter().enumerate() {
        let principal = ids.principals.get(g.principal.as_str()).copied();
        let resource = ids.resources.get(g.resource.as_str()).copied();
        if let (Some((t, p)), Some((_, r))) = (principal, resource) {
            places.push((r as u32, directory_place(t, p)));
        }
        check_found_target(
            cat,
            &mut out,
            (&g.principal, &g.resource),
            (principal.map(|p| p.0), resource.map(|r| r.0)),
            g.permissions.iter().map(String::as_str),
            |part| match part {
                GrantPart::Principal => format!("$.grants[{i}].principal"),
                GrantPart::Resource => format!("$.grants[{i}].resource"),
                GrantPart::Permission(j) => format!("$.grants[{i}].permissions[{j}]"),
            },
        );
    }

    // Data permissions.
    let mut models = FxHashSet::default();
    for (i, dp) in snap.data_permissions.iter().enumerate() {
        let path = format!("$.data_permissions[{i}]");
        match ids.resource_kind(&dp.data_model) {
            None => out.push(
                Code::UnknownResource,
                format!("{path}.data_model"),
                format!("no resource has the id `{}`", dp.data_model),
            ),
            Some(k) if k != DATA_MODEL_KIND => out.push(
                Code::NotADataModel,
                format!("{path}.data_model"),
                format!(
                    "`{}` is a {k}: data permissions apply to data models only",
                    dp.data_model
                ),
            ),
            Some(_) => {
                if !models.insert(dp.data_model.as_str()) {
                    out.push(
                        Code::DuplicateId,
                        format!("{path}.data_model"),
                        format!(
                            "data model `{}` has more than one data-permissions block",
                            dp.data_model
                        ),
                    );
                }
            }
        }
        check_data_entries(&ids, &mut out, &dp.entries, &path);
    }
    (out, places)
}

#[cfg(test)]
mod tests {
    use super::on_cycles;

    #[test]
    fn only_the_nodes_on_a_cycle_are_on_one() {
        // 0 ← 1 ← 2 (a chain); 3 → 4 → 5 → 3 (a cycle) with 6 → 4 leading
        // into it; 7 its own parent; 8 pointing to a node already walked.
        let up = [
            None,
            Some(0),
            Some(1),
            Some(4),
            Some(5),
            Some(3),
            Some(4),
            Some(7),
            Some(2),
        ];
        let cyclic: Vec<usize> = (on_cycles(&up).iter().enumerate())
            .filter_map(|(i, &c)| c.then_some(i))
            .collect();
        assert_eq!(cyclic, [3, 4, 5, 7]);
        // Walked from the tail first, the same.
        let mut up = up;
        up.swap(0, 6);
        up[0] = Some(4);
        up[6] = None;
        up[1] = Some(6);
        assert_eq!(on_cycles(&up)[3..6], [true, true, true]);
        assert!(!on_cycles(&up)[0]);
    }
}
