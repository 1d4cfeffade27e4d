//! What the permission service's answers mean to the widget (`backend::http`),
//! natively: every status of `api/openapi.yaml` that a load or a save can get.
#![cfg(not(target_arch = "wasm32"))]

use permissions_widget::backend::http::{self, Answer};
use permissions_widget::backend::{SaveOutcome, Versioned};
use permissions_widget::demo::{demo_team, DEMO_JSON};
use permissions_widget::eval::Op;
use permissions_widget::model::Code;
use serde_json::json;

fn answer(status: u16, etag: Option<&str>, body: serde_json::Value) -> Answer {
    Answer {
        status,
        etag: etag.map(String::from),
        body: body.to_string(),
    }
}

fn demo_snapshot(version: &str) -> serde_json::Value {
    let mut snapshot: serde_json::Value = serde_json::from_str(DEMO_JSON).expect("demo json");
    snapshot["version"] = json!(version);
    snapshot
}

fn grant() -> Vec<Op> {
    vec![Op::grant("u-ken", "sp-sales", "edit-space")]
}

fn outcome(a: &Answer, base: Option<&Versioned>) -> SaveOutcome {
    http::save_outcome(a, base, "u-admin", &grant()).expect("an outcome")
}

#[test]
fn the_service_is_recognised_by_its_config_only() {
    let config = json!({"backend": "server", "api": "/api/v1", "demo": true});
    assert!(http::config(&answer(200, None, config)).is_some_and(|c| c.demo));
    assert!(http::config(&answer(404, None, json!({}))).is_none());
    let static_host = Answer {
        status: 200,
        etag: None,
        body: "<!doctype html>".into(),
    };
    assert!(http::config(&static_host).is_none());
}

#[test]
fn a_load_gives_the_team_at_the_version_of_its_etag() {
    let mut snapshot = demo_snapshot("x");
    snapshot.as_object_mut().expect("object").remove("version");
    let loaded = http::loaded(&answer(200, Some("\"7\""), snapshot)).expect("loaded");
    assert_eq!(loaded.current.version, "7");
    let refused = http::loaded(&answer(
        401,
        None,
        json!({"title": "Unauthorized", "detail": "unknown token"}),
    ));
    assert_eq!(
        refused.expect_err("401"),
        "the server did not accept the sign-in token (401: unknown token)"
    );
}

#[test]
fn a_saved_change_set_is_applied_to_its_base_by_the_same_evaluator() {
    let base = Versioned::new(demo_team().expect("demo"));
    let saved = answer(
        200,
        Some("\"2\""),
        json!({"version": "2", "impact": {}, "audit": []}),
    );
    let SaveOutcome::Saved(next) = outcome(&saved, Some(&base)) else {
        panic!("saved");
    };
    assert_eq!(next.version, "2");
    assert!(
        next.team
            .flag("u-ken", "sp-sales", "edit-space")
            .expect("ids")
            .held
    );
    // Without the base it was made on, the team must be loaded again.
    assert!(http::save_outcome(&saved, None, "u-admin", &grant()).is_none());
}

#[test]
fn someone_saving_first_gives_their_state_and_what_they_saved() {
    let conflict = answer(
        412,
        Some("\"3\""),
        json!({
            "type": "about:blank", "title": "Precondition Failed", "status": 412,
            "detail": "someone saved first", "problems": [],
            "current_version": "3",
            "snapshot": demo_snapshot("3"),
            "changes_since": [{
                "version": "2", "seq": 0, "actor": "u-admin", "at": "2026-11-29T20:30:00Z",
                "op": {"op": "grant", "principal": "u-ken", "resource": "sp-sales", "permission": "view-space"},
                "resource": "sp-sales", "principal": "u-ken", "before": [], "after": ["view-space"]
            }]
        }),
    );
    let SaveOutcome::Conflict { current, meanwhile } = outcome(&conflict, None) else {
        panic!("conflict");
    };
    assert_eq!(current.version, "3");
    assert_eq!(meanwhile.len(), 1);
    assert_eq!(meanwhile[0].actor, "u-admin");
    assert_eq!(
        meanwhile[0].op,
        Op::grant("u-ken", "sp-sales", "view-space")
    );
}

#[test]
fn refusals_keep_every_problem_and_failures_say_whether_to_retry() {
    let refused = answer(
        403,
        None,
        json!({"type": "about:blank", "title": "Forbidden", "status": 403, "detail": "not allowed",
               "problems": [{"code": "not-allowed", "path": "$.changes[0]", "message": "`u-bo` cannot manage `sp-sales`"}]}),
    );
    let SaveOutcome::Rejected(problems) = outcome(&refused, None) else {
        panic!("rejected");
    };
    assert_eq!(problems.codes(), [Code::NotAllowed]);
    assert_eq!(problems.0[0].path, "$.changes[0]");

    let invalid = answer(
        422,
        None,
        json!({"title": "Unprocessable", "problems": [
            {"code": "unknown-principal", "path": "$.changes[0].principal", "message": "no principal has the id `u-x`"},
            {"code": "unknown-permission", "path": "$.changes[1].permission", "message": "`fly` is not a permission"}
        ]}),
    );
    let SaveOutcome::Rejected(problems) = outcome(&invalid, None) else {
        panic!("rejected");
    };
    assert_eq!(problems.0.len(), 2);

    let down = answer(503, None, json!({}));
    assert!(
        matches!(outcome(&down, None), SaveOutcome::Unavailable(m) if m == "the server failed (503)")
    );
    let bad_token = answer(401, None, json!({}));
    assert!(matches!(outcome(&bad_token, None), SaveOutcome::Failed(_)));
    let too_big = answer(413, None, json!({}));
    assert!(matches!(outcome(&too_big, None), SaveOutcome::Failed(m) if m.contains("larger")));
}
