//! `api/openapi.yaml` and the router agree: every documented operation is
//! routed and every routed operation is documented. (Every answer of the
//! other tests is checked against the document as it arrives.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::openapi::Spec;
use common::{sqlite_url, TestServer};
use permissions_server::config::Config;
use permissions_server::routes::OPERATIONS;

#[test]
fn the_document_lists_exactly_the_routed_operations() {
    let spec = Spec::load();
    assert_eq!(spec.doc["openapi"], "3.1.0");
    let mut routed: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    routed.sort();
    assert_eq!(spec.operations(), routed);
}

/// Each documented operation answers on the router with something other
/// than the router's own 404/405 (so `OPERATIONS` cannot drift from it).
#[tokio::test]
async fn every_documented_operation_is_routed() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_database(&sqlite_url(dir.path()));
    config.demo = true;
    let server = TestServer::start(config).await;
    for (method, path) in Spec::load().operations() {
        let method = method.to_ascii_uppercase();
        let body = (method == "POST").then(|| serde_json::json!({}));
        let reply = server
            .send(&method, &path, Some("u-admin"), &[], body.as_ref())
            .await;
        assert_ne!(reply.status, 405, "{method} {path}");
        if reply.status == 404 {
            // Only a documented 404 (a problem answer) is acceptable.
            assert_eq!(reply.headers["content-type"], "application/problem+json");
        }
    }
    server.stop().await;
}
