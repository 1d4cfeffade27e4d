//! The hierarchy rule's edges (what is inherited, what is redundant) and the
//! warnings of a change set, with their paths and wording.
#![cfg(not(target_arch = "wasm32"))]

use permissions_core::eval::words::message_text;
use permissions_core::eval::{check_ops, impact, Op, Team};
use permissions_core::model::{Code, Problem};
use serde_json::json;

fn team(grants: serde_json::Value, groups: serde_json::Value) -> Team {
    let snapshot = json!({
        "directory": {
            "users": [
                {"id": "u-adm", "name": "Ada", "role": "admin"},
                {"id": "u-ana", "name": "Ana", "role": "analyst"},
                {"id": "u-bo", "name": "Bo", "role": "analyst"},
                {"id": "u-mem", "name": "Max", "role": "member"}
            ],
            "groups": groups,
            "oauth_clients": [{"id": "oc-bi", "name": "BI", "scopes": ["studio.package:read", "audit.log:read"]}]
        },
        "resources": [
            {"id": "di", "kind": "data-integration", "name": "Data Integration"},
            {"id": "dp", "kind": "data-pool", "parent": "di", "name": "Pool"},
            {"id": "studio", "kind": "studio", "name": "Studio"},
            {"id": "sp", "kind": "space", "parent": "studio", "name": "Sales"},
            {"id": "pk", "kind": "package", "parent": "sp", "name": "O2C"},
            {"id": "pk2", "kind": "package", "parent": "sp", "name": "P2P"}
        ],
        "grants": grants
    });
    Team::from_json(&snapshot.to_string()).unwrap_or_else(|p| panic!("{p}"))
}

fn warnings(t: &Team, ops: &[Op], code: Code) -> Vec<Problem> {
    let (_, imp) = impact(t, "u-adm", ops).unwrap_or_else(|p| panic!("{p}"));
    imp.warnings
        .into_iter()
        .filter(|w| w.code == code)
        .collect()
}

#[test]
fn flags_implied_by_a_flowed_flag_are_inherited_and_a_grant_of_them_redundant() {
    let t = team(
        json!([
            {"principal": "u-ana", "resource": "di", "permissions": ["manage-all-data-pools"]},
            {"principal": "u-ana", "resource": "dp", "permissions": ["view"]}
        ]),
        json!([]),
    );
    for flag in [
        "manage",
        "edit",
        "view",
        "use-data-models",
        "data-push",
        "continuous-data-push",
    ] {
        let f = t.flag("u-ana", "dp", flag).expect("ids");
        assert!(f.held && f.inherited, "{flag}: {f:?}");
        assert_eq!(
            f.origin.as_ref().map(|o| o.resource.as_str()),
            Some("di"),
            "{flag}"
        );
    }
    assert!(t.flag("u-ana", "dp", "view").expect("ids").redundant);
    assert!(!t.flag("u-ana", "dp", "edit").expect("ids").redundant);
    assert_eq!(t.redundant_grants().len(), 1);
}

#[test]
fn a_flag_implied_by_a_grant_made_here_is_not_inherited() {
    let t = team(
        json!([{"principal": "u-ana", "resource": "dp", "permissions": ["manage", "view"]}]),
        json!([]),
    );
    let view = t.flag("u-ana", "dp", "view").expect("ids");
    assert!(view.held && !view.inherited && !view.redundant, "{view:?}");
}

#[test]
fn an_admin_inherits_nothing_and_a_grant_to_an_admin_is_never_redundant() {
    let t = team(
        json!([
            {"principal": "u-adm", "resource": "sp", "permissions": ["edit-all-packages"]},
            {"principal": "u-adm", "resource": "pk", "permissions": ["edit"]}
        ]),
        json!([]),
    );
    for flag in ["edit", "use", "delete"] {
        let f = t.flag("u-adm", "pk", flag).expect("ids");
        assert!(
            f.held && f.effective && !f.inherited && !f.redundant,
            "{f:?}"
        );
    }
    assert!(t.redundant_grants().is_empty());
    assert!(warnings(&t, &[Op::grant("u-adm", "pk2", "edit")], Code::Redundant).is_empty());
}

#[test]
fn revoking_a_partner_warns_that_the_remaining_grant_is_ineffective() {
    let t = team(
        json!([{"principal": "u-ana", "resource": "pk", "permissions": ["edit", "delete", "manage-permissions"]}]),
        json!([]),
    );
    let w = warnings(&t, &[Op::revoke("u-ana", "pk", "edit")], Code::Ineffective);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w.iter().all(|w| w.path == "$.changes[0]"));
    assert!(
        w[0].message.contains("`delete` for `u-ana` on `pk`")
            && w[0].message.contains("requires:edit"),
        "{}",
        w[0].message
    );
    // Revoking the partner *and* the flag that needs it leaves nothing to warn about.
    let ops = [
        Op::revoke("u-ana", "pk", "edit"),
        Op::revoke("u-ana", "pk", "delete"),
        Op::revoke("u-ana", "pk", "manage-permissions"),
    ];
    assert!(warnings(&t, &ops, Code::Ineffective).is_empty());
}

#[test]
fn an_existing_ineffective_grant_is_not_reported_again() {
    let t = team(
        json!([{"principal": "u-ana", "resource": "pk", "permissions": ["delete"]}]),
        json!([]),
    );
    assert!(warnings(&t, &[Op::grant("u-ana", "pk2", "use")], Code::Ineffective).is_empty());
}

#[test]
fn granting_higher_up_names_the_grants_it_makes_redundant() {
    let t = team(
        json!([
            {"principal": "u-ana", "resource": "pk", "permissions": ["edit"]},
            {"principal": "u-bo", "resource": "pk2", "permissions": ["edit"]}
        ]),
        json!([{"id": "g-ops", "name": "Ops", "role": "analyst", "members": ["u-ana", "u-bo"]}]),
    );
    let w = warnings(
        &t,
        &[
            Op::grant("u-mem", "pk", "use"),
            Op::grant("g-ops", "sp", "edit-all-packages"),
        ],
        Code::Redundant,
    );
    let mut named: Vec<&str> = w.iter().map(|w| w.message.as_str()).collect();
    named.sort_unstable();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        named[0].starts_with("`edit` for `u-ana` on `pk` becomes redundant"),
        "{}",
        named[0]
    );
    assert!(
        named[1].starts_with("`edit` for `u-bo` on `pk2` becomes redundant"),
        "{}",
        named[1]
    );
    assert!(w.iter().all(|w| w.path == "$.changes[1]"));
}

#[test]
fn a_group_grant_is_judged_per_member() {
    let t = team(
        json!([]),
        json!([
            {"id": "g-mix", "name": "Mixed", "role": "member", "members": ["u-ana", "u-mem"]},
            {"id": "g-an", "name": "Analysts", "role": "member", "members": ["u-ana", "u-bo"]},
            {"id": "g-none", "name": "Empty", "role": "member", "members": []}
        ]),
    );
    let w = warnings(&t, &[Op::grant("g-mix", "pk", "edit")], Code::Ineffective);
    assert_eq!(w.len(), 1);
    assert!(
        w[0].message.contains("for 1 of the 2 members") && w[0].message.contains("`u-mem` (role)"),
        "{}",
        w[0].message
    );
    assert!(warnings(&t, &[Op::grant("g-an", "pk", "edit")], Code::Ineffective).is_empty());
    // A group without members is judged on its own role.
    assert_eq!(
        warnings(&t, &[Op::grant("g-none", "pk", "edit")], Code::Ineffective).len(),
        1
    );
}

#[test]
fn unknown_ids_and_not_allowed_come_in_one_answer() {
    let t = team(json!([]), json!([]));
    let ops = [
        Op::grant("u-nobody", "pk", "use"),
        Op::grant("u-ana", "pk", "fly"),
        Op::grant("u-ana", "sp", "edit-space"),
        Op::grant("u-ana", "nowhere", "use"),
    ];
    let problems = t.apply("u-bo", &ops).expect_err("refused");
    let got: Vec<(Code, &str)> = problems
        .0
        .iter()
        .map(|p| (p.code, p.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Code::UnknownPrincipal, "$.changes[0].principal"),
            (Code::NotAllowed, "$.changes[0]"),
            (Code::UnknownPermission, "$.changes[1].permission"),
            (Code::NotAllowed, "$.changes[1]"),
            (Code::NotAllowed, "$.changes[2]"),
            (Code::UnknownResource, "$.changes[3].resource"),
        ]
    );
    // Operations that could not be read are left out, the others keep their index.
    let indexed = [(5, &ops[2])];
    let p = check_ops(&t, "u-bo", &indexed);
    assert_eq!(p.0.len(), 1);
    assert_eq!(p.0[0].path, "$.changes[5]");
}

#[test]
fn unknown_scopes_are_warned_at_their_path() {
    let t = team(json!([]), json!([]));
    let w: Vec<_> = t.warnings.warnings().collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].code, Code::UnknownScope);
    assert_eq!(w[0].path, "$.directory.oauth_clients[0].scopes[0]");
    assert!(
        w[0].message.contains("`studio.package:read`")
            && w[0]
                .message
                .ends_with("did you mean `studio.packages:read`?"),
        "{}",
        w[0].message
    );
}

#[test]
fn the_catalog_knows_every_scope_of_the_reference_list() {
    // A copy of ../shared/reference/oauth-scopes.txt (the vendor's list), so
    // the test runs wherever the repository is checked out.
    let text = include_str!("data/oauth-scopes.txt");
    let catalog = permissions_core::model::Catalog::builtin();
    let scopes: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && l.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".:_-".contains(c))
        })
        .collect();
    assert!(scopes.len() > 30, "{scopes:?}");
    for s in scopes {
        assert!(catalog.is_known_scope(s), "`{s}` is not in the catalog");
    }
}

#[test]
fn problems_say_what_they_are_about() {
    let t = team(
        json!([{"principal": "u-ana", "resource": "pk", "permissions": ["edit"]}]),
        json!([]),
    );
    let about = |p: &Problem| {
        (
            p.about.principal.clone(),
            p.about.resource.clone(),
            p.about.permission.clone(),
            p.about.field.clone(),
        )
    };
    let some = |s: &str| Some(s.to_string());

    let redundant = warnings(
        &t,
        &[Op::grant("u-ana", "sp", "edit-all-packages")],
        Code::Redundant,
    );
    assert_eq!(
        about(&redundant[0]),
        (some("u-ana"), some("pk"), some("edit"), None),
        "the grant made redundant, not the operation"
    );
    let text = message_text(&t, &redundant[0].message);
    assert!(
        text.contains("Ana") && text.contains("O2C") && !text.contains('`'),
        "the ids are named: {text}"
    );

    let refused = t
        .apply("u-bo", &[Op::grant("u-nobody", "pk", "fly")])
        .expect_err("refused");
    let by_code = |c: Code| refused.0.iter().find(|p| p.code == c).map(about);
    assert_eq!(
        by_code(Code::UnknownPrincipal),
        Some((some("u-nobody"), None, None, some("principal")))
    );
    assert_eq!(
        by_code(Code::UnknownPermission),
        Some((None, some("pk"), some("fly"), some("permissions")))
    );
    assert_eq!(
        by_code(Code::NotAllowed),
        Some((some("u-nobody"), some("pk"), some("fly"), None))
    );
}
