//! The edit session: net merge, undo and redo, reset, rebase.
#![cfg(not(target_arch = "wasm32"))]

use permissions_core::eval::{Dropped, Edit, Evaluation, Op, Session, SetDataOp, Team};
use permissions_core::model::snapshot::{DataEntry, Rule};
use permissions_core::model::Code;
use proptest::prelude::*;
use serde_json::{json, Value};

fn snapshot() -> Value {
    json!({
        "directory": {
            "users": [
                {"id": "u-adm", "name": "Ada", "role": "admin"},
                {"id": "u-ana", "name": "Ana", "role": "analyst"},
                {"id": "u-bo", "name": "Bo", "role": "member"}
            ],
            "groups": [{"id": "g-fin", "name": "Finance", "role": "analyst", "members": ["u-bo"]}]
        },
        "resources": [
            {"id": "di", "kind": "data-integration", "name": "Data Integration"},
            {"id": "dp", "kind": "data-pool", "parent": "di", "name": "Pool"},
            {"id": "dm", "kind": "data-model", "parent": "dp", "name": "Model"},
            {"id": "studio", "kind": "studio", "name": "Studio"},
            {"id": "sp", "kind": "space", "parent": "studio", "name": "Sales"},
            {"id": "pk", "kind": "package", "parent": "sp", "name": "O2C"}
        ],
        "grants": [
            {"principal": "u-ana", "resource": "pk", "permissions": ["edit"]},
            {"principal": "g-fin", "resource": "dp", "permissions": ["use-data-models"]}
        ],
        "data_permissions": [{"data_model": "dm", "enabled": true, "entries": [
            {"principal": "g-fin", "rules": [{"table": "T", "column": "C", "values": ["1", "2"]}]}
        ]}]
    })
}

fn team_of(v: &Value) -> Team {
    Team::from_json(&v.to_string()).unwrap_or_else(|p| panic!("{p}"))
}

fn data(values: &[&str]) -> Op {
    Op::SetDataPermissions(SetDataOp {
        data_model: "dm".into(),
        enabled: true,
        entries: vec![DataEntry {
            principal: "g-fin".into(),
            access: None,
            rules: Some(vec![Rule {
                table: "T".into(),
                column: "C".into(),
                values: values.iter().map(|v| v.to_string()).collect(),
            }]),
        }],
    })
}

#[test]
fn toggling_twice_leaves_nothing_pending() {
    let team = team_of(&snapshot());
    let mut s = Session::new("u-adm");
    let first = s.edit(&team, [Op::grant("u-bo", "pk", "use")]).expect("ok");
    assert!(first.is_some_and(|e| !e.impact.is_empty()));
    let second = s
        .edit(&team, [Op::revoke("u-bo", "pk", "use")])
        .expect("ok");
    assert!(s.pending().is_empty());
    assert!(second.is_some_and(|e| e.impact.is_empty()));
    // Data permissions set back to what the team has vanish too (values in another order).
    s.edit(&team, [data(&["1"])]).expect("ok");
    assert_eq!(s.pending().len(), 1);
    s.edit(&team, [data(&["2", "1"])]).expect("ok");
    assert!(s.pending().is_empty(), "{:?}", s.pending());
}

#[test]
fn an_impact_computed_in_steps_is_kept_only_for_its_pending_set() {
    let team = team_of(&snapshot());
    let mut s = Session::new("u-adm");
    let prepared = s
        .apply(&team, Edit::Ops(vec![Op::grant("u-bo", "pk", "use")]))
        .expect("ok")
        .expect("a change");
    assert!(s.evaluated(&team).is_none(), "applied, not evaluated");
    let impact = s.impact_update(&team, &prepared).finish();
    assert!(!impact.is_empty());
    let evaluation = Evaluation { prepared, impact };
    let pending = s.pending().to_vec();
    // The pending set moved on meanwhile: the evaluation is not kept.
    s.apply(&team, Edit::Ops(vec![Op::grant("u-ana", "pk", "use")]))
        .expect("ok");
    assert!(!s.keep(&team, &pending, evaluation.clone()));
    assert!(s.evaluated(&team).is_none());
    s.apply(&team, Edit::Undo).expect("ok");
    assert!(s.keep(&team, &pending, evaluation.clone()));
    assert_eq!(s.evaluated(&team), Some(&evaluation));
    assert_eq!(s.evaluate(&team).expect("ok"), evaluation);
}

#[test]
fn a_refused_edit_changes_nothing() {
    let team = team_of(&snapshot());
    let mut s = Session::new("u-ana");
    s.edit(&team, [Op::grant("u-bo", "pk", "use")])
        .expect_err("u-ana does not manage the package");
    let problems = s
        .edit(&team, [Op::grant("u-nobody", "pk", "use")])
        .expect_err("unknown principal");
    assert!(problems.codes().contains(&Code::UnknownPrincipal));
    assert!(s.pending().is_empty() && !s.can_undo());
}

#[test]
fn undo_redo_and_reset() {
    let team = team_of(&snapshot());
    let mut s = Session::new("u-adm");
    s.edit(&team, [Op::grant("u-bo", "pk", "use")]).expect("ok");
    s.edit(&team, [Op::revoke("u-ana", "pk", "edit")])
        .expect("ok");
    assert_eq!(s.pending().len(), 2);
    s.reset(&team).expect("ok");
    assert!(s.pending().is_empty());
    s.undo(&team).expect("ok");
    assert_eq!(s.pending().len(), 2);
    s.undo(&team).expect("ok");
    assert_eq!(s.pending(), [Op::grant("u-bo", "pk", "use")]);
    s.redo(&team).expect("ok");
    assert_eq!(s.pending().len(), 2);
    // A new edit forgets what was undone.
    s.undo(&team).expect("ok");
    s.edit(&team, [Op::grant("u-bo", "sp", "edit-space")])
        .expect("ok");
    assert!(!s.can_redo());
    assert_eq!(s.redo(&team).expect("ok"), None);
}

#[test]
fn rebase_keeps_what_still_applies_and_names_what_conflicts() {
    let base_json = snapshot();
    let base = team_of(&base_json);
    let mut s = Session::new("u-adm");
    s.edit(
        &base,
        [
            Op::grant("u-bo", "pk", "use"),
            Op::grant("u-ana", "sp", "edit-space"),
            Op::revoke("u-ana", "pk", "edit"),
            data(&["1"]),
        ],
    )
    .expect("ok");

    // Meanwhile someone else granted u-bo `use`, removed... nothing of u-ana,
    // and changed the model's data permissions.
    let mut newer_json = base_json.clone();
    newer_json["grants"]
        .as_array_mut()
        .expect("grants")
        .push(json!({"principal": "u-bo", "resource": "pk", "permissions": ["use"]}));
    newer_json["data_permissions"][0]["enabled"] = json!(false);
    let newer = team_of(&newer_json);
    let rebased = s.rebase(&base, &newer);
    assert_eq!(
        rebased.kept,
        [
            Op::grant("u-ana", "sp", "edit-space"),
            Op::revoke("u-ana", "pk", "edit")
        ]
    );
    assert_eq!(
        rebased.dropped,
        [
            (Op::grant("u-bo", "pk", "use"), Dropped::AlreadyThere),
            (data(&["1"]), Dropped::ChangedMeanwhile),
        ]
    );
    assert_eq!(rebased.conflicts().count(), 1);
    assert_eq!(s.pending(), rebased.kept.as_slice());
    assert!(!s.can_undo());
    assert!(s.evaluate(&newer).is_ok());

    // A principal that is gone, and an actor who no longer manages: refused.
    let mut gone_json = base_json.clone();
    gone_json["directory"]["users"] = json!([
        {"id": "u-adm", "name": "Ada", "role": "analyst"},
        {"id": "u-bo", "name": "Bo", "role": "member"}
    ]);
    gone_json["grants"] = json!([]);
    let gone = team_of(&gone_json);
    let mut s = Session::new("u-adm");
    s.edit(&base, [Op::grant("u-ana", "pk", "use")])
        .expect("ok");
    let rebased = s.rebase(&base, &gone);
    let Some((_, Dropped::Refused(problems))) = rebased.dropped.first() else {
        panic!("{rebased:?}");
    };
    assert!(problems.codes().contains(&Code::UnknownPrincipal));
    assert!(problems.codes().contains(&Code::NotAllowed));
}

fn edit_op() -> impl Strategy<Value = Op> {
    let who = prop::sample::select(vec!["u-ana", "u-bo", "g-fin"]);
    let target = prop::sample::select(vec![
        ("pk", "use"),
        ("pk", "edit"),
        ("pk", "delete"),
        ("sp", "edit-all-packages"),
        ("dp", "use-data-models"),
        ("dp", "manage"),
    ]);
    prop_oneof![
        (any::<bool>(), who, target).prop_map(|(grant, p, (r, f))| if grant {
            Op::grant(p, r, f)
        } else {
            Op::revoke(p, r, f)
        }),
        prop::sample::subsequence(vec!["1", "2", "3"], 1..3).prop_map(|v| data(&v)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Undoing every step restores the exact earlier pending set and impact;
    /// redoing them all comes back to the end.
    #[test]
    fn undo_restores_every_earlier_state(steps in prop::collection::vec(prop::collection::vec(edit_op(), 1..3), 1..8)) {
        let team = team_of(&snapshot());
        let mut s = Session::new("u-adm");
        let mut states = vec![(s.pending().to_vec(), s.evaluate(&team).expect("ok"))];
        for ops in steps {
            if s.edit(&team, ops).expect("an admin's edit").is_some() {
                states.push((s.pending().to_vec(), s.evaluate(&team).expect("ok")));
            }
        }
        for (pending, evaluation) in states.iter().rev().skip(1) {
            let undone = s.undo(&team).expect("ok").expect("a step to undo");
            prop_assert_eq!(s.pending(), pending.as_slice());
            prop_assert_eq!(&undone, evaluation);
        }
        prop_assert!(!s.can_undo());
        for (pending, evaluation) in states.iter().skip(1) {
            let redone = s.redo(&team).expect("ok").expect("a step to redo");
            prop_assert_eq!(s.pending(), pending.as_slice());
            prop_assert_eq!(&redone, evaluation);
        }
        prop_assert!(!s.can_redo());
    }

    /// Any edit followed by its inverse leaves the pending set as it was.
    #[test]
    fn an_edit_and_its_inverse_cancel_out(before in prop::collection::vec(edit_op(), 0..4), op in edit_op()) {
        let team = team_of(&snapshot());
        let mut s = Session::new("u-adm");
        s.edit(&team, before).expect("ok");
        let start = s.pending().to_vec();
        if let Some(inverse) = op.inverse() {
            s.edit(&team, [op.clone()]).expect("ok");
            s.edit(&team, [inverse]).expect("ok");
            // As a set: the start without `op` (an `op` already pending is undone by its inverse).
            let now = s.pending();
            let expected: Vec<&Op> = start.iter().filter(|o| **o != op).collect();
            prop_assert_eq!(now.len(), expected.len(), "{:?} → {:?}", start, now);
            prop_assert!(expected.iter().all(|o| now.contains(o)), "{:?} → {:?}", start, now);
        }
    }
}
