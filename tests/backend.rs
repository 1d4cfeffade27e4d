//! The backend layer natively: a team held in memory saves with a version
//! compare-and-set, refuses what the evaluator refuses, and never half-saves.
#![cfg(not(target_arch = "wasm32"))]

use permissions_widget::backend::memory::MemoryBackend;
use permissions_widget::backend::{ready_now, Backend, Loaded, SaveOutcome, SaveRequest};
use permissions_widget::demo::demo_team;
use permissions_widget::eval::Op;
use permissions_widget::model::Code;

fn load(backend: &MemoryBackend) -> Loaded {
    match ready_now(backend.load()) {
        Ok(Ok(loaded)) => loaded,
        _ => panic!("the memory backend answers at once"),
    }
}

fn save(backend: &MemoryBackend, base: &str, actor: &str, changes: Vec<Op>) -> SaveOutcome {
    let request = SaveRequest {
        base_version: base.into(),
        actor: actor.into(),
        changes,
    };
    ready_now(backend.save(request)).unwrap_or_else(|_| panic!("answers at once"))
}

#[test]
fn a_save_on_the_current_version_applies_and_bumps_it() {
    let backend = MemoryBackend::new("Demo", demo_team().expect("demo"));
    assert_eq!(load(&backend).current.version, "1");
    let outcome = save(
        &backend,
        "1",
        "u-admin",
        vec![Op::grant("u-ken", "sp-sales", "edit-space")],
    );
    let SaveOutcome::Saved(next) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(next.version, "2");
    assert_eq!(next.team.snapshot.version.as_deref(), Some("2"));
    let now = load(&backend).current;
    assert_eq!(now.version, "2");
    assert!(
        now.team
            .flag("u-ken", "sp-sales", "edit-space")
            .expect("ids")
            .held
    );
}

#[test]
fn a_save_on_a_stale_version_is_a_conflict_with_the_current_team() {
    let backend = MemoryBackend::new("Demo", demo_team().expect("demo"));
    save(
        &backend,
        "1",
        "u-admin",
        vec![Op::grant("u-ken", "sp-sales", "edit-space")],
    );
    let outcome = save(
        &backend,
        "1",
        "u-admin",
        vec![Op::grant("u-ken", "sp-sales", "delete-space")],
    );
    let SaveOutcome::Conflict { current, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(current.version, "2");
    assert!(
        !load(&backend)
            .current
            .team
            .flag("u-ken", "sp-sales", "delete-space")
            .expect("ids")
            .held
    );
}

#[test]
fn a_refused_change_set_saves_nothing() {
    let backend = MemoryBackend::new("Demo", demo_team().expect("demo"));
    let outcome = save(
        &backend,
        "1",
        "u-sam",
        vec![
            Op::grant("u-ken", "sp-sales", "edit-space"),
            Op::grant("u-nobody", "sp-sales", "edit-space"),
        ],
    );
    let SaveOutcome::Rejected(problems) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(problems.codes().contains(&Code::NotAllowed));
    assert!(problems.codes().contains(&Code::UnknownPrincipal));
    assert_eq!(load(&backend).current.version, "1");
}

#[test]
fn reset_restores_the_team_it_started_with() {
    let backend = MemoryBackend::new("Demo", demo_team().expect("demo"));
    save(
        &backend,
        "1",
        "u-admin",
        vec![Op::grant("u-ken", "sp-sales", "edit-space")],
    );
    let restored = ready_now(backend.reset_demo().expect("memory can reset"));
    let Ok(Ok(restored)) = restored else {
        panic!("answers at once");
    };
    assert_eq!(restored.current.version, "1");
    assert_eq!(backend.describe(), "Demo");
    assert!(!backend.persists());
}
