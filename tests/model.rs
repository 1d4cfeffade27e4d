//! Model-level checks: parse errors with paths, every validation problem at
//! once, the catalog as data, normalisation, atomic change sets.
#![cfg(not(target_arch = "wasm32"))]

use permissions_widget::eval::data_access::normalise;
use permissions_widget::eval::{AccessKind, Op, Team};
use permissions_widget::model::snapshot::Rule;
use permissions_widget::model::{Catalog, Code};

fn codes(json: &str) -> Vec<(String, String)> {
    match Team::from_json(json) {
        Ok(_) => Vec::new(),
        Err(p) => {
            p.0.iter()
                .map(|x| (x.code.as_str().to_string(), x.path.clone()))
                .collect()
        }
    }
}

#[test]
fn parse_errors_name_the_json_path() {
    assert_eq!(
        codes("{"),
        [("malformed-json".to_string(), "$".to_string())]
    );
    let c = codes(
        r#"{"grants": [{"principal": "u", "resource": "r", "permissions": ["x"], "orign": "creator"}]}"#,
    );
    assert_eq!(c[0].0, "unknown-field");
    assert_eq!(c[0].1, "$.grants[0].orign");
    let c = codes(r#"{"directory": {"users": [{"id": "u", "name": "U", "role": "superuser"}]}}"#);
    assert_eq!(c[0].0, "malformed-json");
    assert_eq!(c[0].1, "$.directory.users[0].role");
}

#[test]
fn validation_reports_every_problem_with_its_path() {
    let json = r#"{
      "directory": {
        "users": [{"id": "u-1", "name": "A", "role": "member"}, {"id": "u-1", "name": "B", "role": "member"}],
        "groups": [{"id": "g-1", "name": "G", "role": "member", "members": ["g-1", "nobody"]}],
        "api_keys": [{"id": "k-1", "owner": "ghost"}]
      },
      "resources": [
        {"id": "studio", "kind": "studio", "name": "S"},
        {"id": "studio2", "kind": "studio", "name": "S2"},
        {"id": "sp", "kind": "space", "parent": "studio", "name": "Sp"},
        {"id": "pk", "kind": "package", "parent": "studio", "name": "P"},
        {"id": "x", "kind": "gizmo", "name": "X"},
        {"id": "v", "kind": "view", "parent": "missing", "name": "V"}
      ],
      "grants": [
        {"principal": "k-1", "resource": "sp", "permissions": ["edit-space"]},
        {"principal": "u-9", "resource": "sp", "permissions": ["fly"]},
        {"principal": "u-1", "resource": "nowhere", "permissions": ["use"]}
      ],
      "data_permissions": [{"data_model": "sp", "enabled": true, "entries": [{"principal": "u-1", "rules": [{"table": "T", "column": "", "values": []}]}]}]
    }"#;
    let got = codes(json);
    let has = |code: &str, path: &str| got.iter().any(|(c, p)| c == code && p == path);
    assert!(has("duplicate-id", "$.directory.users[1].id"), "{got:?}");
    assert!(
        has("group-member-not-user", "$.directory.groups[0].members[0]"),
        "{got:?}"
    );
    assert!(
        has("group-member-not-user", "$.directory.groups[0].members[1]"),
        "{got:?}"
    );
    assert!(
        has("unknown-api-key-owner", "$.directory.api_keys[0].owner"),
        "{got:?}"
    );
    assert!(has("duplicate-service", "$.resources[1]"), "{got:?}");
    assert!(has("wrong-parent-kind", "$.resources[3].parent"), "{got:?}");
    assert!(has("unknown-kind", "$.resources[4].kind"), "{got:?}");
    assert!(has("unknown-parent", "$.resources[5].parent"), "{got:?}");
    assert!(has("grant-to-api-key", "$.grants[0].principal"), "{got:?}");
    assert!(has("unknown-principal", "$.grants[1].principal"), "{got:?}");
    assert!(
        has("unknown-permission", "$.grants[1].permissions[0]"),
        "{got:?}"
    );
    assert!(has("unknown-resource", "$.grants[2].resource"), "{got:?}");
    assert!(
        has("not-a-data-model", "$.data_permissions[0].data_model"),
        "{got:?}"
    );
    assert!(
        has(
            "malformed-rule",
            "$.data_permissions[0].entries[0].rules[0].column"
        ),
        "{got:?}"
    );
    assert!(
        has(
            "malformed-rule",
            "$.data_permissions[0].entries[0].rules[0].values"
        ),
        "{got:?}"
    );
    let problems = Team::from_json(json).expect_err("invalid");
    for p in &problems.0 {
        assert!(
            !p.message.is_empty() && p.message.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{p}"
        );
        assert!(!p.message.ends_with('.'), "{p}");
    }
}

#[test]
fn the_builtin_catalog_round_trips_and_a_broken_one_is_refused() {
    let cat = Catalog::from_json(Catalog::builtin_json()).expect("parses");
    let compiled = cat.clone().compile().expect("compiles");
    assert_eq!(compiled.kinds.len(), 12);
    let mut broken = cat;
    broken.flows[0].to = "no-such-flag".into();
    broken.kinds[1].parent = Some("nothing".into());
    let problems = broken.compile().expect_err("refused");
    assert!(problems.0.iter().all(|p| p.code == Code::InvalidCatalog));
    assert!(problems.0.len() >= 2, "{problems}");
}

#[test]
fn filters_are_normalised_as_the_spec_says() {
    let rule = |c: &str, v: &[&str]| Rule {
        table: "T".into(),
        column: c.into(),
        values: v.iter().map(|s| s.to_string()).collect(),
    };
    let got = normalise([
        vec![
            rule("A", &["2", "1", "1"]),
            rule("A", &["1", "3", "2"]),
            rule("B", &["x"]),
        ],
        vec![rule("B", &["x"]), rule("A", &["2", "1"])],
        vec![rule("A", &["1"]), rule("A", &["2"])],
    ]);
    assert_eq!(got, vec![vec![rule("A", &["1", "2"]), rule("B", &["x"])]]);
    assert!(normalise([vec![rule("A", &["1"]), rule("A", &["2"])]]).is_empty());
}

#[test]
fn a_refused_change_set_applies_nothing() {
    let case: serde_json::Value =
        serde_json::from_str(include_str!("golden/space-edit-flows.json")).expect("case");
    let team = Team::from_json(&case["snapshot"].to_string()).expect("valid");
    let ops = vec![
        Op::grant("app-etl", "sp-sales", "edit-all-packages"),
        Op::grant("app-etl", "studio", "create-space"),
    ];
    let err = team
        .apply("u-ana", &ops)
        .expect_err("studio is admins only");
    assert_eq!(err.codes(), [Code::NotAllowed]);
    assert_eq!(err.0[0].path, "$.changes[1]");
    assert!(!team.can("app-etl", "pk-o2c", "edit").expect("ids"));
    let bad = vec![
        Op::grant("nobody", "sp-sales", "edit-space"),
        Op::grant("u-ana", "sp-sales", "fly"),
    ];
    let err = team.apply("u-ana", &bad).expect_err("unknown ids");
    assert_eq!(
        err.codes(),
        [Code::UnknownPrincipal, Code::UnknownPermission]
    );
    let after = team.apply("u-ana", &ops[..1]).expect("allowed");
    assert!(after.can("app-etl", "pk-o2c", "edit").expect("ids"));
    assert_eq!(
        after
            .data_access("app-etl", "dm-o2c")
            .expect("model")
            .access,
        AccessKind::None
    );
}
