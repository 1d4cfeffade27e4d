//! The evaluator benchmark inside headless Chromium: the scenarios of
//! `cargo bench --bench evaluator` (`benches/scenarios.rs`), timed with
//! `performance.now`, printed as table rows `| wasm | … |` (the median of
//! the samples). Run with `scripts/bench-wasm.sh`; it is behind the
//! `wasm-bench` feature so the ordinary test run stays fast. The workload is
//! `BENCH_SCALE` at compile time (S, M or L; default L).
#![cfg(all(target_arch = "wasm32", feature = "wasm-bench"))]
#![allow(clippy::unwrap_used)]

// Criterion's ids are not used here.
#[allow(dead_code)]
#[path = "../benches/scenarios.rs"]
mod scenarios;

use permissions_widget::eval::{Op, Session, View};
use permissions_widget::model::synthetic::Scale;
use permissions_widget::ui::dialog::preview;
use permissions_widget::ui::dialog::state::{State, Tab};
use scenarios::{Routine, Scenario, Workload, ACTOR};
use std::rc::Rc;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

/// Time per sample (runs are batched so that a sample lasts about this
/// long: `performance.now` is coarse) and per scenario.
const SAMPLE_MS: f64 = 20.0;
const BUDGET_MS: f64 = 3_000.0;

/// Lets the page breathe between scenarios: the test runner gives up on a
/// renderer that does not answer for 30 s.
async fn yield_to_the_page() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
}

#[wasm_bindgen_test]
async fn evaluator_benchmark_in_the_browser() {
    let perf = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance.now");
    let now = || perf.now();
    let name = option_env!("BENCH_SCALE").unwrap_or("L");
    let scale = Scale::named(name).unwrap_or_else(|| panic!("BENCH_SCALE={name}: S, M or L"));

    let workload = Workload::new(scale);
    let mut rows = vec![format!("| wasm | workload | {} | | |", workload.describe())];
    let previews = [1, 50].map(|n| preview_state(&workload, n));
    let mut all = scenarios::scenarios(&workload);
    all.extend(previews.iter().map(preview_summary));
    for mut s in all {
        let note = s.note();
        let ms = median_ms(&mut s, &now);
        rows.push(scenarios::row("wasm", &s.name, ms * 1e6, &note));
        yield_to_the_page().await;
    }
    console_log!("\n{}\n", rows.join("\n"));
}

/// The Big space dialog's state after `toggles` group cells were ticked, as
/// in the browser benchmark: groups g-0, g-1, … (in turn) each toggle one of
/// the space's permissions (in turn).
fn preview_state(w: &Workload, toggles: usize) -> (usize, State) {
    let team = &w.team;
    let big = team.find_resource("sp-big").expect("a synthetic id");
    let actor = team.find_principal(ACTOR).expect("a synthetic id");
    let kind = team.kind_of(big);
    let mut state = State::new(Rc::new(team.clone()), big, actor, Tab::Permissions);
    let mut session = Session::new(ACTOR);
    for i in 0..toggles {
        let group = format!("g-{}", i % w.scale.groups);
        let flag = &kind.perms[i % kind.perms.len()].id;
        let p = team.find_principal(&group).expect("a synthetic id");
        let after = View::with_overlay(team, &state.overlay);
        let held = after
            .grant(big, p)
            .all()
            .intersects(kind.perm_bit(flag).unwrap());
        let op = if held {
            Op::revoke(&group, "sp-big", flag)
        } else {
            Op::grant(&group, "sp-big", flag)
        };
        let evaluation = session.edit(team, [op]).unwrap().unwrap();
        state.overlay = Rc::new(evaluation.prepared.overlay);
        state.impact = Rc::new(evaluation.impact);
    }
    (toggles, state)
}

/// The preview's summary sentences of a dialog state (UI, not the core).
fn preview_summary((toggles, state): &(usize, State)) -> Scenario<'_> {
    Scenario {
        id: "preview-summary",
        name: format!(
            "preview summary of the Big space dialog after {toggles} group toggle{} (UI)",
            if *toggles == 1 { "" } else { "s" }
        ),
        counts: "sentences",
        routine: Routine::Plain(Box::new(move || preview::summary(state).len())),
    }
}

/// Runs `batch` times (the sessions made before the clock starts); returns ms.
fn sample(s: &mut Scenario, batch: usize, now: &dyn Fn() -> f64) -> f64 {
    match &mut s.routine {
        Routine::Plain(f) => {
            let start = now();
            for _ in 0..batch {
                std::hint::black_box(f());
            }
            now() - start
        }
        Routine::Edit { setup, run } => {
            let sessions: Vec<_> = (0..batch).map(|_| setup()).collect();
            let start = now();
            for session in sessions {
                std::hint::black_box(run(session));
            }
            now() - start
        }
    }
}

/// The median time of one run, over samples of about `SAMPLE_MS` each, for
/// about `BUDGET_MS` (at least 3 samples).
fn median_ms(s: &mut Scenario, now: &dyn Fn() -> f64) -> f64 {
    // Find a batch size whose sample lasts about SAMPLE_MS.
    let mut batch = 1;
    loop {
        let t = sample(s, batch, now);
        if t >= SAMPLE_MS || batch >= 1 << 24 {
            break;
        }
        batch *= if t < SAMPLE_MS / 10.0 { 10 } else { 2 };
    }
    let started = now();
    let mut per_run = Vec::new();
    while per_run.len() < 3 || (now() - started < BUDGET_MS && per_run.len() < 100) {
        per_run.push(sample(s, batch, now) / batch as f64);
    }
    per_run.sort_by(f64::total_cmp);
    per_run[per_run.len() / 2]
}
