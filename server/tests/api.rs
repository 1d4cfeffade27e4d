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

/// A service on a SQLite file in `dir` serving `files` as the app (`--static`).
async fn serving_an_app(dir: &std::path::Path, files: &[(&str, &[u8])]) -> TestServer {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for (name, content) in files {
        std::fs::write(dist.join(name), content).unwrap();
    }
    let mut config = Config::for_database(&sqlite_url(dir));
    config.static_dir = Some(dist);
    TestServer::start(config).await
}

#[tokio::test]
async fn serves_the_app_and_the_api_from_one_origin() {
    let dir = tempfile::tempdir().unwrap();
    let server = serving_an_app(
        dir.path(),
        &[
            (
                "index.html",
                b"<!doctype html><html><head><title>app</title></head></html>",
            ),
            ("app.js", b"console.log(1)"),
        ],
    )
    .await;
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

/// Answers are compressed for a client that accepts it: the API's JSON on
/// the fly, the app's files from the `.br` written beside them when there is
/// one; a client that accepts nothing gets them as they are.
#[tokio::test]
async fn answers_are_compressed_when_the_client_accepts_it() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let script = "console.log('the app');\n".repeat(200);
    let server = serving_an_app(
        dir.path(),
        &[
            ("index.html", b"<!doctype html><html><head></head></html>"),
            ("app.js", script.as_bytes()),
            ("app.wasm", b"\0asm the module"),
            ("app.wasm.br", b"made by brotli -q 11"),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let fetch = |path: &str, accept: &str| {
        let mut req = client
            .get(format!("{}{path}", server.base))
            .bearer_auth(server.token("u-admin"));
        if !accept.is_empty() {
            req = req.header("accept-encoding", accept);
        }
        req.send()
    };
    let encoding = |res: &reqwest::Response| {
        res.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_string())
    };

    let plain = fetch("/api/v1/team", "").await.unwrap();
    assert_eq!(encoding(&plain), None);
    let team: serde_json::Value = plain.json().await.unwrap();
    let gzipped = fetch("/api/v1/team", "gzip").await.unwrap();
    assert_eq!(encoding(&gzipped).as_deref(), Some("gzip"));
    assert!(gzipped.headers()["vary"]
        .to_str()
        .unwrap()
        .contains("accept-encoding"));
    let bytes = gzipped.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        team
    );
    assert!(
        bytes.len() * 3 < text.len(),
        "{} bytes for {}",
        bytes.len(),
        text.len()
    );
    let br = fetch("/api/v1/team", "gzip, br").await.unwrap();
    assert_eq!(encoding(&br).as_deref(), Some("br"), "brotli is preferred");

    let js = fetch("/app.js", "br").await.unwrap();
    assert_eq!(
        encoding(&js).as_deref(),
        Some("br"),
        "compressed on the fly"
    );
    assert!(js.bytes().await.unwrap().len() < script.len() / 10);
    let wasm = fetch("/app.wasm", "gzip, br").await.unwrap();
    assert_eq!(encoding(&wasm).as_deref(), Some("br"));
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        &wasm.bytes().await.unwrap()[..],
        b"made by brotli -q 11",
        "the .br beside it"
    );
    let wasm = fetch("/app.wasm", "").await.unwrap();
    assert_eq!(encoding(&wasm), None);
    assert_eq!(&wasm.bytes().await.unwrap()[..], b"\0asm the module");
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
