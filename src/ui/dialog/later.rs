//! An edit's impact computed after the edit is painted, when it is slow
//! ([`super::state::QUICK_EVALUATION_MS`]): in slices of about
//! [`SLICE_MS`], each a task of its own, so that the page paints and answers
//! input in between; dropped when the pending set moves on first.

use super::state::{now_ms, Action, ClassClock, Evaluated, State};
use crate::eval::Evaluation;
use crate::ui::hooks::{after_paint, yield_to_page};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// How long one slice evaluates before it lets the page go on (ms): it
/// starts another class of principals only if one as long as the longest
/// so far would fit ([`ClassClock`]); a class is not cut, so the first
/// class longer than any before it runs over.
pub const SLICE_MS: f64 = 8.0;

/// An evaluation under way; dropping it drops the evaluation at its next
/// slice.
pub struct Later(Rc<Cell<bool>>);

impl Drop for Later {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// Evaluates `revision` of the pending set, the state `state` holds, after
/// the next frame, in slices of `slice_ms`, and hands the result to the
/// reducer.
pub fn evaluate_later(state: UseReducerHandle<State>, revision: u32, slice_ms: f64) -> Later {
    let dropped = Rc::new(Cell::new(false));
    let flag = dropped.clone();
    wasm_bindgen_futures::spawn_local(async move {
        after_paint().await;
        if flag.get() {
            return;
        }
        if let Some(evaluated) = in_slices(&state, slice_ms, &flag).await {
            state.dispatch(Action::Evaluated(revision, Box::new(evaluated)));
        }
    });
    Later(dropped)
}

/// The impact of `s`'s pending set; `None` when dropped half-way.
async fn in_slices(s: &State, slice_ms: f64, dropped: &Cell<bool>) -> Option<Evaluated> {
    let pending = s.session.pending().to_vec();
    if let Some(done) = s.session.evaluated(&s.team) {
        return Some(Evaluated {
            pending,
            evaluation: done.clone(),
            ms: 0.0,
            slices: 0,
        });
    }
    let mut update = s.session.impact_update(&s.team, &s.prepared);
    let (mut ms, mut slices) = (0.0, 0);
    let mut clock = ClassClock::start(0.0);
    loop {
        let started = clock.restart();
        let done = update.step(|| clock.another_by(started + slice_ms));
        ms += now_ms() - started;
        slices += 1;
        // The last class, the warnings (`finish`) and showing the impact
        // (the preview's summary, sections and rendering) each take a task
        // of their own: after a service-level edit on L, about 7, 10 and
        // 9 ms plus the rendering (a CPU profile).
        yield_to_page().await;
        if dropped.get() {
            return None;
        }
        if done {
            break;
        }
    }
    let started = now_ms();
    let impact = update.finish();
    ms += now_ms() - started;
    yield_to_page().await;
    if dropped.get() {
        return None;
    }
    Some(Evaluated {
        pending,
        evaluation: Evaluation {
            prepared: (*s.prepared).clone(),
            impact,
        },
        ms,
        slices,
    })
}
