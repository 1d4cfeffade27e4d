//! The API on a real PostgreSQL: a throwaway cluster per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::postgres::Cluster;
use common::{grant, TestServer};
use permissions_server::config::Config;
use serde_json::{json, Value};

#[tokio::test]
async fn full_flow_on_postgres() {
    let cluster = Cluster::start();
    let server = TestServer::start(Config::for_database(&cluster.url())).await;
    assert!(server.seeded);
    common::scenario::full_flow(&server).await;
    server.stop().await;
    // A second start on the same database reuses it.
    let again = TestServer::start(Config::for_database(&cluster.url())).await;
    assert!(!again.seeded);
    assert_eq!(
        again.get("/api/v1/audit", Some("u-admin")).await.body["total"],
        4
    );
    again.stop().await;
}

/// Two instances (two pools) on one database: of two saves from the same
/// version exactly one wins, the other gets 412 naming the winner, and no
/// update is lost (the loser's retry on the new version lands too).
#[tokio::test]
async fn concurrent_saves_on_two_instances_lose_nothing() {
    let cluster = Cluster::start();
    let a = TestServer::start(Config::for_database(&cluster.url())).await;
    let b = TestServer::start(Config::for_database(&cluster.url())).await;
    assert!(a.seeded && !b.seeded, "the database is seeded once");
    let people = ["u-ana", "u-bo", "u-dev", "u-eli", "u-fay", "u-gus"];
    let mut version = 1;
    for round in 0..3 {
        let (pa, pb) = (people[round * 2], people[round * 2 + 1]);
        let v = version.to_string();
        let (ra, rb) = tokio::join!(
            a.save("u-admin", &v, json!([grant(pa, "sp-sales", "edit-space")])),
            b.save("u-carla", &v, json!([grant(pb, "sp-sales", "edit-space")])),
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}: exactly one wins");
        let (winner, loser, loser_server, loser_actor, loser_principal) = if ra.status == 200 {
            (ra, rb, &b, "u-carla", pb)
        } else {
            (rb, ra, &a, "u-admin", pa)
        };
        version += 1;
        assert_eq!(winner.body["version"], version.to_string());
        assert_eq!(loser.body["current_version"], version.to_string());
        let since = loser.body["changes_since"].as_array().unwrap();
        assert_eq!(since.len(), 1);
        assert_eq!(since[0]["actor"], winner.body["audit"][0]["actor"]);
        // The loser rebases onto the new version and saves.
        let retry = loser_server
            .save(
                loser_actor,
                &version.to_string(),
                json!([grant(loser_principal, "sp-sales", "edit-space")]),
            )
            .await;
        assert_eq!(retry.status, 200, "{:#}", retry.body);
        version += 1;
    }
    // Both instances see every grant, at the same version.
    for server in [&a, &b] {
        let team = server.get("/api/v1/team", Some("u-admin")).await;
        assert_eq!(team.etag(), Some(format!("\"{version}\"")));
        let grants = team.body["grants"].as_array().unwrap();
        for p in people {
            assert!(
                grants.iter().any(|g| g["principal"] == p
                    && g["resource"] == "sp-sales"
                    && g["permissions"]
                        .as_array()
                        .unwrap()
                        .contains(&json!("edit-space"))),
                "{p}'s grant is kept"
            );
        }
    }
    let audit = a.get("/api/v1/audit", Some("u-admin")).await;
    assert_eq!(audit.body["total"], 6);
    a.stop().await;
    b.stop().await;
}

/// Two `permissions-server` processes (the real binary) on one PostgreSQL
/// cluster, 50 concurrent saves spread over both, based on the version each
/// client just read, on a stale one, or on the first: every save is committed
/// (200) or answered 412, never anything else; the committed versions are
/// contiguous; the stored team is the committed change sets replayed by the
/// core in version order; both processes answer the same snapshot; and the
/// audit log has every committed operation, in order, with its actor.
#[tokio::test]
async fn fifty_concurrent_saves_on_two_server_processes() {
    use common::process::ServerProcess;
    use permissions_core::eval::{Op, Team};
    use std::sync::Arc;

    let cluster = Cluster::start();
    let logs = tempfile::tempdir().unwrap();
    // Migrations and the seed: one process first, then the other.
    let pa = ServerProcess::start(&cluster.url(), logs.path(), "a");
    let pb = ServerProcess::start(&cluster.url(), logs.path(), "b");
    let a = Arc::new(TestServer::remote(&pa.base).await);
    let b = Arc::new(TestServer::remote(&pb.base).await);
    assert_eq!(a.tokens, b.tokens, "one seed, one token table");
    let initial = a.get("/api/v1/team", Some("u-admin")).await;
    assert_eq!(initial.etag().as_deref(), Some("\"1\""));
    let initial_team = Team::from_json(&initial.body.to_string()).unwrap();

    // Actors with what they manage; grantees who are no actors (so no save
    // changes who may save what).
    let work: [(&str, &str, &str); 8] = [
        ("u-admin", "studio", "create-space"),
        ("u-carla", "sp-sales", "use-all-packages"),
        ("u-carla", "pk-o2c", "edit"),
        ("u-lia", "pk-pricing", "use"),
        ("u-fay", "sp-fin", "edit-space"),
        ("u-marc", "pk-log", "use"),
        ("u-hel", "dp-sap", "view"),
        ("u-admin", "dm-o2c", "use"),
    ];
    let grantees = [
        "u-pia", "u-zoe", "u-sam", "u-ben", "u-kai", "u-tara", "u-omar",
    ];
    let mut tasks = Vec::new();
    for i in 0..50usize {
        let server = if i % 2 == 0 { a.clone() } else { b.clone() };
        let (actor, resource, permission) = work[i % work.len()];
        let principal = grantees[i % grantees.len()];
        let kind = if i % 4 == 3 { "revoke" } else { "grant" };
        let mut changes = vec![json!({"op": kind, "principal": principal,
            "resource": resource, "permission": permission})];
        if i % 10 == 9 {
            changes = vec![json!({"op": "set-data-permissions", "data_model": "dm-p2p",
                "enabled": (i / 10) % 2 == 0, "entries": [{"principal": principal, "access": "unlimited"}]})];
        }
        if i % 7 == 6 {
            // Two operations in one change set.
            changes.push(json!({"op": "grant", "principal": principal,
                "resource": "dm-inv", "permission": "use"}));
        }
        let actor = if changes
            .iter()
            .any(|c| c["resource"] == "dm-inv" || c["op"] == "set-data-permissions")
        {
            "u-admin"
        } else {
            actor
        };
        tasks.push(tokio::spawn(async move {
            // Spread over about 0.4 s, so that some saves
            // read versions others just made.
            tokio::time::sleep(std::time::Duration::from_millis(8 * i as u64)).await;
            let based: u64 = match i % 5 {
                0 => 1,
                _ => {
                    let team = server.get("/api/v1/team", Some("u-admin")).await;
                    let v: u64 = team.body["version"].as_str().unwrap().parse().unwrap();
                    if i % 5 == 1 {
                        v.saturating_sub(1).max(1)
                    } else {
                        v
                    }
                }
            };
            let reply = server
                .save(actor, &based.to_string(), json!(changes.clone()))
                .await;
            (i, actor, based, changes, reply)
        }));
    }
    let mut committed = Vec::new();
    let mut refused = 0;
    for t in tasks {
        let (i, actor, based, changes, reply) = t.await.unwrap();
        match reply.status {
            200 => {
                let version: u64 = reply.body["version"].as_str().unwrap().parse().unwrap();
                assert_eq!(
                    version,
                    based + 1,
                    "save {i} commits on the version it names"
                );
                assert_eq!(reply.etag(), Some(format!("\"{version}\"")));
                let ops: Vec<Op> = serde_json::from_value(json!(changes)).unwrap();
                committed.push((version, actor, ops));
            }
            412 => {
                refused += 1;
                let current: u64 = reply.body["current_version"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(current > based, "save {i}: 412 names a newer version");
                let since = reply.body["changes_since"].as_array().unwrap();
                assert!(!since.is_empty(), "save {i}: 412 says who saved since");
                for e in since {
                    let v: u64 = e["version"].as_str().unwrap().parse().unwrap();
                    assert!(v > based && v <= current, "save {i}: {e}");
                }
            }
            other => panic!("save {i} answered {other}: {:#}", reply.body),
        }
    }
    eprintln!("{} committed, {refused} answered 412", committed.len());
    assert!(!committed.is_empty());
    assert_eq!(committed.len() + refused, 50);

    // Versions contiguous: 2, 3, … one per committed save.
    committed.sort_by_key(|c| c.0);
    let versions: Vec<u64> = committed.iter().map(|c| c.0).collect();
    let expected_versions: Vec<u64> = (2..2 + committed.len() as u64).collect();
    assert_eq!(versions, expected_versions);
    let last = *versions.last().unwrap();

    // The committed saves replayed by the core, in version order.
    let mut replayed = initial_team.clone();
    for (version, actor, ops) in &committed {
        replayed = replayed
            .apply(actor, ops)
            .unwrap_or_else(|p| panic!("version {version} replays: {p:?}"));
    }
    let grant_set = |t: &Team| {
        let mut set: Vec<(String, String, String, String)> = t
            .snapshot
            .grants
            .iter()
            .flat_map(|g| {
                g.permissions.iter().map(move |p| {
                    let origin = format!("{:?}", g.origin);
                    (g.principal.clone(), g.resource.clone(), p.clone(), origin)
                })
            })
            .collect();
        set.sort();
        set
    };
    let from_a = a.get("/api/v1/team", Some("u-admin")).await;
    let from_b = b.get("/api/v1/team", Some("u-carla")).await;
    assert_eq!(from_a.etag(), Some(format!("\"{last}\"")));
    assert_eq!(from_b.etag(), from_a.etag());
    assert_eq!(from_a.body, from_b.body, "both processes answer the same");
    let stored = Team::from_json(&from_a.body.to_string()).unwrap();
    assert_eq!(grant_set(&stored), grant_set(&replayed));
    assert_eq!(
        stored.snapshot.data_permissions.len(),
        replayed.snapshot.data_permissions.len()
    );
    for d in &replayed.snapshot.data_permissions {
        let s = stored
            .snapshot
            .data_permissions
            .iter()
            .find(|x| x.data_model == d.data_model);
        assert!(
            permissions_core::model::DataPermissions::equivalent(Some(d), s),
            "{} stored as replayed",
            d.data_model
        );
    }
    assert_eq!(stored.snapshot.directory, replayed.snapshot.directory);
    assert_eq!(stored.snapshot.resources, replayed.snapshot.resources);

    // The audit log: every committed operation, its actor and place.
    let audit = b.get("/api/v1/audit?limit=500", Some("u-admin")).await;
    let total_ops: usize = committed.iter().map(|c| c.2.len()).sum();
    assert_eq!(audit.body["total"], total_ops);
    let items = audit.body["items"].as_array().unwrap();
    assert_eq!(items.len(), total_ops);
    for (version, actor, ops) in &committed {
        let mut rows: Vec<&Value> = items
            .iter()
            .filter(|e| e["version"].as_str().and_then(|v| v.parse::<u64>().ok()) == Some(*version))
            .collect();
        rows.sort_by_key(|e| e["seq"].as_i64().unwrap());
        assert_eq!(rows.len(), ops.len(), "version {version}'s audit rows");
        for (seq, (row, op)) in rows.iter().zip(ops).enumerate() {
            assert_eq!(row["seq"], seq);
            assert_eq!(row["actor"], *actor);
            let logged: Op = serde_json::from_value(row["op"].clone()).unwrap();
            assert_eq!(&logged, op, "version {version} seq {seq}");
        }
    }
    for p in [&pa, &pb] {
        let log = p.log_text();
        assert!(!log.contains("ERROR"), "no error logged: {log}");
    }
}
