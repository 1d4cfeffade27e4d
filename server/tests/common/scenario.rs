//! One walk through every endpoint, run on SQLite and on PostgreSQL. The
//! server must be freshly seeded (version 1).

use super::{grant, TestServer};
use serde_json::{json, Value};

pub async fn full_flow(s: &TestServer) {
    // Config and demo tokens need no token; everything else does.
    let config = s.get("/api/v1/config", None).await;
    assert_eq!(config.status, 200);
    assert_eq!(config.body["backend"], "server");
    let unauth = s.get("/api/v1/team", None).await;
    assert_eq!(unauth.status, 401);
    assert_eq!(unauth.headers["content-type"], "application/problem+json");
    let me = s.get("/api/v1/me", Some("u-carla")).await;
    assert_eq!(me.body["principal"], "u-carla");

    // Load, ETag, 304.
    let team = s.get("/api/v1/team", Some("u-admin")).await;
    assert_eq!(team.status, 200);
    assert_eq!(team.etag().as_deref(), Some("\"1\""));
    assert_eq!(team.body["version"], "1");
    let snapshot = serde_json::to_string(&team.body).unwrap();
    permissions_core::eval::Team::from_json(&snapshot).expect("the load is a valid snapshot");
    let fresh = s
        .send(
            "GET",
            "/api/v1/team",
            Some("u-admin"),
            &[("If-None-Match", "\"1\"")],
            None,
        )
        .await;
    assert_eq!(fresh.status, 304);
    assert!(fresh.body.is_null());
    assert_eq!(fresh.etag().as_deref(), Some("\"1\""));
    let stale = s
        .send(
            "GET",
            "/api/v1/team",
            Some("u-admin"),
            &[("If-None-Match", "\"0\"")],
            None,
        )
        .await;
    assert_eq!(stale.status, 200);

    // 428 without If-Match.
    let body = json!({"changes": [grant("u-bo", "sp-sales", "edit-space")]});
    let no_match = s
        .send(
            "POST",
            "/api/v1/team/changes",
            Some("u-carla"),
            &[],
            Some(&body),
        )
        .await;
    assert_eq!(no_match.status, 428);

    // 200: carla manages sp-sales; impact and the new ETag.
    let saved = s
        .save(
            "u-carla",
            "1",
            json!([grant("u-bo", "sp-sales", "edit-space")]),
        )
        .await;
    assert_eq!(saved.status, 200, "{:#}", saved.body);
    assert_eq!(saved.etag().as_deref(), Some("\"2\""));
    assert_eq!(saved.body["version"], "2");
    let entries = saved.body["impact"]["entries"].as_array().unwrap();
    assert!(entries
        .iter()
        .any(|e| e["principals"] == json!(["u-bo"]) && e["resource"] == "sp-sales"));
    assert_eq!(saved.body["audit"][0]["actor"], "u-carla");
    assert_eq!(saved.body["audit"][0]["before"], json!([]));
    assert_eq!(saved.body["audit"][0]["after"], json!(["edit-space"]));

    // The load now shows the grant; the old ETag no longer answers 304.
    let team = s
        .send(
            "GET",
            "/api/v1/team",
            Some("u-admin"),
            &[("If-None-Match", "\"1\"")],
            None,
        )
        .await;
    assert_eq!(team.status, 200);
    assert_eq!(team.etag().as_deref(), Some("\"2\""));
    let has = team.body["grants"].as_array().unwrap().iter().any(|g| {
        g["principal"] == "u-bo"
            && g["resource"] == "sp-sales"
            && g["permissions"]
                .as_array()
                .unwrap()
                .contains(&json!("edit-space"))
    });
    assert!(has, "the saved grant is loaded");

    // 412: a change made on version 1 after carla's save; who saved what.
    let late = s
        .save(
            "u-admin",
            "1",
            json!([grant("u-ana", "sp-sales", "edit-space")]),
        )
        .await;
    assert_eq!(late.status, 412, "{:#}", late.body);
    assert_eq!(late.body["current_version"], "2");
    assert_eq!(late.etag().as_deref(), Some("\"2\""));
    assert_eq!(late.body["snapshot"]["version"], "2");
    let since = late.body["changes_since"].as_array().unwrap();
    assert_eq!(since.len(), 1);
    assert_eq!(since[0]["actor"], "u-carla");
    assert_eq!(since[0]["op"], grant("u-bo", "sp-sales", "edit-space"));

    // 403 with the evaluator's reason: quinn is a member.
    let denied = s
        .save(
            "u-quinn",
            "2",
            json!([grant("u-quinn", "sp-sales", "edit-space")]),
        )
        .await;
    assert_eq!(denied.status, 403, "{:#}", denied.body);
    assert_eq!(denied.problem_codes(), vec!["not-allowed"]);
    assert!(denied.body["detail"].as_str().unwrap().contains("u-quinn"));

    // 422 with every problem.
    let bad = s
        .save(
            "u-admin",
            "2",
            json!([
                grant("u-nobody", "sp-sales", "edit-space"),
                grant("u-bo", "sp-nowhere", "edit-space"),
                grant("u-bo", "sp-sales", "fly"),
                {"op": "paint"}
            ]),
        )
        .await;
    assert_eq!(bad.status, 422, "{:#}", bad.body);
    let codes = bad.problem_codes();
    for code in [
        "unknown-principal",
        "unknown-resource",
        "unknown-permission",
        "malformed-json",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    let paths: Vec<&str> = bad.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    for i in 0..4 {
        let prefix = format!("$.changes[{i}]");
        assert!(
            paths.iter().any(|p| p.starts_with(&prefix)),
            "{prefix} in {paths:?}"
        );
    }
    let not_json = s
        .send(
            "POST",
            "/api/v1/team/changes",
            Some("u-admin"),
            &[("If-Match", "\"2\"")],
            Some(&Value::String("x".into())),
        )
        .await;
    assert_eq!(not_json.status, 422, "a body without changes is a 422");

    // More saves for the audit log: admin on dm-o2c, carla again.
    let data = json!([{"op": "set-data-permissions", "data_model": "dm-o2c", "enabled": false, "entries": []}]);
    let saved = s.save("u-admin", "2", data).await;
    assert_eq!(saved.status, 200, "{:#}", saved.body);
    assert!(saved.body["audit"][0]["before"].is_object());
    let saved = s
        .save(
            "u-carla",
            "3",
            json!([
                grant("u-ana", "sp-sales", "edit-space"),
                grant("u-bo", "pk-o2c", "edit")
            ]),
        )
        .await;
    assert_eq!(saved.status, 200, "{:#}", saved.body);

    // Audit: newest first, paged, filtered.
    let all = s.get("/api/v1/audit", Some("u-admin")).await;
    assert_eq!(all.body["total"], 4);
    assert_eq!(all.body["items"][0]["version"], "4");
    let page = s
        .get("/api/v1/audit?limit=3&offset=0", Some("u-admin"))
        .await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(page.body["next_offset"], 3);
    let page = s
        .get("/api/v1/audit?limit=3&offset=3", Some("u-admin"))
        .await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    assert!(page.body["next_offset"].is_null());
    let by_actor = s.get("/api/v1/audit?actor=u-carla", Some("u-admin")).await;
    assert_eq!(by_actor.body["total"], 3);
    let by_resource = s
        .get("/api/v1/audit?resource=dm-o2c", Some("u-admin"))
        .await;
    assert_eq!(by_resource.body["total"], 1);
    assert_eq!(by_resource.body["items"][0]["actor"], "u-admin");
    let by_principal = s
        .get(
            "/api/v1/audit?principal=u-bo&resource=sp-sales",
            Some("u-admin"),
        )
        .await;
    assert_eq!(by_principal.body["total"], 1);
    let since = s
        .get("/api/v1/audit?since_version=3", Some("u-admin"))
        .await;
    assert_eq!(since.body["total"], 2);
    let bad_page = s.get("/api/v1/audit?limit=0", Some("u-admin")).await;
    assert_eq!(bad_page.status, 400);

    // Check: a batch, one explained, the evaluator's answers.
    let questions = json!({"questions": [
        {"principal": "u-bo", "resource": "sp-sales", "capability": "rename", "explain": true},
        {"principal": "u-quinn", "resource": "sp-sales", "capability": "rename"},
    ]});
    let checked = s
        .send(
            "POST",
            "/api/v1/check",
            Some("u-ana"),
            &[],
            Some(&questions),
        )
        .await;
    assert_eq!(checked.status, 200, "{:#}", checked.body);
    let team = s.get("/api/v1/team", Some("u-admin")).await;
    let core = permissions_core::eval::Team::from_json(&team.body.to_string()).unwrap();
    let d = &checked.body["decisions"];
    assert_eq!(
        d[0]["allowed"],
        core.can("u-bo", "sp-sales", "rename").unwrap()
    );
    assert_eq!(d[0]["allowed"], true);
    assert_eq!(
        d[1]["allowed"],
        core.can("u-quinn", "sp-sales", "rename").unwrap()
    );
    assert!(d[0]["explanation"]["sentences"].is_array());
    assert!(d[1].get("explanation").is_none());
    let unknown = json!({"questions": [
        {"principal": "u-x", "resource": "sp-sales", "capability": "rename"},
        {"principal": "u-bo", "resource": "sp-sales", "capability": "fly"},
    ]});
    let refused = s
        .send("POST", "/api/v1/check", Some("u-ana"), &[], Some(&unknown))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.problem_codes().len(), 2);

    // Principals: query and paging.
    let page1 = s.get("/api/v1/principals?q=a&limit=5", Some("u-ana")).await;
    assert_eq!(page1.status, 200);
    let total = page1.body["total"].as_i64().unwrap();
    assert!(total > 5);
    assert_eq!(page1.body["items"].as_array().unwrap().len(), 5);
    assert_eq!(page1.body["next_offset"], 5);
    let last = s
        .get(
            &format!("/api/v1/principals?q=a&limit=5&offset={}", total - 1),
            Some("u-ana"),
        )
        .await;
    assert_eq!(last.body["items"].as_array().unwrap().len(), 1);
    assert!(last.body["next_offset"].is_null());
    let ana = s
        .get("/api/v1/principals?q=Ana%20Lima", Some("u-ana"))
        .await;
    assert!(ana.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["name"].as_str().unwrap().contains("Ana")));
    let groups = s
        .get("/api/v1/principals?type=group&limit=500", Some("u-ana"))
        .await;
    assert_eq!(groups.body["total"], 8);
    let bad_type = s.get("/api/v1/principals?type=robot", Some("u-ana")).await;
    assert_eq!(bad_type.status, 400);
}
