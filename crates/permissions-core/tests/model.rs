//! Model-level checks: parse errors with paths, every validation problem at
//! once, the catalog as data, normalisation, atomic change sets.
#![cfg(not(target_arch = "wasm32"))]

use permissions_core::eval::data_access::normalise;
use permissions_core::eval::read_ops;
use permissions_core::eval::{AccessKind, Op, Team};
use permissions_core::model::snapshot::{Rule, Snapshot};
use permissions_core::model::{read_snapshot, read_snapshot_value, Catalog, Code};
use serde_json::{json, Value};

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
    let rule = "$.data_permissions[0].entries[0].rules[0]";
    let at_rule: Vec<&(String, String)> = got
        .iter()
        .filter(|(c, p)| c == "malformed-rule" && p == rule)
        .collect();
    assert_eq!(
        at_rule.len(),
        2,
        "empty column and values, at the rule: {got:?}"
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
        serde_json::from_str(include_str!("../../../tests/golden/space-edit-flows.json"))
            .expect("case");
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

fn problems_of(json: &str) -> Vec<(String, String, String)> {
    match Team::from_json(json) {
        Ok(_) => Vec::new(),
        Err(p) => {
            p.0.iter()
                .map(|x| {
                    (
                        x.code.as_str().to_string(),
                        x.path.clone(),
                        x.message.clone(),
                    )
                })
                .collect()
        }
    }
}

fn pairs(problems: &[(String, String, String)]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|(c, p, _)| (c.as_str(), p.as_str()))
        .collect()
}

#[test]
fn five_typos_give_five_problems() {
    let json = r#"{
      "directory": {"users": [
        {"id": "u-ana", "name": "Ana", "role": "analyts"},
        {"id": "u-bob", "nme": "Bob", "role": "member"}
      ]},
      "resources": [
        {"id": "studio", "kind": "studio", "name": "Studio"},
        {"id": "sp", "kind": "space", "parent": "studio", "name": "Sales", "created_bye": "u-ana"}
      ],
      "grants": [
        {"principal": "u-ana", "resource": "sp", "permissions": ["edit-space", 7]},
        {"principal": "u-bob", "resource": "sp", "permissions": ["use-all-packages"], "orgin": "creator"}
      ]
    }"#;
    let got = problems_of(json);
    assert_eq!(
        pairs(&got),
        [
            ("malformed-json", "$.directory.users[0].role"),
            ("unknown-field", "$.directory.users[1].nme"),
            ("unknown-field", "$.resources[1].created_bye"),
            ("malformed-json", "$.grants[0].permissions[1]"),
            ("unknown-field", "$.grants[1].orgin"),
        ],
        "{got:#?}"
    );
    let messages: Vec<&str> = got.iter().map(|x| x.2.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`analyts` is not one of `member`, `analyst`, `admin`: did you mean `analyst`?",
            "unknown field `nme`: did you mean `name`?",
            "unknown field `created_bye`: did you mean `created_by`?",
            "expected a string, found a number",
            "unknown field `orgin`: did you mean `origin`?",
        ]
    );
}

#[test]
fn wrong_types_and_missing_fields_name_what_was_expected() {
    let got = problems_of(
        r#"{"directory": {"users": [{"id": "u", "role": "member"}], "groups": {}},
            "grants": [{"principal": "nobody", "resource": 5, "permissions": "use"}],
            "version": 17}"#,
    );
    let want = [
        (
            "malformed-json",
            "$.directory.users[0]",
            "missing field `name`",
        ),
        (
            "malformed-json",
            "$.directory.groups",
            "expected a list, found an object",
        ),
        (
            "malformed-json",
            "$.grants[0].resource",
            "expected a string, found a number",
        ),
        (
            "malformed-json",
            "$.grants[0].permissions",
            "expected a list, found a string",
        ),
        (
            "malformed-json",
            "$.version",
            "expected a string, found a number",
        ),
    ];
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(c, p, m)| (c.as_str(), p.as_str(), m.as_str()))
        .collect();
    // The grant's unknown principal is reported too; its unknown resource is not news.
    assert_eq!(got[..5], want, "{got:#?}");
    assert_eq!(got[5].0, "unknown-principal", "{got:#?}");
    assert_eq!(got.len(), 6, "{got:#?}");
}

#[test]
fn text_that_is_not_json_is_one_problem_with_line_and_column() {
    for text in [
        "{\n  \"grants\": [\n    {\"principal\" \"u\"}\n  ]\n}",
        "",
        "[1, 2",
        "{} x",
    ] {
        let got = Team::from_json(text).expect_err("not JSON");
        assert_eq!(got.codes(), [Code::MalformedJson], "{got}");
        let p = &got.0[0];
        assert_eq!(p.path, "$");
        assert!(
            p.message.starts_with("the text is not JSON: ")
                && p.message.contains("line")
                && p.message.contains("column"),
            "{p}"
        );
    }
}

/// A valid snapshot with one data model and one rule, for the rule shapes.
fn with_rule(rule: Value) -> Value {
    with_entry(
        json!({"principal": "u-ana", "rules": [{"table": "T", "column": "C", "values": ["1"]}, rule]}),
    )
}

fn with_entry(entry: Value) -> Value {
    json!({
        "directory": {"users": [{"id": "u-ana", "name": "Ana", "role": "analyst"}]},
        "resources": [
            {"id": "di", "kind": "data-integration", "name": "DI"},
            {"id": "dp", "kind": "data-pool", "parent": "di", "name": "Pool"},
            {"id": "dm", "kind": "data-model", "parent": "dp", "name": "Model"}
        ],
        "data_permissions": [{"data_model": "dm", "enabled": true, "entries": [entry]}]
    })
}

#[test]
fn a_rule_wrong_in_any_way_is_malformed_rule_at_the_rule() {
    let cases = [
        (
            json!("VBAK.BUKRS = 1000"),
            "expected an object, found a string",
        ),
        (json!(null), "expected an object, found null"),
        (
            json!({"table": "T", "column": "C"}),
            "missing field `values`",
        ),
        (
            json!({"column": "C", "values": ["1"]}),
            "missing field `table`",
        ),
        (
            json!({"table": "T", "values": ["1"]}),
            "missing field `column`",
        ),
        (
            json!({"table": "T", "column": "C", "values": "1000"}),
            "`values`: expected a list, found a string",
        ),
        (
            json!({"table": "T", "column": "C", "values": [1000, "2"]}),
            "`values[0]`: expected a string, found a number",
        ),
        (
            json!({"table": "T", "column": "C", "values": ["1", true]}),
            "`values[1]`: expected a string, found a boolean",
        ),
        (
            json!({"table": 1, "column": "C", "values": ["1"]}),
            "`table`: expected a string, found a number",
        ),
        (
            json!({"table": "T", "column": "C", "values": ["1"], "op": "in"}),
            "unknown field `op`",
        ),
        (
            json!({"tabel": "T", "column": "C", "values": ["1"]}),
            "unknown field `tabel`: did you mean `table`?",
        ),
        (
            json!({"table": "", "column": "C", "values": ["1"]}),
            "a rule needs a table",
        ),
        (
            json!({"table": "T", "column": " ", "values": ["1"]}),
            "a rule needs a column",
        ),
        (
            json!({"table": "T", "column": "C", "values": []}),
            "a rule needs at least one value",
        ),
    ];
    let rule = "$.data_permissions[0].entries[0].rules[1]";
    for (shape, message) in cases {
        let got = problems_of(&with_rule(shape.clone()).to_string());
        let want = [(
            "malformed-rule".to_string(),
            rule.to_string(),
            message.to_string(),
        )];
        assert_eq!(got, want, "{shape}");
    }
    // Two things wrong: both said, at the rule.
    let got = problems_of(&with_rule(json!({"table": 1, "values": "x"})).to_string());
    assert_eq!(
        pairs(&got),
        [
            ("malformed-rule", rule),
            ("malformed-rule", rule),
            ("malformed-rule", rule)
        ],
        "{got:#?}"
    );
    // `rules` that is not a list and `access` that is not a string.
    let entry = "$.data_permissions[0].entries[0]";
    for (e, path, message) in [
        (
            json!({"principal": "u-ana", "rules": {"table": "T"}}),
            "rules",
            "expected a list, found an object",
        ),
        (
            json!({"principal": "u-ana", "rules": "T.C = 1"}),
            "rules",
            "expected a list, found a string",
        ),
        (
            json!({"principal": "u-ana", "access": true}),
            "access",
            "expected a string, found a boolean",
        ),
        (
            json!({"principal": "u-ana", "access": "everything"}),
            "access",
            "access must be `unlimited`, not `everything`",
        ),
    ] {
        let got = problems_of(&with_entry(e.clone()).to_string());
        let want = [(
            "malformed-rule".to_string(),
            format!("{entry}.{path}"),
            message.to_string(),
        )];
        assert_eq!(got, want, "{e}");
    }
}

#[test]
fn structural_and_semantic_problems_are_reported_together() {
    let json = r#"{
      "directory": {"users": [{"id": "u-ana", "name": "Ana", "role": "analyst", "emial": "a@x"}]},
      "resources": [
        {"id": "studio", "kind": "studio", "name": "Studio"},
        {"id": "sp", "kind": "space", "parent": "studoi", "name": "Sales"},
        {"id": "pk", "kind": "package", "parent": "sp-x", "name": "P", "nmae": "P"}
      ],
      "grants": [{"principal": "u-ana", "resource": "studio", "permissions": ["create-space"], "origin": "creater"}]
    }"#;
    let got = problems_of(json);
    assert_eq!(
        pairs(&got),
        [
            ("unknown-field", "$.directory.users[0].emial"),
            ("unknown-field", "$.resources[2].nmae"),
            ("malformed-json", "$.grants[0].origin"),
            ("unknown-parent", "$.resources[1].parent"),
            ("unknown-parent", "$.resources[2].parent"),
        ],
        "{got:#?}"
    );
}

#[test]
fn valid_documents_read_exactly_as_serde_reads_them() {
    let cat = Catalog::builtin();
    for text in [
        include_str!("../../../src/demo/team.json"),
        "{}",
        r#"{"resources": [{"id": "studio", "kind": "studio", "name": "S", "parent": null}], "version": null}"#,
    ] {
        let serde: Snapshot = serde_json::from_str(text).expect("serde reads it");
        assert_eq!(read_snapshot(&cat, text), Ok(serde.clone()));
        let value: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(read_snapshot_value(&cat, &value), Ok(serde));
    }
    let team = Team::from_json(include_str!("../../../src/demo/team.json")).expect("valid");
    let round = serde_json::to_string(&team.snapshot).expect("serialises");
    assert_eq!(read_snapshot(&cat, &round), Ok(team.snapshot.clone()));
}

#[test]
fn a_change_set_reports_every_problem_of_every_operation() {
    let changes = json!([
        {"op": "grant", "principal": "u-ana", "resource": "sp", "permission": "edit-space"},
        {"op": "grnat", "principal": "u-ana", "resource": "sp", "permission": "edit-space"},
        {"op": "revoke", "principal": "u-ana", "resourse": "sp", "permission": 3},
        {"op": "set-data-permissions", "data_model": "dm", "enabled": "yes",
         "entries": [{"principal": "u-ana", "rules": [{"table": "T", "column": "C", "values": "1"}]}]},
        "grant",
        {"principal": "u-ana"},
        {"op": "set-data-permissions", "data_model": "dm", "enabled": false}
    ]);
    let (ops, problems) = read_ops(&changes);
    let got: Vec<(&str, &str)> = problems
        .0
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("malformed-json", "$.changes[1].op"),
            ("unknown-field", "$.changes[2].resourse"),
            ("malformed-json", "$.changes[2].permission"),
            ("malformed-json", "$.changes[3].enabled"),
            ("malformed-rule", "$.changes[3].entries[0].rules[0]"),
            ("malformed-json", "$.changes[4]"),
            ("malformed-json", "$.changes[5]"),
        ],
        "{problems}"
    );
    assert!(
        problems.0[0].message.contains("did you mean `grant`?"),
        "{problems}"
    );
    let indexes: Vec<usize> = ops.iter().map(|(i, _)| *i).collect();
    assert_eq!(indexes, [0, 6]);
    assert_eq!(ops[0].1, Op::grant("u-ana", "sp", "edit-space"));
    let (ops, problems) = read_ops(&json!({"op": "grant"}));
    assert!(ops.is_empty());
    assert_eq!(problems.0.len(), 1);
    assert_eq!(problems.0[0].path, "$.changes");
}

fn golden_snapshot_problems(case: &str) -> Vec<(String, String, String)> {
    let case: Value = serde_json::from_str(case).expect("case");
    problems_of(&case["snapshot"].to_string())
}

#[test]
fn the_golden_structural_cases_report_exactly_their_problems() {
    let got = golden_snapshot_problems(include_str!(
        "../../../tests/golden/validation-structural-every-typo.json"
    ));
    assert_eq!(
        pairs(&got),
        [
            ("unknown-field", "$.directory.users[0].emial"),
            ("malformed-json", "$.directory.users[1].role"),
            ("unknown-field", "$.directory.groups[0].member"),
            ("unknown-field", "$.grants[1].orign"),
            ("malformed-json", "$.data_permissions[0].enabled"),
        ],
        "{got:#?}"
    );
    let got = golden_snapshot_problems(include_str!(
        "../../../tests/golden/validation-malformed-rule-shapes.json"
    ));
    let e = "$.data_permissions[0].entries";
    // Structural problems in document order (two numbers in one rule are
    // two problems), then the validation's empty table and empty values.
    let r = |k: usize| format!("{e}[0].rules[{k}]");
    let want = [
        r(1),
        r(2),
        r(3),
        r(4),
        r(4),
        r(5),
        r(6),
        format!("{e}[1].access"),
        format!("{e}[2].rules"),
        r(7),
        r(8),
    ];
    let paths: Vec<&str> = got.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(paths, want, "{got:#?}");
    assert!(got.iter().all(|x| x.0 == "malformed-rule"), "{got:#?}");
}

#[test]
fn principal_types_have_one_order_and_one_set_of_words() {
    use permissions_core::model::validate::PrincipalType;
    let ranks: Vec<u8> = PrincipalType::IN_ORDER.iter().map(|t| t.rank()).collect();
    assert_eq!(ranks, [0, 1, 2, 3, 4]);
    assert_eq!(PrincipalType::IN_ORDER[0], PrincipalType::Group);
    assert_eq!(PrincipalType::OAuthClient.label(), "OAuth client");
    assert_eq!(PrincipalType::OAuthClient.title(), "OAuth client");
    assert_eq!(PrincipalType::OAuthClient.short(), "OAuth");
    assert_eq!(PrincipalType::Application.short(), "App");
    assert_eq!(PrincipalType::User.title(), PrincipalType::User.short());
}

#[test]
fn rule_and_field_problems_name_their_entry_rule_and_field() {
    let problems = |v: Value| Team::from_json(&v.to_string()).expect_err("invalid").0;
    let empty_values = problems(with_rule(
        json!({"table": "T", "column": "C", "values": []}),
    ));
    let about = &empty_values[0].about;
    assert_eq!(
        (about.entry, about.rule, about.field.as_deref()),
        (Some(0), Some(1), Some("values"))
    );
    let typo = problems(with_rule(
        json!({"tabel": "T", "column": "C", "values": ["1"]}),
    ));
    assert_eq!(typo[0].about.field.as_deref(), Some("tabel"));
    assert_eq!(typo[0].code, Code::MalformedRule);
}
