//! Test harness: the real service on a real socket (127.0.0.1:0), a real
//! HTTP client, every answer checked against `api/openapi.yaml`, and
//! throwaway PostgreSQL clusters made with Debian's binaries.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod openapi;
pub mod postgres;
pub mod process;
pub mod scenario;

use permissions_server::config::Config;
use permissions_server::{serve, Service};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::oneshot;

/// One answer, already checked against the OpenAPI document.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn etag(&self) -> Option<String> {
        self.headers
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string())
    }
    pub fn problem_codes(&self) -> Vec<String> {
        self.body["problems"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| p["code"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A running service.
pub struct TestServer {
    pub base: String,
    pub tokens: HashMap<String, String>,
    pub seeded: bool,
    client: reqwest::Client,
    spec: Arc<openapi::Spec>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    /// Starts the service for `config` on a free local port.
    pub async fn start(config: Config) -> TestServer {
        let service = Service::start(&config).await.expect("service starts");
        let tokens = service
            .tokens
            .iter()
            .map(|t| (t.principal.clone(), t.token.clone()))
            .collect();
        let seeded = service.seeded;
        let router = service.router().expect("router");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(listener, router, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
            service.db.close().await;
        });
        TestServer {
            base,
            tokens,
            seeded,
            client: reqwest::Client::new(),
            spec: Arc::new(openapi::Spec::load()),
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A client of a service running elsewhere (a process started with
    /// `--demo`): the demo users' tokens come from `GET /api/v1/demo/tokens`.
    pub async fn remote(base: &str) -> TestServer {
        let client = reqwest::Client::new();
        let list: Value = client
            .get(format!("{base}/api/v1/demo/tokens"))
            .send()
            .await
            .expect("the demo tokens answer")
            .json()
            .await
            .unwrap();
        let tokens = list["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["principal"].as_str().unwrap().to_string(),
                    t["token"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        TestServer {
            base: base.to_string(),
            tokens,
            seeded: false,
            client,
            spec: Arc::new(openapi::Spec::load()),
            stop: None,
            task: None,
        }
    }

    pub fn token(&self, principal: &str) -> String {
        self.tokens
            .get(principal)
            .unwrap_or_else(|| panic!("no token for {principal}"))
            .clone()
    }

    /// Sends a request as `principal` (None: no token) and checks the
    /// answer's status and shape against the OpenAPI document.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        principal: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .client
            .request(method.clone(), format!("{}{}", self.base, path));
        if let Some(p) = principal {
            req = req.bearer_auth(self.token(p));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        let reply = Reply {
            status,
            headers,
            body,
        };
        let template = path.split('?').next().unwrap();
        self.spec
            .check(method.as_str(), template, &reply)
            .unwrap_or_else(|e| panic!("{method} {path} → {status}: {e}\n{:#}", reply.body));
        reply
    }

    pub async fn get(&self, path: &str, principal: Option<&str>) -> Reply {
        self.send("GET", path, principal, &[], None).await
    }

    /// Saves `changes` as `principal` on `version`.
    pub async fn save(&self, principal: &str, version: &str, changes: Value) -> Reply {
        let if_match = format!("\"{version}\"");
        let body = serde_json::json!({ "changes": changes });
        self.send(
            "POST",
            "/api/v1/team/changes",
            Some(principal),
            &[("If-Match", &if_match)],
            Some(&body),
        )
        .await
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }
}

/// A SQLite URL for a file in `dir`.
pub fn sqlite_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("permissions.db").display())
}

pub fn grant(principal: &str, resource: &str, permission: &str) -> Value {
    serde_json::json!({"op": "grant", "principal": principal, "resource": resource, "permission": permission})
}
