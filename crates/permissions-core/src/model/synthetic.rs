//! Deterministic synthetic teams, the workloads of every benchmark and of the
//! app's large demo: [`Scale::S`], [`Scale::M`], [`Scale::L`] (a fixed linear
//! congruential sequence, so the same scale is the same team everywhere).
//!
//! Shapes are those of a real team: most grants at space and package level,
//! users in one to three groups, API keys owned by users (acting as them), applications and
//! OAuth clients with grants of their own, data permissions on some models.
//! Stable ids the benchmarks name: `sp-big` (the space with `big_assets`
//! assets in up to 20 packages `pk-0…`, assets `a-0…`), users `u-0…` (the
//! first five are admins), groups `g-0…`, models `dm-0…` in pools `dp-0…`.

use super::snapshot::*;
use rustc_hash::FxHashSet;

/// The size of a synthetic team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub name: &'static str,
    pub users: usize,
    pub groups: usize,
    /// Resources in all (the studio, the data side, `sp-big` and as many
    /// further spaces of 5 packages × 10 assets as fill the count).
    pub resources: usize,
    /// Assets in `sp-big`.
    pub big_assets: usize,
    /// Grant entries in all.
    pub grants: usize,
    pub data_models: usize,
    /// Models with data permissions.
    pub models_with_data: usize,
}

impl Scale {
    pub const S: Scale = Scale {
        name: "S",
        users: 50,
        groups: 5,
        resources: 300,
        big_assets: 100,
        grants: 300,
        data_models: 10,
        models_with_data: 5,
    };
    pub const M: Scale = Scale {
        name: "M",
        users: 2_000,
        groups: 200,
        resources: 5_000,
        big_assets: 2_000,
        grants: 10_000,
        data_models: 50,
        models_with_data: 20,
    };
    pub const L: Scale = Scale {
        name: "L",
        users: 10_000,
        groups: 500,
        resources: 20_000,
        big_assets: 2_000,
        grants: 50_000,
        data_models: 100,
        models_with_data: 50,
    };

    /// `S`, `M` or `L` (any case).
    pub fn named(name: &str) -> Option<Scale> {
        [Scale::S, Scale::M, Scale::L]
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// Packages in `sp-big`.
    pub fn big_packages(&self) -> usize {
        self.big_assets.div_ceil(5).clamp(1, 20)
    }
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next(items.len())]
    }
    fn place<'a>(&mut self, ids: &'a [String]) -> &'a str {
        &ids[self.next(ids.len())]
    }
}

const ASSET_KINDS: [&str; 6] = [
    "view",
    "analysis",
    "action-flow",
    "data-explorer",
    "knowledge-model",
    "skill",
];
const SPACE_FLAGS: [&str; 5] = [
    "use-all-packages",
    "edit-all-packages",
    "delete-all-packages",
    "manage-permissions",
    "edit-space",
];

fn res(id: String, kind: &str, parent: Option<&str>, name: String) -> Resource {
    Resource {
        id,
        kind: kind.into(),
        parent: parent.map(String::from),
        name,
        created_by: None,
    }
}

/// The resources by level, for picking grant targets.
#[derive(Default)]
struct Places {
    spaces: Vec<String>,
    packages: Vec<String>,
    assets: Vec<String>,
    pools: Vec<String>,
    models: Vec<String>,
}

fn resources(scale: Scale) -> (Vec<Resource>, Places) {
    let mut out = Vec::with_capacity(scale.resources.max(2));
    out.extend([
        res("studio".into(), "studio", None, "Studio".into()),
        res(
            "di".into(),
            "data-integration",
            None,
            "Data Integration".into(),
        ),
    ]);
    let mut at = Places::default();
    for m in 0..scale.data_models.max(1) {
        let pool = format!("dp-{}", m / 10);
        if m % 10 == 0 {
            out.push(res(
                pool.clone(),
                "data-pool",
                Some("di"),
                format!("Pool {}", m / 10),
            ));
            at.pools.push(pool.clone());
        }
        out.push(res(
            format!("dm-{m}"),
            "data-model",
            Some(&pool),
            format!("Model {m}"),
        ));
        at.models.push(format!("dm-{m}"));
    }
    out.push(res(
        "sp-big".into(),
        "space",
        Some("studio"),
        "Big space".into(),
    ));
    at.spaces.push("sp-big".into());
    let packages = scale.big_packages();
    for p in 0..packages {
        out.push(res(
            format!("pk-{p}"),
            "package",
            Some("sp-big"),
            format!("Package {p}"),
        ));
        at.packages.push(format!("pk-{p}"));
    }
    for a in 0..scale.big_assets {
        out.push(res(
            format!("a-{a}"),
            ASSET_KINDS[a % 6],
            Some(&format!("pk-{}", a % packages)),
            format!("Asset {a}"),
        ));
        at.assets.push(format!("a-{a}"));
    }
    // Further spaces of 5 packages × 10 assets until the count is reached.
    let mut s = 0;
    while out.len() < scale.resources {
        let space = format!("sp-{s}");
        out.push(res(
            space.clone(),
            "space",
            Some("studio"),
            format!("Space {s}"),
        ));
        at.spaces.push(space.clone());
        for p in 0..5 {
            if out.len() >= scale.resources {
                break;
            }
            let package = format!("pk-{s}-{p}");
            out.push(res(
                package.clone(),
                "package",
                Some(&space),
                format!("Package {s}.{p}"),
            ));
            at.packages.push(package.clone());
            for k in 0..10 {
                if out.len() >= scale.resources {
                    break;
                }
                let asset = format!("a-{s}-{p}-{k}");
                out.push(res(
                    asset.clone(),
                    ASSET_KINDS[(s + p + k) % 6],
                    Some(&package),
                    format!("Asset {s}.{p}.{k}"),
                ));
                at.assets.push(asset);
            }
        }
        s += 1;
    }
    (out, at)
}

fn directory(scale: Scale, rng: &mut Lcg) -> Directory {
    let roles = [Role::Member, Role::Member, Role::Analyst];
    let users: Vec<User> = (0..scale.users)
        .map(|i| User {
            id: format!("u-{i}"),
            name: format!("User {i}"),
            email: format!("user{i}@example.com"),
            role: if i < 5 {
                Role::Admin
            } else {
                *rng.pick(&roles)
            },
        })
        .collect();
    let mut groups: Vec<Group> = (0..scale.groups)
        .map(|g| Group {
            id: format!("g-{g}"),
            name: format!("Group {g}"),
            role: roles[g % 3],
            members: Vec::new(),
        })
        .collect();
    if !groups.is_empty() {
        let n = groups.len();
        for (i, u) in users.iter().enumerate() {
            // One to three groups each, the first round-robin.
            let mut mine = vec![i % n];
            for _ in 0..rng.next(3) {
                let g = rng.next(n);
                if !mine.contains(&g) {
                    mine.push(g);
                }
            }
            for g in mine {
                groups[g].members.push(u.id.clone());
            }
        }
    }
    let scopes = [
        "studio",
        "studio.packages:read",
        "integration.data-pools:read",
    ];
    Directory {
        applications: (0..(scale.users / 1000).max(1))
            .map(|i| Application {
                id: format!("app-{i}"),
                name: format!("App {i}"),
            })
            .collect(),
        api_keys: (0..(scale.users / 20).max(1))
            .map(|i| ApiKey {
                id: format!("k-{i}"),
                owner: format!("u-{}", rng.next(scale.users)),
                name: Some(format!("Key {i}")),
            })
            .collect(),
        oauth_clients: (0..(scale.users / 500).max(1))
            .map(|i| OAuthClient {
                id: format!("oc-{i}"),
                name: format!("Client {i}"),
                scopes: vec![scopes[i % scopes.len()].into()],
            })
            .collect(),
        users,
        groups,
    }
}

/// Grant entries, one per (principal, resource).
struct Grants<'a> {
    list: Vec<Grant>,
    seen: FxHashSet<(&'a str, &'a str)>,
}

impl<'a> Grants<'a> {
    fn add(&mut self, p: &'a str, r: &'a str, perms: &[&str]) {
        if self.seen.insert((p, r)) {
            self.list.push(Grant {
                principal: p.into(),
                resource: r.into(),
                permissions: perms.iter().map(|s| s.to_string()).collect(),
                origin: Origin::Manual,
            });
        }
    }
}

fn grants(scale: Scale, dir: &Directory, at: &Places, rng: &mut Lcg) -> Vec<Grant> {
    let mut out = Grants {
        list: Vec::with_capacity(scale.grants),
        seen: FxHashSet::default(),
    };
    for (g, group) in dir.groups.iter().enumerate() {
        let id = &group.id;
        out.add(id, "sp-big", &[SPACE_FLAGS[g % SPACE_FLAGS.len()]]);
        out.add(id, rng.place(&at.spaces), &["use-all-packages"]);
        out.add(id, rng.place(&at.packages), &["edit"]);
        out.add(id, rng.place(&at.packages), &["use"]);
        out.add(id, rng.place(&at.pools), &["use-data-models"]);
    }
    for app in &dir.applications {
        out.add(&app.id, rng.place(&at.spaces), &["use-all-packages"]);
        out.add(&app.id, rng.place(&at.models), &["use"]);
    }
    for oc in &dir.oauth_clients {
        out.add(&oc.id, rng.place(&at.spaces), &["use-all-packages"]);
        out.add(&oc.id, rng.place(&at.pools), &["use-data-models"]);
    }
    // Users fill the rest: packages most, then spaces, assets, models.
    let users = dir.users.len().max(1);
    let mut attempts = 0;
    while out.list.len() < scale.grants && attempts < scale.grants * 4 {
        attempts += 1;
        let u = &dir.users[rng.next(users)].id;
        match rng.next(20) {
            0..=8 => {
                const PACKAGE_PERMS: [&[&str]; 3] = [&["use"], &["edit"], &["edit", "delete"]];
                let perms = PACKAGE_PERMS[rng.next(3)];
                out.add(u, rng.place(&at.packages), perms)
            }
            9..=13 => {
                let flag = *rng.pick(&["use-all-packages", "edit-all-packages"]);
                out.add(u, rng.place(&at.spaces), &[flag])
            }
            14..=17 => out.add(u, rng.place(&at.assets), &["use"]),
            _ => out.add(u, rng.place(&at.models), &["use"]),
        }
    }
    out.list
}

fn data_permissions(scale: Scale) -> Vec<DataPermissions> {
    (0..scale.models_with_data.min(scale.data_models))
        .map(|m| DataPermissions {
            data_model: format!("dm-{m}"),
            enabled: true,
            entries: (0..scale.groups.min(10))
                .map(|j| {
                    let g = (m * 7 + j) % scale.groups;
                    DataEntry {
                        principal: format!("g-{g}"),
                        access: None,
                        rules: Some(vec![Rule {
                            table: "VBAK".into(),
                            column: "BUKRS".into(),
                            values: vec![format!("{}", 1000 + g)],
                        }]),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The team of this scale; the same scale always gives the same team.
pub fn team(scale: Scale) -> Snapshot {
    let mut rng = Lcg(42);
    let (resources, at) = resources(scale);
    let directory = directory(scale, &mut rng);
    let grants = grants(scale, &directory, &at, &mut rng);
    Snapshot {
        grants,
        data_permissions: data_permissions(scale),
        directory: directory.into(),
        resources: resources.into(),
        version: Some("1".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalog;
    use std::sync::Arc;

    #[test]
    fn every_scale_is_a_valid_team_of_its_size() {
        for scale in [Scale::S, Scale::M, Scale::L] {
            let snap = team(scale);
            assert_eq!(snap.directory.users.len(), scale.users);
            assert_eq!(snap.directory.groups.len(), scale.groups);
            assert_eq!(snap.resources.len(), scale.resources, "{}", scale.name);
            assert_eq!(snap.grants.len(), scale.grants, "{}", scale.name);
            let team = crate::eval::Team::new(Arc::new(Catalog::builtin()), snap.clone());
            assert!(team.is_ok(), "{}: {:?}", scale.name, team.err());
            assert_eq!(snap, super::team(scale), "deterministic");
        }
    }

    #[test]
    fn users_are_in_several_groups_and_grants_sit_mostly_high() {
        let snap = team(Scale::M);
        let memberships: usize = snap.directory.groups.iter().map(|g| g.members.len()).sum();
        assert!(memberships > snap.directory.users.len() * 3 / 2);
        let kind: std::collections::HashMap<&str, &str> = snap
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.kind.as_str()))
            .collect();
        let high = snap
            .grants
            .iter()
            .filter(|g| matches!(kind[g.resource.as_str()], "space" | "package"))
            .count();
        assert!(high * 2 > snap.grants.len());
    }
}
