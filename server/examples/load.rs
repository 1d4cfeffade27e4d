//! A small load client for `scripts/load.sh`: requests per second against a
//! running `permissions-server --demo` on loopback.
//!
//! ```sh
//! cargo run --profile server -p permissions-server --example load -- \
//!     --url http://127.0.0.1:8080 --mode check --concurrency 8 --seconds 10 --batch 20
//! ```
//!
//! - `check`: `POST /api/v1/check` with a batch of `--batch` questions, as
//!   `u-ana`, from `--concurrency` workers.
//! - `save`: `POST /api/v1/team/changes` as `u-admin`, alternating a grant
//!   and its revoke, each with `If-Match` of the newest version the client
//!   knows (from the last `ETag`); with several workers some saves lose the
//!   race and get `412`, whose `ETag` is the version the worker retries on.
//!   Committed saves per second are the 200s.
//!
//! Prints one line: `mode concurrency requests seconds rps ok conflicts
//! errors p50_ms p99_ms`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    url: String,
    mode: String,
    concurrency: usize,
    seconds: f64,
    batch: usize,
}

fn args() -> Args {
    let mut a = Args {
        url: "http://127.0.0.1:8080".into(),
        mode: "check".into(),
        concurrency: 4,
        seconds: 10.0,
        batch: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = value.trim_end_matches('/').to_string(),
            "--mode" => a.mode = value,
            "--concurrency" => a.concurrency = value.parse().expect("a number"),
            "--seconds" => a.seconds = value.parse().expect("a number"),
            "--batch" => a.batch = value.parse().expect("a number"),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(a.mode == "check" || a.mode == "save", "--mode check|save");
    a
}

#[derive(Default)]
struct Tally {
    ok: u64,
    conflicts: u64,
    errors: u64,
    latencies: Vec<Duration>,
}

fn etag_version(res: &reqwest::Response) -> Option<u64> {
    res.headers()
        .get("etag")?
        .to_str()
        .ok()?
        .trim_matches('"')
        .parse()
        .ok()
}

#[tokio::main]
async fn main() {
    let a = args();
    let client = reqwest::Client::new();
    let tokens: Value = client
        .get(format!("{}/api/v1/demo/tokens", a.url))
        .send()
        .await
        .expect("the server answers (is it in demo mode?)")
        .json()
        .await
        .unwrap();
    let token = |p: &str| {
        tokens["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["principal"] == p)
            .map(|t| t["token"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no demo token for {p}"))
    };
    let (actor, body) = if a.mode == "check" {
        let pairs = [
            ("u-bo", "sp-sales", "rename"),
            ("u-quinn", "pk-o2c", "edit"),
            ("u-carla", "v-o2c-late", "see"),
            ("u-dev", "dp-sap", "edit"),
            ("u-ana", "dm-o2c", "use"),
            ("g-fin", "sp-fin", "manage-permissions"),
        ];
        let questions: Vec<Value> = (0..a.batch)
            .map(|i| {
                let (p, r, c) = pairs[i % pairs.len()];
                json!({"principal": p, "resource": r, "capability": c})
            })
            .collect();
        ("u-ana", json!({ "questions": questions }))
    } else {
        ("u-admin", Value::Null)
    };
    let token = Arc::new(token(actor));
    let body = Arc::new(body.to_string());
    let team = client
        .get(format!("{}/api/v1/team", a.url))
        .bearer_auth(token.as_str())
        .send()
        .await
        .unwrap();
    let version = Arc::new(AtomicU64::new(etag_version(&team).expect("an ETag")));
    let flips = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(a.seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..a.concurrency {
        let client = client.clone();
        let (url, mode, token, body) = (a.url.clone(), a.mode.clone(), token.clone(), body.clone());
        let (version, flips) = (version.clone(), flips.clone());
        workers.push(tokio::spawn(async move {
            let mut t = Tally::default();
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let res = if mode == "check" {
                    client
                        .post(format!("{url}/api/v1/check"))
                        .bearer_auth(token.as_str())
                        .header("content-type", "application/json")
                        .body(body.as_str().to_string())
                        .send()
                        .await
                } else {
                    // Grant, revoke, grant, …: every save changes the team.
                    let n = flips.fetch_add(1, Ordering::Relaxed);
                    let op = if n % 2 == 0 { "grant" } else { "revoke" };
                    let changes = json!({"changes": [{"op": op, "principal": "u-bo",
                        "resource": "sp-sales", "permission": "edit-space"}]});
                    let v = version.load(Ordering::Relaxed);
                    client
                        .post(format!("{url}/api/v1/team/changes"))
                        .bearer_auth(token.as_str())
                        .header("if-match", format!("\"{v}\""))
                        .json(&changes)
                        .send()
                        .await
                };
                match res {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        if let Some(v) = etag_version(&res) {
                            version.fetch_max(v, Ordering::Relaxed);
                        }
                        let _ = res.bytes().await;
                        match status {
                            200 => t.ok += 1,
                            412 => t.conflicts += 1,
                            other => {
                                if t.errors == 0 {
                                    eprintln!("load: an answer {other}");
                                }
                                t.errors += 1;
                            }
                        }
                    }
                    Err(e) => {
                        if t.errors == 0 {
                            eprintln!("load: {e}");
                        }
                        t.errors += 1;
                    }
                }
                t.latencies.push(t0.elapsed());
            }
            t
        }));
    }
    let mut all = Tally::default();
    for w in workers {
        let t = w.await.unwrap();
        all.ok += t.ok;
        all.conflicts += t.conflicts;
        all.errors += t.errors;
        all.latencies.extend(t.latencies);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    let pct = |p: f64| {
        let n = all.latencies.len();
        if n == 0 {
            return 0.0;
        }
        let i = ((n as f64 * p).ceil() as usize).clamp(1, n) - 1;
        all.latencies[i].as_secs_f64() * 1000.0
    };
    let requests = all.latencies.len() as u64;
    println!(
        "{} {} {} {:.1} {:.0} {} {} {} {:.2} {:.2}",
        a.mode,
        a.concurrency,
        requests,
        elapsed,
        requests as f64 / elapsed,
        all.ok,
        all.conflicts,
        all.errors,
        pct(0.50),
        pct(0.99)
    );
    if all.errors > 0 || all.ok == 0 {
        eprintln!("load: {} errors, {} ok", all.errors, all.ok);
        std::process::exit(1);
    }
}
