//! The API on a real SQLite file, over real sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{grant, sqlite_url, TestServer};
use permissions_server::config::Config;
use serde_json::json;

#[tokio::test]
async fn full_flow_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(Config::for_database(&sqlite_url(dir.path()))).await;
    assert!(server.seeded);
    common::scenario::full_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn first_start_creates_and_seeds_the_file_a_second_start_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    let url = sqlite_url(&nested);
    let first = TestServer::start(Config::for_database(&url)).await;
    assert!(first.seeded);
    assert!(nested.join("permissions.db").is_file());
    let tokens = first.tokens.clone();
    assert!(tokens.contains_key("u-admin"));
    let saved = first
        .save(
            "u-admin",
            "1",
            json!([grant("u-bo", "sp-sales", "edit-space")]),
        )
        .await;
    assert_eq!(saved.status, 200);
    first.stop().await;

    let second = TestServer::start(Config::for_database(&url)).await;
    assert!(!second.seeded, "the second start reuses the file");
    assert_eq!(second.tokens, tokens, "the same tokens");
    let team = second.get("/api/v1/team", Some("u-admin")).await;
    assert_eq!(team.etag().as_deref(), Some("\"2\""));
    let audit = second.get("/api/v1/audit", Some("u-admin")).await;
    assert_eq!(audit.body["total"], 1);
    second.stop().await;
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_database(&sqlite_url(dir.path()));
    config.body_limit = 2048;
    let server = TestServer::start(config).await;
    let many: Vec<_> = (0..100)
        .map(|i| grant("u-bo", "sp-sales", &format!("permission-{i}")))
        .collect();
    let big = server.save("u-admin", "1", json!(many)).await;
    assert_eq!(big.status, 413);
    assert_eq!(big.headers["content-type"], "application/problem+json");
    let questions: Vec<_> = (0..100)
        .map(|_| json!({"principal": "u-bo", "resource": "sp-sales", "capability": "rename"}))
        .collect();
    let big = server
        .send(
            "POST",
            "/api/v1/check",
            Some("u-admin"),
            &[],
            Some(&json!({ "questions": questions })),
        )
        .await;
    assert_eq!(big.status, 413);
    server.stop().await;
}

#[tokio::test]
async fn cors_allowlist_exposes_etag() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_database(&sqlite_url(dir.path()));
    config.cors_origins = vec!["http://app.example".into()];
    let server = TestServer::start(config).await;
    let allowed = server
        .send(
            "GET",
            "/api/v1/team",
            Some("u-admin"),
            &[("Origin", "http://app.example")],
            None,
        )
        .await;
    assert_eq!(allowed.status, 200);
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "http://app.example"
    );
    let exposed = allowed.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("etag"), "{exposed}");
    let preflight = server
        .send(
            "OPTIONS",
            "/api/v1/team/changes",
            None,
            &[
                ("Origin", "http://app.example"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,if-match,content-type",
                ),
            ],
            None,
        )
        .await;
    assert_eq!(preflight.status, 200);
    let allowed_headers = preflight.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed_headers.contains("if-match"));
    let other = server
        .send(
            "GET",
            "/api/v1/team",
            Some("u-admin"),
            &[("Origin", "http://evil.example")],
            None,
        )
        .await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
    server.stop().await;
}

#[tokio::test]
async fn demo_tokens_only_in_demo_mode() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(dir.path());
    let plain = TestServer::start(Config::for_database(&url)).await;
    assert_eq!(plain.get("/api/v1/demo/tokens", None).await.status, 404);
    assert_eq!(plain.get("/api/v1/config", None).await.body["demo"], false);
    plain.stop().await;
    let mut config = Config::for_database(&url);
    config.demo = true;
    let demo = TestServer::start(config).await;
    let tokens = demo.get("/api/v1/demo/tokens", None).await;
    assert_eq!(tokens.status, 200);
    let list = tokens.body["tokens"].as_array().unwrap();
    assert_eq!(list.len(), 40);
    let admin = list.iter().find(|t| t["principal"] == "u-admin").unwrap();
    assert_eq!(admin["token"], demo.token("u-admin"));
    assert_eq!(admin["role"], "admin");
    demo.stop().await;
}

#[tokio::test]
async fn serves_the_app_and_the_api_from_one_origin() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><html><head><title>app</title></head></html>",
    )
    .unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let mut config = Config::for_database(&sqlite_url(dir.path()));
    config.static_dir = Some(dist);
    let server = TestServer::start(config).await;
    let index = server.get("/", None).await;
    assert_eq!(index.status, 200);
    let page = index.body.as_str().unwrap();
    assert!(page.contains("<title>app</title>"));
    assert!(
        page.contains(r#"<meta name="permissions-api" content="/api/v1">"#),
        "the page names the API, so the app uses this service: {page}"
    );
    assert_eq!(server.get("/index.html", None).await.body, index.body);
    let js = server.get("/app.js", None).await;
    assert_eq!(js.body.as_str(), Some("console.log(1)"));
    let deep = server.get("/some/app/route", None).await;
    assert_eq!(deep.body, index.body);
    let api_404 = server.get("/api/v1/nothing", Some("u-admin")).await;
    assert_eq!(api_404.status, 404);
    assert_eq!(api_404.headers["content-type"], "application/problem+json");
    assert_eq!(server.get("/api/v1/config", None).await.status, 200);
    let wrong_method = server
        .send("DELETE", "/api/v1/team", Some("u-admin"), &[], None)
        .await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(
        wrong_method.headers["content-type"],
        "application/problem+json"
    );
    server.stop().await;
}

/// What a save stores is exactly the team the core computes: grants and data
/// permissions on one data model in one change set, revokes included.
#[tokio::test]
async fn a_save_stores_what_the_core_applies() {
    use permissions_core::eval::{Op, Team};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(Config::for_database(&sqlite_url(dir.path()))).await;
    let before = server.get("/api/v1/team", Some("u-admin")).await;
    let changes = json!([
        grant("u-bo", "dm-o2c", "use"),
        {"op": "set-data-permissions", "data_model": "dm-o2c", "enabled": true,
         "entries": [{"principal": "u-bo", "rules": [{"table": "VBAK", "column": "BUKRS", "values": ["1000"]}]}]},
        {"op": "revoke", "principal": "u-carla", "resource": "sp-sales", "permission": "create-package"},
    ]);
    let saved = server.save("u-admin", "1", changes.clone()).await;
    assert_eq!(saved.status, 200, "{:#}", saved.body);
    assert_eq!(saved.body["audit"].as_array().unwrap().len(), 3);

    let core = Team::from_json(&before.body.to_string()).unwrap();
    let ops: Vec<Op> = serde_json::from_value(changes).unwrap();
    let expected = core.apply("u-admin", &ops).unwrap();
    let after = server.get("/api/v1/team", Some("u-admin")).await;
    let stored = Team::from_json(&after.body.to_string()).unwrap();

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
    assert_eq!(grant_set(&stored), grant_set(&expected));
    for d in &expected.snapshot.data_permissions {
        let s = stored
            .snapshot
            .data_permissions
            .iter()
            .find(|x| x.data_model == d.data_model);
        assert!(
            permissions_core::model::DataPermissions::equivalent(Some(d), s),
            "{} stored as computed",
            d.data_model
        );
    }
    assert_eq!(
        stored.snapshot.data_permissions.len(),
        expected.snapshot.data_permissions.len()
    );
    assert_eq!(stored.snapshot.directory, expected.snapshot.directory);
    assert_eq!(stored.snapshot.resources, expected.snapshot.resources);
    server.stop().await;
}
