//! The edit session updates its impact edit by edit; after any sequence of
//! edits, undos, redos and resets it must equal the impact of the pending
//! change set computed from scratch (which `properties.rs` checks against
//! the difference of the two teams), and so must the prepared change set.
#![cfg(not(target_arch = "wasm32"))]

use permissions_core::eval::{impact, Change, Edit, Evaluation, Op, Session, SetDataOp, Team};
use permissions_core::model::snapshot::{DataEntry, Rule};
use permissions_core::model::synthetic::{team, Scale};
use permissions_core::model::validate::PrincipalType;
use permissions_core::model::Catalog;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

fn small() -> &'static Team {
    static TEAM: OnceLock<Team> = OnceLock::new();
    TEAM.get_or_init(|| {
        Team::new(Arc::new(Catalog::builtin()), team(Scale::S)).unwrap_or_else(|p| panic!("{p}"))
    })
}

/// Grantees and resources at every level of the S team.
const GRANTEES: [&str; 8] = ["g-0", "g-1", "g-4", "u-7", "u-12", "u-30", "app-0", "oc-0"];
const RESOURCES: [&str; 10] = [
    "studio", "sp-big", "pk-0", "pk-3", "a-0", "a-20", "sp-0", "pk-0-1", "dp-0", "dm-1",
];

#[derive(Debug, Clone)]
enum Step {
    Edit(Vec<Op>),
    Undo,
    Redo,
    Reset,
}

impl From<Step> for Edit {
    fn from(step: Step) -> Edit {
        match step {
            Step::Edit(ops) => Edit::Ops(ops),
            Step::Undo => Edit::Undo,
            Step::Redo => Edit::Redo,
            Step::Reset => Edit::Reset,
        }
    }
}

fn grant_op() -> impl Strategy<Value = Op> {
    (
        0..GRANTEES.len(),
        0..RESOURCES.len(),
        0usize..8,
        any::<bool>(),
    )
        .prop_map(|(p, r, f, grant)| {
            let t = small();
            let kind = t.kind_of(t.find_resource(RESOURCES[r]).expect("an S id"));
            let flag = &kind.perms[f % kind.perms.len()].id;
            if grant {
                Op::grant(GRANTEES[p], RESOURCES[r], flag)
            } else {
                Op::revoke(GRANTEES[p], RESOURCES[r], flag)
            }
        })
}

fn data_op() -> impl Strategy<Value = Op> {
    (
        0usize..3,
        0usize..5,
        prop::sample::subsequence(vec!["1000", "1001", "1002"], 1..3),
    )
        .prop_map(|(m, g, values)| {
            Op::SetDataPermissions(SetDataOp {
                data_model: format!("dm-{m}"),
                enabled: true,
                entries: vec![DataEntry {
                    principal: format!("g-{g}"),
                    access: None,
                    rules: Some(vec![Rule {
                        table: "VBAK".into(),
                        column: "BUKRS".into(),
                        values: values.into_iter().map(String::from).collect(),
                    }]),
                }],
            })
        })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => prop::collection::vec(grant_op(), 1..3).prop_map(Step::Edit),
        1 => data_op().prop_map(|op| Step::Edit(vec![op])),
        2 => Just(Step::Undo),
        1 => Just(Step::Redo),
        1 => Just(Step::Reset),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_step_equals_the_impact_from_scratch(steps in prop::collection::vec(step(), 1..14)) {
        let t = small();
        let mut s = Session::new("u-0");
        for step in steps {
            let evaluation = match step {
                Step::Edit(ops) => s.edit(t, ops),
                Step::Undo => s.undo(t),
                Step::Redo => s.redo(t),
                Step::Reset => s.reset(t),
            }
            .map_err(|p| TestCaseError::fail(p.to_string()))?;
            let Some(evaluation) = evaluation else { continue };
            same_as_from_scratch(t, &s, &evaluation)?;
        }
    }

    /// As the dialog does on a large team: steps taken at once, their impact
    /// computed later, after one or several of them.
    #[test]
    fn steps_evaluated_later_equal_the_impact_from_scratch(steps in prop::collection::vec((step(), any::<bool>()), 1..14)) {
        let t = small();
        let mut s = Session::new("u-0");
        for (step, evaluate) in steps {
            s.apply(t, step.into()).map_err(|p| TestCaseError::fail(p.to_string()))?;
            if evaluate {
                let evaluation = s.evaluate(t).map_err(|p| TestCaseError::fail(p.to_string()))?;
                same_as_from_scratch(t, &s, &evaluation)?;
            }
        }
    }

    /// As the dialog does when an edit's impact is slow: steps taken at
    /// once, their impact computed later a few classes at a time (some
    /// updates dropped half-way, as when another edit comes first), the
    /// finished ones kept for the next.
    #[test]
    fn impacts_computed_in_slices_equal_the_impact_from_scratch(
        steps in prop::collection::vec((step(), prop::option::of((1usize..4, any::<bool>()))), 1..14)
    ) {
        let t = small();
        let mut s = Session::new("u-0");
        let mut prepared = None;
        for (step, slices) in steps {
            if let Some(p) = s.apply(t, step.into()).map_err(|p| TestCaseError::fail(p.to_string()))? {
                prepared = Some(p);
            }
            let (Some((per_slice, finished)), Some(p)) = (slices, &prepared) else { continue };
            let mut update = s.impact_update(t, p);
            let mut done = false;
            while !done {
                let mut n = 0;
                done = update.step(|| { n += 1; n < per_slice });
                prop_assert!(n >= 1 || done, "a step evaluates at least one class");
                if !finished {
                    break;
                }
            }
            if !finished {
                continue;
            }
            prop_assert_eq!(update.classes_left(), 0);
            let evaluation = Evaluation { prepared: p.clone(), impact: update.finish() };
            let pending = s.pending().to_vec();
            prop_assert!(s.keep(t, &pending, evaluation.clone()));
            same_as_from_scratch(t, &s, &evaluation)?;
            let again = s.evaluate(t).map_err(|p| TestCaseError::fail(p.to_string()))?;
            prop_assert_eq!(again, evaluation);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// On a team shaped like a real one (users in several groups, grants at
    /// every level), where principals' walks share the subtrees they hold
    /// nothing in, the impact is exactly what the two teams differ in, for
    /// every principal on every resource.
    #[test]
    fn the_impact_on_a_realistic_team_is_what_the_two_teams_differ_in(
        ops in prop::collection::vec(prop_oneof![5 => grant_op(), 1 => data_op()], 1..6),
    ) {
        let t = small();
        let (_, imp) = impact(t, "u-0", &ops).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let next = t.apply("u-0", &ops).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let got: BTreeSet<(String, String, String, String)> = imp
            .per_principal()
            .map(|(p, r, c)| match c {
                Change::Capability { capability, after, .. } => {
                    (p.into(), r.into(), capability.clone(), after.to_string())
                }
                Change::DataAccess { after, .. } => (p.into(), r.into(), "data".into(), format!("{after:?}")),
            })
            .collect();
        prop_assert_eq!(got, difference(t, &next), "ops: {:?}", ops);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// [`Team::apply`] shares what a change set cannot change and patches the
    /// grants' indexes: the team it gives, and the one after another change
    /// set on it, are the teams built from their snapshots from scratch.
    #[test]
    fn a_team_applied_is_the_team_built_from_its_snapshot(
        first in prop::collection::vec(prop_oneof![5 => grant_op(), 1 => data_op()], 1..12),
        then in prop::collection::vec(prop_oneof![5 => grant_op(), 1 => data_op()], 1..6),
    ) {
        let fail = |p: permissions_core::model::problem::Problems| TestCaseError::fail(p.to_string());
        let mut team = small().clone();
        for ops in [first, then] {
            let next = team.apply("u-0", &ops).map_err(fail)?;
            let built = Team::new(team.catalog.clone(), next.snapshot.clone()).map_err(fail)?;
            prop_assert!(next == built, "ops: {:?}", ops);
            prop_assert_ne!(next.uid(), built.uid());
            // What a change set cannot change is shared, not copied.
            prop_assert!(Arc::ptr_eq(&next.principals, &team.principals));
            prop_assert!(Arc::ptr_eq(&next.resources, &team.resources));
            prop_assert!(Arc::ptr_eq(&next.snapshot.directory, &team.snapshot.directory));
            prop_assert!(Arc::ptr_eq(&next.snapshot.resources, &team.snapshot.resources));
            team = next;
        }
    }
}

/// Every (principal, resource, capability or data access, value after) that
/// differs between two teams of the same principals and resources, for every
/// user, application and OAuth client (spec §7: groups are expanded to their
/// users, API keys follow their owners).
fn difference(before: &Team, after: &Team) -> BTreeSet<(String, String, String, String)> {
    let mut out = BTreeSet::new();
    for p in before
        .principals
        .iter()
        .filter(|p| !matches!(p.ptype, PrincipalType::ApiKey | PrincipalType::Group))
    {
        for r in before.resources.iter() {
            let (b, a) = (
                before.capabilities(&p.id, &r.id).expect("ids"),
                after.capabilities(&p.id, &r.id).expect("ids"),
            );
            for cap in b.iter().filter(|c| !a.contains(c)) {
                out.insert((p.id.clone(), r.id.clone(), cap.clone(), "false".into()));
            }
            for cap in a.iter().filter(|c| !b.contains(c)) {
                out.insert((p.id.clone(), r.id.clone(), cap.clone(), "true".into()));
            }
            if let (Ok(b), Ok(a)) = (
                before.data_access(&p.id, &r.id),
                after.data_access(&p.id, &r.id),
            ) {
                if b != a {
                    out.insert((p.id.clone(), r.id.clone(), "data".into(), format!("{a:?}")));
                }
            }
        }
    }
    out
}

fn same_as_from_scratch(
    t: &Team,
    s: &Session,
    evaluation: &Evaluation,
) -> Result<(), TestCaseError> {
    let (prepared, scratch) =
        impact(t, "u-0", s.pending()).map_err(|p| TestCaseError::fail(p.to_string()))?;
    prop_assert_eq!(&evaluation.prepared, &prepared);
    let held = evaluation.impact.to_impact(t);
    prop_assert_eq!(&held.warnings, &scratch.warnings);
    prop_assert!(
        held.entries == scratch.entries,
        "pending {:?}\nheld {:#?}\nscratch {:#?}",
        s.pending(),
        held.entries,
        scratch.entries
    );
    Ok(())
}

#[test]
fn principals_that_change_alike_share_one_list() {
    let t = small();
    let mut s = Session::new("u-0");
    let e = s
        .edit(t, [Op::grant("g-2", "sp-0", "delete-all-packages")])
        .expect("an admin's edit")
        .expect("a change");
    let classes = e.impact.classes();
    let principals: usize = classes.iter().map(|(_, ps)| ps.len()).sum();
    assert_eq!(principals, e.impact.principal_count());
    assert!(
        classes.len() < principals,
        "{} classes for {principals}",
        classes.len()
    );
}

/// What a class's walk costs grows with the subtree the edit changes: the
/// dialog does not try an edit at the studio in the edit's own task.
#[test]
fn an_updates_walk_covers_the_subtree_its_edit_changes() {
    let t = small();
    let walk = |resource: &str| {
        let r = t.find_resource(resource).expect("an S id");
        let flag = &t.kind_of(r).perms[0].id;
        let mut s = Session::new("u-0");
        let p = s
            .apply(t, Edit::Ops(vec![Op::grant("g-0", resource, flag)]))
            .unwrap_or_else(|p| panic!("{p}"))
            .expect("a change");
        let size = s.impact_update(t, &p).walk_size();
        (size, t.subtree(r).len())
    };
    let (studio, all) = walk("studio");
    assert!(
        studio >= all,
        "the studio's walk covers its {all} resources, not {studio}"
    );
    let (asset, one) = walk("a-0");
    assert!(
        asset >= one && asset < studio / 10,
        "an asset's walk is small: {asset}"
    );
}
