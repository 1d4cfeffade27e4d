//! A team held in memory: the generated large demo (never stored) and tests.

use super::{apply_request, Backend, BoxFuture, Loaded, SaveOutcome, SaveRequest, Versioned};
use crate::eval::Team;
use std::cell::RefCell;

pub struct MemoryBackend {
    label: String,
    initial: Versioned,
    current: RefCell<Versioned>,
}

impl MemoryBackend {
    /// Holds `team`; `label` says what it is ("Generated large team").
    pub fn new(label: &str, team: Team) -> MemoryBackend {
        let initial = Versioned::new(team);
        MemoryBackend {
            label: label.into(),
            current: RefCell::new(initial.clone()),
            initial,
        }
    }

    /// Someone else's save, as if from another session (for tests).
    pub fn replace(&self, team: Team) {
        *self.current.borrow_mut() = Versioned::new(team);
    }

    fn loaded(&self) -> Loaded {
        Loaded {
            current: self.current.borrow().clone(),
            notice: None,
        }
    }
}

impl Backend for MemoryBackend {
    fn load(&self) -> BoxFuture<Result<Loaded, String>> {
        Box::pin(std::future::ready(Ok(self.loaded())))
    }

    fn save(&self, request: SaveRequest) -> BoxFuture<SaveOutcome> {
        let outcome = apply_request(&self.current.borrow(), &request);
        if let SaveOutcome::Saved(next) = &outcome {
            *self.current.borrow_mut() = next.clone();
        }
        Box::pin(std::future::ready(outcome))
    }

    fn reset_demo(&self) -> Option<BoxFuture<Result<Loaded, String>>> {
        *self.current.borrow_mut() = self.initial.clone();
        Some(Box::pin(std::future::ready(Ok(self.loaded()))))
    }

    fn has_demo_reset(&self) -> bool {
        true
    }

    fn persists(&self) -> bool {
        false
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
