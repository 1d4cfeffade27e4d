//! Who may save what: an authorization matrix over the demo team (admins,
//! analysts and members × resources they manage, resources they do not, and
//! the service level), each save answered 200 or 403 exactly as the core
//! evaluator decides; 422 for change sets with problems beyond authority;
//! and a restart that keeps everything. SQLite files in temporary directories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{grant, sqlite_url, Reply, TestServer};
use permissions_core::eval::change::may_manage;
use permissions_core::eval::{Op, Team};
use permissions_server::config::Config;
use serde_json::{json, Value};

/// Actors of every role: admins, analysts (managing a space as its creator,
/// a package as its creator, a package through granted flags; holding an
/// ineffective manage-permissions) and members.
const ACTORS: [(&str, &str); 8] = [
    ("u-admin", "admin"),
    ("u-hel", "admin"),
    ("u-carla", "analyst"),
    ("u-lia", "analyst"),
    ("u-eli", "analyst"),
    ("u-bo", "analyst"),
    ("u-quinn", "member"),
    ("u-rosa", "member"),
];

/// Both services, a pool and a model under one, spaces, packages and an
/// object in a package.
const RESOURCES: [&str; 12] = [
    "di",
    "studio",
    "dp-sap",
    "dm-o2c",
    "sp-sales",
    "pk-o2c",
    "pk-pricing",
    "v-price-leakage",
    "sp-fin",
    "pk-log",
    "af-log-expedite",
    "pk-inv",
];

/// The grantee of every save: not an actor, so no save changes who may
/// manage what.
const GRANTEE: &str = "u-pia";

/// Cases known from the demo data and the spec, written out so that a server
/// and a core that were wrong together could not pass.
const KNOWN: &[(&str, &str, u16)] = &[
    // Admins manage everything, the service level included.
    ("u-admin", "di", 200),
    ("u-admin", "studio", 200),
    ("u-hel", "sp-fin", 200),
    ("u-hel", "dm-o2c", 200),
    // carla created sp-sales: manages it and what is in it, nothing else.
    ("u-carla", "sp-sales", 200),
    ("u-carla", "pk-o2c", 200),
    ("u-carla", "v-price-leakage", 200),
    ("u-carla", "sp-fin", 403),
    ("u-carla", "pk-log", 403),
    ("u-carla", "dp-sap", 403),
    // The service level is admin-only, whatever an analyst manages.
    ("u-carla", "studio", 403),
    ("u-carla", "di", 403),
    // lia created pk-pricing: the package and its objects, not the space.
    ("u-lia", "pk-pricing", 200),
    ("u-lia", "v-price-leakage", 200),
    ("u-lia", "sp-sales", 403),
    ("u-lia", "pk-o2c", 403),
    // eli holds manage-permissions on pk-log without its partner `edit`: an
    // ineffective flag manages nothing.
    ("u-eli", "pk-log", 403),
    ("u-eli", "af-log-expedite", 403),
    // bo was granted edit and manage-permissions on pk-log (SETUP): that package and
    // what is in it, nothing else.
    ("u-bo", "pk-log", 200),
    ("u-bo", "af-log-expedite", 200),
    ("u-bo", "sp-sales", 403),
    ("u-bo", "pk-pricing", 403),
    // Members manage nothing, not even rosa, granted edit and
    // manage-permissions on pk-inv (SETUP): the flags need the analyst role.
    ("u-quinn", "sp-sales", 403),
    ("u-quinn", "studio", 403),
    ("u-rosa", "pk-inv", 403),
    ("u-rosa", "di", 403),
];

/// Saved by an admin before the matrix: edit and manage-permissions on a
/// package for an analyst who manages nothing in the demo team, and for a
/// member.
const SETUP: [(&str, &str); 2] = [("u-bo", "pk-log"), ("u-rosa", "pk-inv")];

/// The first permission of `resource`'s kind (a viewer-tier `use…` flag).
fn some_permission(team: &Team, resource: &str) -> String {
    let r = team.resource_idx(resource).expect("a demo resource");
    team.kind_of(r).perms[0].id.clone()
}

/// What the core says `actor` saving on `resource` gets: 200, or 403 with the
/// evaluator's reason.
fn core_decision(team: &Team, actor: &str, resource: &str) -> (u16, Option<String>) {
    let a = team.principal_idx(actor).expect("a demo principal");
    let r = team.resource_idx(resource).expect("a demo resource");
    match may_manage(&team.view(), a, r) {
        Ok(()) => (200, None),
        Err(reason) => (403, Some(reason)),
    }
}

fn grant_set(t: &Team) -> Vec<(String, String, String, String)> {
    let mut set: Vec<_> = t
        .snapshot
        .grants
        .iter()
        .flat_map(|g| {
            g.permissions.iter().map(move |p| {
                (
                    g.principal.clone(),
                    g.resource.clone(),
                    p.clone(),
                    format!("{:?}", g.origin),
                )
            })
        })
        .collect();
    set.sort();
    set
}

async fn load(server: &TestServer) -> (Reply, Team) {
    let team = server.get("/api/v1/team", Some("u-admin")).await;
    assert_eq!(team.status, 200);
    let core = Team::from_json(&team.body.to_string()).expect("a valid snapshot");
    (team, core)
}

#[tokio::test]
async fn every_save_is_answered_as_the_core_evaluator_decides() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(dir.path());
    let server = TestServer::start(Config::for_database(&url)).await;
    // A package's manage-permissions needs its partner `edit`.
    let setup: Vec<Value> = SETUP
        .iter()
        .flat_map(|(p, r)| [grant(p, r, "edit"), grant(p, r, "manage-permissions")])
        .collect();
    let saved = server.save("u-admin", "1", json!(setup)).await;
    assert_eq!(saved.status, 200, "{:#}", saved.body);
    let (_, initial) = load(&server).await;

    // The hard-coded cases agree with the core on the demo team.
    for &(actor, resource, status) in KNOWN {
        assert_eq!(
            core_decision(&initial, actor, resource).0,
            status,
            "the core on {actor} × {resource}"
        );
    }
    // Admin-only service level, as the core says it.
    for (actor, role) in ACTORS {
        for service in ["di", "studio"] {
            let expected = if role == "admin" { 200 } else { 403 };
            assert_eq!(core_decision(&initial, actor, service).0, expected);
        }
    }

    // Every actor × resource, one save each; the expected team follows the
    // committed saves through the core.
    let mut expected_team = initial.clone();
    let mut version = 2u64;
    let mut seen = std::collections::BTreeMap::<(&str, u16), usize>::new();
    let mut table = format!("{:<18}{}\n", "", RESOURCES.join(" "));
    for (actor, role) in ACTORS {
        table.push_str(&format!("{:<18}", format!("{actor} ({role})")));
        for resource in RESOURCES {
            let permission = some_permission(&initial, resource);
            let changes = json!([grant(GRANTEE, resource, &permission)]);
            let (status, reason) = core_decision(&expected_team, actor, resource);
            let ops: Vec<Op> = serde_json::from_value(changes.clone()).unwrap();
            let applied = expected_team.apply(actor, &ops);
            assert_eq!(
                applied.is_ok(),
                status == 200,
                "Team::apply and may_manage agree on {actor} × {resource}"
            );
            let reply = server.save(actor, &version.to_string(), changes).await;
            assert_eq!(
                reply.status, status,
                "{actor} ({role}) saving on {resource}: {:#}",
                reply.body
            );
            if let Some(&(_, _, known)) =
                KNOWN.iter().find(|(a, r, _)| *a == actor && *r == resource)
            {
                assert_eq!(reply.status, known, "{actor} × {resource} (known case)");
            }
            *seen.entry((role, status)).or_default() += 1;
            table.push_str(&format!("{:>w$} ", reply.status, w = resource.len()));
            if status == 200 {
                version += 1;
                assert_eq!(reply.body["version"], version.to_string());
                assert_eq!(reply.etag(), Some(format!("\"{version}\"")));
                assert_eq!(reply.body["audit"][0]["actor"], actor);
                expected_team = applied.unwrap();
            } else {
                // 403 carries the evaluator's reason, in `detail` and in the
                // operation's `not-allowed` problem.
                let reason = reason.unwrap();
                assert_eq!(reply.problem_codes(), vec!["not-allowed"]);
                assert!(
                    reply.body["detail"].as_str().unwrap().contains(&reason),
                    "the reason `{reason}` in {:#}",
                    reply.body
                );
                assert_eq!(reply.body["problems"][0]["message"], reason);
                assert_eq!(reply.body["problems"][0]["path"], "$.changes[0]");
            }
        }
        table.push('\n');
    }
    eprintln!("{table}");
    // The matrix has both answers where a role has both.
    for (role, statuses) in [
        ("admin", &[200][..]),
        ("analyst", &[200, 403][..]),
        ("member", &[403][..]),
    ] {
        for status in statuses {
            assert!(
                seen.get(&(role, *status)).copied().unwrap_or(0) > 0,
                "{role} got some {status}: {seen:?}"
            );
        }
    }
    assert!(!seen.contains_key(&("admin", 403)), "{seen:?}");
    assert!(!seen.contains_key(&("member", 200)), "{seen:?}");

    // A refused save changes nothing: the stored team is the committed saves
    // replayed by the core, at their version.
    let (team, stored) = load(&server).await;
    assert_eq!(team.etag(), Some(format!("\"{version}\"")));
    assert_eq!(grant_set(&stored), grant_set(&expected_team));
    let audit = server.get("/api/v1/audit?limit=500", Some("u-admin")).await;
    assert_eq!(audit.body["total"], version - 2 + 2 * SETUP.len() as u64);

    // A restart keeps everything: a new server on the same file loads the
    // same snapshot at the same version, the same audit log and tokens, and
    // goes on from that version.
    let tokens = server.tokens.clone();
    server.stop().await;
    let again = TestServer::start(Config::for_database(&url)).await;
    assert!(!again.seeded);
    assert_eq!(again.tokens, tokens);
    let (team_again, _) = load(&again).await;
    assert_eq!(team_again.etag(), team.etag());
    assert_eq!(team_again.body, team.body);
    let audit_again = again.get("/api/v1/audit?limit=500", Some("u-admin")).await;
    assert_eq!(audit_again.body, audit.body);
    let fresh = again
        .send(
            "GET",
            "/api/v1/team",
            Some("u-admin"),
            &[("If-None-Match", &format!("\"{version}\""))],
            None,
        )
        .await;
    assert_eq!(
        fresh.status, 304,
        "the version from before the restart is current"
    );
    let next = again
        .save(
            "u-carla",
            &version.to_string(),
            json!([{"op": "revoke", "principal": GRANTEE, "resource": "sp-sales", "permission": some_permission(&initial, "sp-sales")}]),
        )
        .await;
    assert_eq!(next.status, 200, "{:#}", next.body);
    assert_eq!(next.body["version"], (version + 1).to_string());
    again.stop().await;
}

/// 422, not 403, as soon as a change set has a problem other than authority;
/// malformed operations, unknown fields and unknown ids are all listed.
#[tokio::test]
async fn invalid_and_malformed_change_sets_are_422() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(Config::for_database(&sqlite_url(dir.path()))).await;
    let cases: Vec<(&str, &str, Value, &[&str])> = vec![
        (
            "an unknown field in an operation",
            "u-admin",
            json!([{"op": "grant", "principal": "u-bo", "resource": "sp-sales", "permission": "edit-space", "until": "tomorrow"}]),
            &["unknown-field"],
        ),
        (
            "a missing field",
            "u-admin",
            json!([{"op": "grant", "principal": "u-bo", "resource": "sp-sales"}]),
            &["malformed-json"],
        ),
        (
            "a wrong type",
            "u-admin",
            json!([{"op": "set-data-permissions", "data_model": "dm-o2c", "enabled": "yes"}]),
            &["malformed-json"],
        ),
        (
            "changes is not a list",
            "u-admin",
            json!({"op": "grant"}),
            &["malformed-json"],
        ),
        (
            "an unknown principal",
            "u-admin",
            json!([grant("u-ghost", "sp-sales", "edit-space")]),
            &["unknown-principal"],
        ),
        (
            "an unknown resource",
            "u-admin",
            json!([grant("u-bo", "sp-ghost", "edit-space")]),
            &["unknown-resource"],
        ),
        (
            "a permission the kind does not have",
            "u-admin",
            json!([grant("u-bo", "pk-o2c", "edit-space")]),
            &["unknown-permission"],
        ),
        (
            "an unknown data model",
            "u-admin",
            json!([{"op": "set-data-permissions", "data_model": "dm-ghost", "enabled": false, "entries": []}]),
            &["unknown-resource"],
        ),
        (
            "not allowed and an unknown id: 422 with both",
            "u-quinn",
            json!([
                grant("u-bo", "sp-sales", "edit-space"),
                grant("u-ghost", "sp-sales", "edit-space")
            ]),
            &["not-allowed", "unknown-principal"],
        ),
    ];
    for (what, actor, changes, codes) in cases {
        let reply = server.save(actor, "1", changes).await;
        assert_eq!(reply.status, 422, "{what}: {:#}", reply.body);
        let found = reply.problem_codes();
        for code in codes {
            assert!(
                found.iter().any(|c| c == code),
                "{what}: {code} in {found:?}"
            );
        }
        for p in reply.body["problems"].as_array().unwrap() {
            assert!(
                p["path"].as_str().unwrap().starts_with("$.changes"),
                "{what}: {p}"
            );
        }
    }
    // Bodies that are no change set at all: 422 on the current version and
    // on a stale one alike (the shape is checked before the version).
    for (what, body, code) in [
        ("no changes", json!({}), "malformed-json"),
        ("a list", json!([]), "malformed-json"),
        ("a number", json!(7), "malformed-json"),
        (
            "operations that are no objects",
            json!({"changes": [false, "grant", null]}),
            "malformed-json",
        ),
        (
            "an unknown field beside changes",
            json!({"changes": [], "comment": "x"}),
            "unknown-field",
        ),
    ] {
        for version in ["\"1\"", "\"0\""] {
            let reply = server
                .send(
                    "POST",
                    "/api/v1/team/changes",
                    Some("u-admin"),
                    &[("If-Match", version)],
                    Some(&body),
                )
                .await;
            assert_eq!(reply.status, 422, "{what} on {version}: {:#}", reply.body);
            assert!(
                reply.problem_codes().iter().any(|c| c == code),
                "{what}: {:#}",
                reply.body
            );
        }
    }
    // Nothing was saved.
    let team = server.get("/api/v1/team", Some("u-admin")).await;
    assert_eq!(team.etag().as_deref(), Some("\"1\""));
    assert_eq!(
        server.get("/api/v1/audit", Some("u-admin")).await.body["total"],
        0
    );
    server.stop().await;
}

/// Requests of the wrong shape are refused before anything is read or
/// saved (found by the schemathesis contract layer): a check body that is a
/// JSON array (serde would read a struct from its fields in order), a
/// question that is no object, an empty `If-Match`.
#[tokio::test]
async fn requests_of_the_wrong_shape_are_400() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(Config::for_database(&sqlite_url(dir.path()))).await;
    for body in [
        json!([[]]),
        json!([[{"principal": "u-bo", "resource": "sp-sales", "capability": "rename"}]]),
        json!({"questions": [["u-bo", "sp-sales", "rename"]]}),
        json!("questions"),
    ] {
        let reply = server
            .send("POST", "/api/v1/check", Some("u-ana"), &[], Some(&body))
            .await;
        assert_eq!(reply.status, 400, "{body}: {:#}", reply.body);
        assert_eq!(reply.problem_codes(), vec!["malformed-json"]);
    }
    for if_match in ["", " , "] {
        let reply = server
            .send(
                "POST",
                "/api/v1/team/changes",
                Some("u-admin"),
                &[("If-Match", if_match)],
                Some(&json!({"changes": [grant("u-bo", "sp-sales", "edit-space")]})),
            )
            .await;
        assert_eq!(reply.status, 400, "If-Match `{if_match}`: {:#}", reply.body);
    }
    let team = server.get("/api/v1/team", Some("u-admin")).await;
    assert_eq!(team.etag().as_deref(), Some("\"1\""));
    server.stop().await;
}
