//! The API on a real PostgreSQL: a throwaway cluster per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::postgres::Cluster;
use common::{grant, TestServer};
use permissions_server::config::Config;
use serde_json::json;

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
