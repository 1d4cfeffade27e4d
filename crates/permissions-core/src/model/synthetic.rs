//! Deterministic synthetic teams of any size, for benchmarks and for trying
//! the UI at scale (no randomness source needed: a fixed linear congruential
//! sequence).

use super::snapshot::*;

/// The size of a synthetic team.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub users: usize,
    pub groups: usize,
    /// Packages in the big space (`sp-big`); assets are spread evenly over them.
    pub packages: usize,
    pub assets: usize,
    /// Users with a direct grant of their own somewhere.
    pub users_with_grants: usize,
}

impl Scale {
    /// The benchmark size of the project's performance targets.
    pub const TARGET: Scale = Scale {
        users: 5_000,
        groups: 50,
        packages: 20,
        assets: 2_000,
        users_with_grants: 1_000,
    };
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
}

fn res(id: String, kind: &str, parent: Option<&str>, name: String) -> Resource {
    Resource {
        id,
        kind: kind.into(),
        parent: parent.map(String::from),
        name,
        created_by: None,
    }
}

fn grant(p: &str, r: &str, perms: &[&str]) -> Grant {
    Grant {
        principal: p.into(),
        resource: r.into(),
        permissions: perms.iter().map(|s| s.to_string()).collect(),
        origin: Origin::Manual,
    }
}

/// A team with one big space (`sp-big`, `packages` packages, `assets` assets),
/// three small spaces, a data pool with models, groups of every role and
/// grants at every level.
pub fn team(scale: Scale) -> Snapshot {
    let mut rng = Lcg(42);
    let roles = [Role::Member, Role::Member, Role::Analyst];
    let users: Vec<User> = (0..scale.users)
        .map(|i| User {
            id: format!("u-{i}"),
            name: format!("User {i}"),
            email: format!("user{i}@example.com"),
            role: if i < 5 {
                Role::Admin
            } else {
                roles[rng.next(3)]
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
    for (i, u) in users.iter().enumerate() {
        if groups.is_empty() {
            break;
        }
        let n = groups.len();
        groups[i % n].members.push(u.id.clone());
        let other = rng.next(n);
        if other != i % n {
            groups[other].members.push(u.id.clone());
        }
    }
    let mut resources = vec![
        res("studio".into(), "studio", None, "Studio".into()),
        res(
            "di".into(),
            "data-integration",
            None,
            "Data Integration".into(),
        ),
        res("dp-0".into(), "data-pool", Some("di"), "Pool".into()),
    ];
    for m in 0..10 {
        resources.push(res(
            format!("dm-{m}"),
            "data-model",
            Some("dp-0"),
            format!("Model {m}"),
        ));
    }
    resources.push(res(
        "sp-big".into(),
        "space",
        Some("studio"),
        "Big space".into(),
    ));
    let asset_kinds = [
        "view",
        "analysis",
        "action-flow",
        "data-explorer",
        "knowledge-model",
        "skill",
    ];
    for p in 0..scale.packages {
        resources.push(res(
            format!("pk-{p}"),
            "package",
            Some("sp-big"),
            format!("Package {p}"),
        ));
    }
    for a in 0..scale.assets {
        let p = a % scale.packages.max(1);
        resources.push(res(
            format!("a-{a}"),
            asset_kinds[a % 6],
            Some(&format!("pk-{p}")),
            format!("Asset {a}"),
        ));
    }
    for s in 0..3 {
        resources.push(res(
            format!("sp-{s}"),
            "space",
            Some("studio"),
            format!("Space {s}"),
        ));
        resources.push(res(
            format!("pk-s{s}"),
            "package",
            Some(&format!("sp-{s}")),
            format!("Small package {s}"),
        ));
        resources.push(res(
            format!("v-s{s}"),
            "view",
            Some(&format!("pk-s{s}")),
            format!("Small view {s}"),
        ));
    }
    let mut grants = Vec::new();
    let space_flags = [
        "use-all-packages",
        "edit-all-packages",
        "delete-all-packages",
        "manage-permissions",
        "edit-space",
    ];
    for g in 0..scale.groups {
        let gid = format!("g-{g}");
        grants.push(grant(&gid, "sp-big", &[space_flags[g % space_flags.len()]]));
        grants.push(grant(
            &gid,
            &format!("pk-{}", g % scale.packages.max(1)),
            &["edit"],
        ));
        grants.push(grant(&gid, "dp-0", &["use-data-models"]));
    }
    for i in 0..scale.users_with_grants.min(scale.users) {
        let uid = format!("u-{i}");
        match i % 4 {
            0 => grants.push(grant(
                &uid,
                &format!("pk-{}", rng.next(scale.packages.max(1))),
                &["edit", "delete"],
            )),
            1 => grants.push(grant(
                &uid,
                &format!("a-{}", rng.next(scale.assets.max(1))),
                &["use"],
            )),
            2 => grants.push(grant(
                &uid,
                &format!("sp-{}", rng.next(3)),
                &["edit-all-packages"],
            )),
            _ => grants.push(grant(&uid, &format!("dm-{}", rng.next(10)), &["use"])),
        }
    }
    let data_permissions = (0..5)
        .map(|m| DataPermissions {
            data_model: format!("dm-{m}"),
            enabled: true,
            entries: (0..scale.groups.min(10))
                .map(|g| DataEntry {
                    principal: format!("g-{g}"),
                    access: None,
                    rules: Some(vec![Rule {
                        table: "VBAK".into(),
                        column: "BUKRS".into(),
                        values: vec![format!("{}", 1000 + g)],
                    }]),
                })
                .collect(),
        })
        .collect();
    Snapshot {
        directory: Directory {
            users,
            groups,
            applications: vec![Application {
                id: "app-0".into(),
                name: "App".into(),
            }],
            api_keys: vec![ApiKey {
                id: "k-0".into(),
                owner: "u-7".into(),
                name: None,
            }],
            oauth_clients: vec![OAuthClient {
                id: "oc-0".into(),
                name: "Client".into(),
                scopes: vec!["studio".into()],
            }],
        },
        resources,
        grants,
        data_permissions,
        version: Some("1".into()),
    }
}
