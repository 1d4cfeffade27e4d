//! Property tests over generated valid snapshots, against a deliberately
//! simple reference model written separately here: strings and sets,
//! fixed-point iteration, the catalog read as plain data.
#![cfg(not(target_arch = "wasm32"))]

use permissions_core::eval::{impact, Op, Team};
use permissions_core::model::catalog::{At, Catalog, KindDef, Tier};
use permissions_core::model::snapshot::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;

// ---------- the reference model ----------

struct Ref<'a> {
    cat: &'a Catalog,
    snap: &'a Snapshot,
}

impl<'a> Ref<'a> {
    fn kind(&self, id: &str) -> &'a KindDef {
        self.cat.kinds.iter().find(|k| k.id == id).expect("kind")
    }
    fn res(&self, id: &str) -> &'a Resource {
        self.snap
            .resources
            .iter()
            .find(|r| r.id == id)
            .expect("resource")
    }
    fn groups_of(&self, user: &str) -> Vec<&'a Group> {
        self.snap
            .directory
            .groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m == user))
            .collect()
    }
    fn owner(&self, p: &str) -> Option<&'a str> {
        self.snap
            .directory
            .api_keys
            .iter()
            .find(|k| k.id == p)
            .map(|k| k.owner.as_str())
    }
    fn role(&self, p: &str) -> Role {
        if let Some(o) = self.owner(p) {
            return self.role(o);
        }
        let d = &self.snap.directory;
        if let Some(u) = d.users.iter().find(|u| u.id == p) {
            return self
                .groups_of(p)
                .iter()
                .map(|g| g.role)
                .fold(u.role, Role::max);
        }
        if let Some(g) = d.groups.iter().find(|g| g.id == p) {
            return g.role;
        }
        Role::Analyst
    }
    fn grantees(&self, p: &str) -> Vec<String> {
        if let Some(o) = self.owner(p) {
            return self.grantees(o);
        }
        let mut v = vec![p.to_string()];
        v.extend(self.groups_of(p).iter().map(|g| g.id.clone()));
        v
    }
    fn scopes(&self, p: &str) -> Option<&'a Vec<String>> {
        self.snap
            .directory
            .oauth_clients
            .iter()
            .find(|o| o.id == p)
            .map(|o| &o.scopes)
    }
    fn held(&self, p: &str, r: &str) -> BTreeSet<String> {
        let res = self.res(r);
        let kind = self.kind(&res.kind);
        if self.role(p) == Role::Admin {
            return kind.permissions.iter().map(|x| x.id.clone()).collect();
        }
        let grantees = self.grantees(p);
        let mut set: BTreeSet<String> = self
            .snap
            .grants
            .iter()
            .filter(|g| g.resource == r && grantees.contains(&g.principal))
            .flat_map(|g| g.permissions.iter().cloned())
            .collect();
        if let Some(parent) = &res.parent {
            let ph = self.held(p, parent);
            let pk = &self.res(parent).kind;
            for f in &self.cat.flows {
                if &f.from_kind == pk
                    && f.to_kind == res.kind
                    && ph.contains(&f.flag)
                    && f.while_held.as_ref().is_none_or(|w| ph.contains(w))
                {
                    set.insert(f.to.clone());
                }
            }
        }
        loop {
            let n = set.len();
            for imp in self.cat.implications.iter().filter(|i| i.kind == res.kind) {
                if set.contains(&imp.flag) {
                    set.extend(imp.implies.iter().cloned());
                }
            }
            if set.len() == n {
                return set;
            }
        }
    }
    fn allowed_by_scope(&self, p: &str, kind: &str, flag: &str) -> bool {
        match self.scopes(p) {
            None => true,
            Some(scopes) => self
                .cat
                .scopes
                .iter()
                .filter(|s| scopes.contains(&s.id))
                .any(|s| {
                    s.allows
                        .iter()
                        .any(|a| a.kind == kind && a.flags.iter().any(|f| f == "*" || f == flag))
                }),
        }
    }
    /// Held flags that pass role and scope.
    fn allowed(&self, p: &str, r: &str) -> BTreeSet<String> {
        let kind = self.kind(&self.res(r).kind);
        let member = self.role(p) == Role::Member;
        self.held(p, r)
            .into_iter()
            .filter(|f| {
                let tier = kind.permissions.iter().find(|x| &x.id == f).map(|x| x.tier);
                !(member && tier == Some(Tier::Analyst)) && self.allowed_by_scope(p, &kind.id, f)
            })
            .collect()
    }
    fn effective(&self, p: &str, r: &str) -> BTreeSet<String> {
        let kind = &self.res(r).kind;
        let mut set = self.allowed(p, r);
        loop {
            let n = set.len();
            for rq in self.cat.requires.iter().filter(|x| &x.kind == kind) {
                if set.contains(&rq.flag) && !set.contains(&rq.partner) {
                    set.remove(&rq.flag);
                }
            }
            if set.len() == n {
                return set;
            }
        }
    }
    fn can(&self, p: &str, r: &str, cap: &str) -> bool {
        let res = self.res(r);
        let def = self
            .kind(&res.kind)
            .capabilities
            .iter()
            .find(|c| c.id == cap)
            .expect("cap");
        def.any.iter().any(|c| {
            let parent = res.parent.as_deref();
            if let Some(f) = &c.flag {
                return match c.at {
                    At::Parent => parent.is_some_and(|pr| self.effective(p, pr).contains(f)),
                    _ => self.effective(p, r).contains(f),
                };
            }
            if let Some(pc) = &c.capability {
                return parent.is_some_and(|pr| self.can(p, pr, pc));
            }
            let except = c.any_flag_except.clone().unwrap_or_default();
            let counts = |x: &str| self.allowed(p, x).iter().any(|f| !except.contains(f));
            match c.at {
                At::Children => self
                    .snap
                    .resources
                    .iter()
                    .filter(|x| x.parent.as_deref() == Some(r))
                    .any(|x| counts(&x.id)),
                _ => counts(r),
            }
        })
    }
}

// ---------- generated snapshots ----------

const ASSET_KINDS: [&str; 6] = [
    "view",
    "analysis",
    "action-flow",
    "data-explorer",
    "knowledge-model",
    "skill",
];
const SCOPES: [&str; 9] = [
    "integration.data-pools",
    "integration.data-pools:read",
    "integration.data-models:read",
    "integration.data-pools:data_push",
    "studio",
    "studio.packages:read",
    "knowledge-models:read",
    "offline_access",
    "integration.data-pools:continuous_data_push",
];

fn resources(asset_kinds: &[usize]) -> Vec<Resource> {
    let r = |id: &str, kind: &str, parent: Option<&str>| Resource {
        id: id.into(),
        kind: kind.into(),
        parent: parent.map(String::from),
        name: id.to_uppercase(),
        created_by: None,
    };
    let mut v = vec![
        r("di", "data-integration", None),
        r("studio", "studio", None),
    ];
    for p in 0..2 {
        v.push(r(&format!("dp-{p}"), "data-pool", Some("di")));
        for m in 0..2 {
            v.push(r(
                &format!("dm-{p}{m}"),
                "data-model",
                Some(&format!("dp-{p}")),
            ));
        }
    }
    for s in 0..2 {
        v.push(r(&format!("sp-{s}"), "space", Some("studio")));
        for k in 0..2 {
            let pk = format!("pk-{s}{k}");
            v.push(r(&pk, "package", Some(&format!("sp-{s}"))));
            for a in 0..2 {
                let kind = ASSET_KINDS[asset_kinds[(s * 4 + k * 2 + a) % asset_kinds.len()] % 6];
                v.push(r(&format!("a-{s}{k}{a}"), kind, Some(&pk)));
            }
        }
    }
    v
}

const GRANTABLE: [&str; 8] = ["u-0", "u-1", "u-2", "u-3", "g-0", "g-1", "app-0", "oc-0"];

fn role(i: u8) -> Role {
    match i % 7 {
        0..=2 => Role::Member,
        3..=5 => Role::Analyst,
        _ => Role::Admin,
    }
}

prop_compose! {
    fn snapshots()(
        user_roles in prop::collection::vec(0u8..7, 4),
        group_roles in prop::collection::vec(0u8..6, 2),
        members in prop::collection::vec(any::<bool>(), 8),
        key_owner in 0usize..4,
        scopes in prop::collection::vec(any::<bool>(), SCOPES.len()),
        asset_kinds in prop::collection::vec(0usize..6, 8),
        grants in prop::collection::vec((0usize..GRANTABLE.len(), 0usize..21, 0usize..8), 0..14),
    ) -> Snapshot {
        let users = (0..4).map(|i| User { id: format!("u-{i}"), name: format!("U{i}"), email: String::new(), role: role(user_roles[i]) }).collect();
        let groups = (0..2).map(|g| Group {
            id: format!("g-{g}"), name: format!("G{g}"), role: role(group_roles[g]),
            members: (0..4).filter(|u| members[g * 4 + u]).map(|u| format!("u-{u}")).collect(),
        }).collect();
        let resources = resources(&asset_kinds);
        let cat = Catalog::builtin();
        let grants = grants.iter().map(|&(p, r, f)| {
            let res = &resources[r % resources.len()];
            let kind = cat.kind(cat.kind_idx(&res.kind).expect("kind"));
            Grant { principal: GRANTABLE[p].into(), resource: res.id.clone(), permissions: vec![kind.perms[f % kind.perms.len()].id.clone()], origin: Origin::Manual }
        }).collect();
        Snapshot {
            directory: Directory {
                users, groups,
                applications: vec![Application { id: "app-0".into(), name: "A".into() }],
                api_keys: vec![ApiKey { id: "k-0".into(), owner: format!("u-{key_owner}"), name: None }],
                oauth_clients: vec![OAuthClient { id: "oc-0".into(), name: "O".into(),
                    scopes: SCOPES.iter().zip(&scopes).filter(|(_, on)| **on).map(|(s, _)| s.to_string()).collect() }],
            }.into(),
            resources: resources.into(), grants, data_permissions: Vec::new(), version: None,
        }
    }
}

fn team(s: &Snapshot) -> Team {
    Team::new(Arc::new(Catalog::builtin()), s.clone())
        .unwrap_or_else(|p| panic!("generated snapshot invalid: {p}"))
}

const EVERYONE: [&str; 9] = [
    "u-0", "u-1", "u-2", "u-3", "g-0", "g-1", "app-0", "k-0", "oc-0",
];

fn all_caps(t: &Team) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for p in EVERYONE {
        for r in t.snapshot.resources.iter() {
            for c in t.capabilities(p, &r.id).expect("ids") {
                out.insert((p.to_string(), r.id.clone(), c));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn evaluator_agrees_with_the_reference_model(s in snapshots()) {
        let t = team(&s);
        let cat = Catalog::from_json(Catalog::builtin_json()).expect("catalog");
        let reference = Ref { cat: &cat, snap: &s };
        for p in EVERYONE {
            for r in s.resources.iter() {
                let flags = t.flags(p, &r.id).expect("ids");
                let held: BTreeSet<String> = flags.iter().filter(|f| f.held).map(|f| f.permission.clone()).collect();
                let eff: BTreeSet<String> = flags.iter().filter(|f| f.effective).map(|f| f.permission.clone()).collect();
                prop_assert_eq!(&held, &reference.held(p, &r.id), "held flags of {} on {}", p, r.id);
                prop_assert_eq!(&eff, &reference.effective(p, &r.id), "effective flags of {} on {}", p, r.id);
                for f in &flags {
                    // Every held flag has a source, and only held flags do.
                    prop_assert_eq!(f.held, !f.sources.is_empty(), "sources of {} for {} on {}", f.permission, p, r.id);
                }
                let kind = cat.kinds.iter().find(|k| k.id == r.kind).expect("kind");
                for c in &kind.capabilities {
                    prop_assert_eq!(t.can(p, &r.id, &c.id).expect("ids"), reference.can(p, &r.id, &c.id), "{} {} on {}", p, c.id, r.id);
                }
            }
        }
    }

    #[test]
    fn adding_a_grant_never_removes_a_capability(s in snapshots(), extra in (0usize..GRANTABLE.len(), 0usize..21, 0usize..8)) {
        let before = team(&s);
        let res = &s.resources[extra.1];
        let kind = before.kind_of(before.find_resource(&res.id).expect("id"));
        let perm = kind.perms[extra.2 % kind.perms.len()].id.clone();
        let mut s2 = s.clone();
        s2.grants.push(Grant { principal: GRANTABLE[extra.0].into(), resource: res.id.clone(), permissions: vec![perm], origin: Origin::Manual });
        let after = team(&s2);
        let (b, a) = (all_caps(&before), all_caps(&after));
        prop_assert!(b.is_subset(&a), "lost: {:?}", b.difference(&a).collect::<Vec<_>>());
    }

    #[test]
    fn admins_have_every_capability(s in snapshots()) {
        let t = team(&s);
        for p in EVERYONE {
            let idx = t.find_principal(p).expect("id");
            if t.principal(idx).role != Role::Admin { continue; }
            for r in s.resources.iter() {
                let ri = t.find_resource(&r.id).expect("id");
                prop_assert_eq!(t.capabilities(p, &r.id).expect("ids").len(), t.kind_of(ri).caps.len(), "{} on {}", p, r.id);
            }
        }
    }

    #[test]
    fn a_service_level_flag_is_held_on_every_descendant(s in snapshots(), who in 0usize..GRANTABLE.len(), which in 0usize..4) {
        let (service, flag, chain): (&str, &str, &[(&str, &str)]) = [
            ("di", "use-all-data-models", &[("data-pool", "use-data-models"), ("data-model", "use")][..]),
            ("di", "manage-all-data-pools", &[("data-pool", "manage")][..]),
            ("studio", "edit-all-spaces", &[("space", "edit-space")][..]),
            ("di", "view-all-data-pools", &[("data-pool", "view")][..]),
        ][which];
        let mut s2 = s.clone();
        s2.grants.push(Grant { principal: GRANTABLE[who].into(), resource: service.into(), permissions: vec![flag.into()], origin: Origin::Manual });
        let t = team(&s2);
        for (kind, f) in chain {
            for r in s2.resources.iter().filter(|r| &r.kind == kind) {
                prop_assert!(t.flag(GRANTABLE[who], &r.id, f).expect("ids").held, "{} not held on {}", f, r.id);
            }
        }
    }

    #[test]
    fn a_change_set_and_its_inverse_have_no_impact(s in snapshots(), raw in prop::collection::vec((any::<bool>(), 0usize..GRANTABLE.len(), 0usize..21, 0usize..8), 1..8)) {
        let mut s = s;
        std::sync::Arc::make_mut(&mut s.directory).users.push(User { id: "u-admin".into(), name: "Admin".into(), email: String::new(), role: Role::Admin });
        let t = team(&s);
        // Keep only operations that change the state when they run.
        let mut granted: BTreeSet<(String, String, String)> = s.grants.iter()
            .flat_map(|g| g.permissions.iter().map(move |f| (g.principal.clone(), g.resource.clone(), f.clone()))).collect();
        let mut ops = Vec::new();
        for (grant, p, r, f) in raw {
            let res = &s.resources[r];
            let kind = t.kind_of(t.find_resource(&res.id).expect("id"));
            let key = (GRANTABLE[p].to_string(), res.id.clone(), kind.perms[f % kind.perms.len()].id.clone());
            if grant && granted.insert(key.clone()) {
                ops.push(Op::grant(&key.0, &key.1, &key.2));
            } else if !grant && granted.remove(&key) {
                ops.push(Op::revoke(&key.0, &key.1, &key.2));
            }
        }
        let inverse: Vec<Op> = ops.iter().rev().filter_map(|o| o.inverse()).collect();
        let mut all = ops.clone();
        all.extend(inverse);
        let (_, imp) = impact(&t, "u-admin", &all).map_err(|p| TestCaseError::fail(p.to_string()))?;
        prop_assert!(imp.entries.is_empty(), "{:?}", imp.entries);
        // And the impact of the change set alone is what the two teams differ in.
        let (prepared, imp) = impact(&t, "u-admin", &ops).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let after = t.apply_prepared(&prepared).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let (b, a) = (all_caps(&t), all_caps(&after));
        let listed = |p: &str| !p.starts_with("g-") && !p.starts_with("k-");
        let mut expected: BTreeSet<(String, String, String, bool)> = BTreeSet::new();
        for x in b.symmetric_difference(&a).filter(|x| listed(&x.0)) {
            expected.insert((x.0.clone(), x.1.clone(), x.2.clone(), a.contains(x)));
        }
        let got: BTreeSet<(String, String, String, bool)> = imp.per_principal().filter_map(|(p, r, c)| match c {
            permissions_core::eval::Change::Capability { capability, after, .. } => Some((p.to_string(), r.to_string(), capability.clone(), *after)),
            _ => None,
        }).collect();
        prop_assert_eq!(got, expected);
    }
}

fn entries_from(raw: &[(usize, bool, u8)]) -> Vec<DataEntry> {
    raw.iter()
        .map(|&(p, unlimited, v)| DataEntry {
            principal: GRANTABLE[p].into(),
            access: unlimited.then(|| "unlimited".to_string()),
            rules: (!unlimited).then(|| {
                vec![Rule {
                    table: "T".into(),
                    column: "C".into(),
                    values: vec![format!("{}", v % 3)],
                }]
            }),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn a_data_permission_change_lists_exactly_the_data_access_that_changes(
        s in snapshots(),
        model in 0usize..4,
        before in prop::collection::vec((0usize..GRANTABLE.len(), any::<bool>(), any::<u8>()), 0..4),
        after in prop::collection::vec((0usize..GRANTABLE.len(), any::<bool>(), any::<u8>()), 0..4),
        enabled in any::<bool>(),
    ) {
        let mut s = s;
        let model = ["dm-00", "dm-01", "dm-10", "dm-11"][model].to_string();
        std::sync::Arc::make_mut(&mut s.directory).users.push(User { id: "u-admin".into(), name: "Admin".into(), email: String::new(), role: Role::Admin });
        s.data_permissions.push(DataPermissions { data_model: model.clone(), enabled: true, entries: entries_from(&before) });
        let t = team(&s);
        let op = Op::SetDataPermissions(permissions_core::eval::SetDataOp { data_model: model.clone(), enabled, entries: entries_from(&after) });
        let (prepared, imp) = impact(&t, "u-admin", &[op]).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let next = t.apply_prepared(&prepared).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let mut expected = BTreeSet::new();
        for p in ["u-0", "u-1", "u-2", "u-3", "u-admin", "app-0", "oc-0"] {
            let (b, a) = (t.data_access(p, &model).expect("ids"), next.data_access(p, &model).expect("ids"));
            if b != a {
                expected.insert((p.to_string(), b.access, a.access));
            }
        }
        let got: BTreeSet<_> = imp.per_principal().filter_map(|(p, r, c)| match c {
            permissions_core::eval::Change::DataAccess { before, after } if r == model => Some((p.to_string(), before.access, after.access)),
            _ => None,
        }).collect();
        prop_assert_eq!(got, expected);
        let only_data = imp.per_principal().all(|(_, _, c)| matches!(c, permissions_core::eval::Change::DataAccess { .. }));
        prop_assert!(only_data, "capabilities changed: {:?}", imp.entries);
    }
}

// ---------- data access in the reference model, and mixed change sets ----------

/// A filter as plain sets: an OR of ANDs of `table.column ∈ values`.
type RefFilter = BTreeSet<std::collections::BTreeMap<(String, String), BTreeSet<String>>>;

impl Ref<'_> {
    /// Spec §6, step by step.
    fn data_access(&self, p: &str, model: &str) -> (String, RefFilter) {
        let none = || ("none".to_string(), RefFilter::new());
        let all = || ("all".to_string(), RefFilter::new());
        if !self.can(p, model, "use") {
            return none();
        }
        let Some(dp) = self
            .snap
            .data_permissions
            .iter()
            .find(|d| d.data_model == model)
        else {
            return all();
        };
        if !dp.enabled || dp.entries.is_empty() {
            return all();
        }
        let grantees = self.grantees(p);
        let applicable: Vec<&DataEntry> = dp
            .entries
            .iter()
            .filter(|e| grantees.contains(&e.principal))
            .collect();
        if applicable
            .iter()
            .any(|e| e.access.as_deref() == Some("unlimited"))
        {
            return all();
        }
        let mut filter = RefFilter::new();
        for e in applicable {
            let mut conj = std::collections::BTreeMap::new();
            for r in e.rules.iter().flatten() {
                let values: BTreeSet<String> = r.values.iter().cloned().collect();
                conj.entry((r.table.clone(), r.column.clone()))
                    .and_modify(|v: &mut BTreeSet<String>| {
                        *v = v.intersection(&values).cloned().collect()
                    })
                    .or_insert(values);
            }
            if conj.values().all(|v| !v.is_empty()) {
                filter.insert(conj);
            }
        }
        if filter.is_empty() {
            none()
        } else {
            ("filtered".to_string(), filter)
        }
    }
}

fn as_ref_filter(filter: &[Vec<Rule>]) -> RefFilter {
    filter
        .iter()
        .map(|conj| {
            conj.iter()
                .map(|r| {
                    (
                        (r.table.clone(), r.column.clone()),
                        r.values.iter().cloned().collect(),
                    )
                })
                .collect()
        })
        .collect()
}

const MODELS: [&str; 4] = ["dm-00", "dm-01", "dm-10", "dm-11"];
const LISTED: [&str; 7] = ["u-0", "u-1", "u-2", "u-3", "u-admin", "app-0", "oc-0"];

fn entries_varied(raw: &[(usize, u8, u8)]) -> Vec<DataEntry> {
    raw.iter()
        .map(|&(p, shape, v)| DataEntry {
            principal: GRANTABLE[p].into(),
            access: (shape == 0).then(|| "unlimited".to_string()),
            rules: (shape != 0).then(|| {
                let mut rules = vec![Rule {
                    table: "T".into(),
                    column: "C".into(),
                    values: vec![format!("{}", v % 3), format!("{}", v % 5)],
                }];
                if shape == 2 {
                    rules.push(Rule {
                        table: "T".into(),
                        column: "C".into(),
                        values: vec![format!("{}", v % 2)],
                    });
                }
                rules
            }),
        })
        .collect()
}

/// One generated operation: a grant, a revoke or new data permissions.
#[derive(Debug, Clone)]
enum GenOp {
    Grant(usize, usize, usize),
    Revoke(usize, usize, usize),
    Data(usize, bool, Vec<(usize, u8, u8)>),
}

fn gen_op() -> impl Strategy<Value = GenOp> {
    let target = || (0usize..GRANTABLE.len(), 0usize..21, 0usize..8);
    prop_oneof![
        target().prop_map(|(p, r, f)| GenOp::Grant(p, r, f)),
        target().prop_map(|(p, r, f)| GenOp::Revoke(p, r, f)),
        (
            0usize..4,
            any::<bool>(),
            prop::collection::vec((0usize..GRANTABLE.len(), 0u8..3, any::<u8>()), 0..3)
        )
            .prop_map(|(m, on, e)| GenOp::Data(m, on, e)),
    ]
}

/// The operation, and the same change made to a plain snapshot by hand.
fn realise(op: &GenOp, s: &mut Snapshot, cat: &permissions_core::model::Compiled) -> Op {
    let flag = |r: usize, f: usize| {
        let kind = cat.kind(cat.kind_idx(&s.resources[r].kind).expect("kind"));
        kind.perms[f % kind.perms.len()].id.clone()
    };
    match op {
        GenOp::Grant(p, r, f) => {
            let (res, perm) = (s.resources[*r].id.clone(), flag(*r, *f));
            s.grants.push(Grant {
                principal: GRANTABLE[*p].into(),
                resource: res.clone(),
                permissions: vec![perm.clone()],
                origin: Origin::Manual,
            });
            Op::grant(GRANTABLE[*p], &res, &perm)
        }
        GenOp::Revoke(p, r, f) => {
            let (res, perm) = (s.resources[*r].id.clone(), flag(*r, *f));
            for g in s
                .grants
                .iter_mut()
                .filter(|g| g.principal == GRANTABLE[*p] && g.resource == res)
            {
                g.permissions.retain(|x| x != &perm);
            }
            Op::revoke(GRANTABLE[*p], &res, &perm)
        }
        GenOp::Data(m, enabled, raw) => {
            let dp = DataPermissions {
                data_model: MODELS[*m].into(),
                enabled: *enabled,
                entries: entries_varied(raw),
            };
            s.data_permissions.retain(|d| d.data_model != MODELS[*m]);
            s.data_permissions.push(dp.clone());
            Op::SetDataPermissions(permissions_core::eval::SetDataOp {
                data_model: dp.data_model,
                enabled: dp.enabled,
                entries: dp.entries,
            })
        }
    }
}

/// Every capability and data access of the listed principals, by the reference model.
fn reference_values(
    cat: &Catalog,
    s: &Snapshot,
) -> std::collections::BTreeMap<(String, String, String), String> {
    let reference = Ref { cat, snap: s };
    let mut out = std::collections::BTreeMap::new();
    for p in LISTED {
        for r in s.resources.iter() {
            let kind = cat.kinds.iter().find(|k| k.id == r.kind).expect("kind");
            for c in &kind.capabilities {
                out.insert(
                    (p.into(), r.id.clone(), c.id.clone()),
                    reference.can(p, &r.id, &c.id).to_string(),
                );
            }
            if r.kind == "data-model" {
                out.insert(
                    (p.into(), r.id.clone(), "data".into()),
                    format!("{:?}", reference.data_access(p, &r.id)),
                );
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn data_access_agrees_with_the_reference_model(
        s in snapshots(),
        data in prop::collection::vec((0usize..4, any::<bool>(), prop::collection::vec((0usize..GRANTABLE.len(), 0u8..3, any::<u8>()), 0..4)), 0..4),
    ) {
        let mut s = s;
        for (m, enabled, raw) in data {
            s.data_permissions.retain(|d| d.data_model != MODELS[m]);
            s.data_permissions.push(DataPermissions { data_model: MODELS[m].into(), enabled, entries: entries_varied(&raw) });
        }
        let t = team(&s);
        let cat = Catalog::from_json(Catalog::builtin_json()).expect("catalog");
        let reference = Ref { cat: &cat, snap: &s };
        for p in EVERYONE {
            for m in MODELS {
                let got = t.data_access(p, m).expect("ids");
                let (access, filter) = reference.data_access(p, m);
                prop_assert_eq!(got.access.as_str(), access.as_str(), "{} on {}", p, m);
                prop_assert_eq!(as_ref_filter(&got.filter), filter, "filter of {} on {}", p, m);
            }
        }
    }

    /// Spec §7: the impact of any change set mixing grants, revokes and data
    /// permissions on overlapping subtrees is exactly the brute-force difference
    /// of the two teams, capabilities and data access alike.
    #[test]
    fn a_mixed_change_set_has_exactly_the_brute_force_impact(
        s in snapshots(),
        initial in prop::collection::vec((0usize..4, any::<bool>(), prop::collection::vec((0usize..GRANTABLE.len(), 0u8..3, any::<u8>()), 0..3)), 0..3),
        ops in prop::collection::vec(gen_op(), 1..8),
    ) {
        let mut s = s;
        std::sync::Arc::make_mut(&mut s.directory).users.push(User { id: "u-admin".into(), name: "Admin".into(), email: String::new(), role: Role::Admin });
        for (m, enabled, raw) in initial {
            s.data_permissions.retain(|d| d.data_model != MODELS[m]);
            s.data_permissions.push(DataPermissions { data_model: MODELS[m].into(), enabled, entries: entries_varied(&raw) });
        }
        let t = team(&s);
        let cat = Catalog::from_json(Catalog::builtin_json()).expect("catalog");
        let mut next = s.clone();
        let ops: Vec<Op> = ops.iter().map(|o| realise(o, &mut next, &t.catalog)).collect();
        let (before, after) = (reference_values(&cat, &s), reference_values(&cat, &next));
        let expected: BTreeSet<_> = before.iter().filter(|(k, v)| after[*k] != **v).map(|(k, _)| (k.clone(), after[k].clone())).collect();

        let (_, imp) = impact(&t, "u-admin", &ops).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let got: BTreeSet<_> = imp.per_principal().map(|(p, r, c)| match c {
            permissions_core::eval::Change::Capability { capability, after, .. } => ((p.to_string(), r.to_string(), capability.clone()), after.to_string()),
            permissions_core::eval::Change::DataAccess { after, .. } => {
                let value = (after.access.as_str().to_string(), as_ref_filter(&after.filter));
                ((p.to_string(), r.to_string(), "data".to_string()), format!("{value:?}"))
            }
        }).collect();
        prop_assert_eq!(&got, &expected, "ops: {:?}", ops);
        // The reference model of the snapshot changed by hand agrees with the one the evaluator builds.
        let applied = t.apply("u-admin", &ops).map_err(|p| TestCaseError::fail(p.to_string()))?;
        prop_assert_eq!(reference_values(&cat, &applied.snapshot), reference_values(&cat, &next));
    }
}

// ---------- structural problems: mutated snapshots ----------

/// Whether a JSON path (`$.a[2].b`) names a value of the document.
fn path_exists(doc: &serde_json::Value, path: &str) -> bool {
    let Some(mut rest) = path.strip_prefix('$') else {
        return false;
    };
    let mut v = doc;
    while !rest.is_empty() {
        let next = if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            rest = &r[end..];
            v.get(&r[..end])
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else { return false };
            rest = &r[end + 1..];
            r[..end].parse::<usize>().ok().and_then(|i| v.get(i))
        } else {
            None
        };
        match next {
            Some(x) => v = x,
            None => return false,
        }
    }
    true
}

/// Every container value of the document (objects and lists), by pointer.
fn containers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            out.push(at.clone());
            for (k, x) in m {
                containers(x, format!("{at}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            out.push(at.clone());
            for (i, x) in a.iter().enumerate() {
                containers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// One mutation of a valid snapshot: rename a field (to a name no object of
/// the snapshot has) or replace a value by one no field accepts.
fn mutate(doc: &mut serde_json::Value, pick: usize, child: usize, kind: u8) {
    let mut all = Vec::new();
    containers(doc, String::new(), &mut all);
    let Some(target) = doc.pointer_mut(&all[pick % all.len()]) else {
        return;
    };
    // Nothing in a snapshot is a number, a list of numbers or an object with `zz`.
    let broken = match kind % 4 {
        0 | 3 => serde_json::json!(42),
        1 => serde_json::json!([1]),
        _ => serde_json::json!({"zz": 1}),
    };
    match target {
        serde_json::Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(child % m.len()).cloned().unwrap_or_default();
            let value = m.remove(&key).unwrap_or_default();
            if kind % 4 == 3 {
                m.insert(format!("{key}_x"), value);
            } else {
                m.insert(key, broken);
            }
        }
        serde_json::Value::Array(a) if !a.is_empty() => {
            let i = child % a.len();
            a[i] = broken;
        }
        other => *other = serde_json::json!(42),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn broken_snapshots_are_reported_at_paths_of_the_document(
        s in snapshots(),
        entries in prop::collection::vec((0usize..GRANTABLE.len(), any::<bool>(), any::<u8>()), 0..3),
        mutations in prop::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        let mut s = s;
        s.data_permissions.push(DataPermissions { data_model: "dm-00".into(), enabled: true, entries: entries_from(&entries) });
        s.version = Some("3".into());
        let cat = Catalog::builtin();
        let mut doc = serde_json::to_value(&s).expect("serialises");
        prop_assert_eq!(permissions_core::model::read_snapshot_value(&cat, &doc), Ok(s.clone()));
        for (pick, child, kind) in mutations {
            mutate(&mut doc, pick, child, kind);
        }
        let text = doc.to_string();
        let problems = match permissions_core::model::read_snapshot(&cat, &text) {
            Ok(_) => return Err(TestCaseError::fail(format!("accepted: {text}"))),
            Err(p) => p,
        };
        prop_assert!(!problems.0.is_empty());
        for p in &problems.0 {
            prop_assert!(p.path == "$" || path_exists(&doc, &p.path), "{} not in {}", p, text);
        }
        prop_assert!(Team::from_json(&text).is_err());
    }
}
