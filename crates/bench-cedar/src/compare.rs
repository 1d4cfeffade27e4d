//! Both engines on the same requests: decisions, mismatches, timings.

use crate::rules::Rules;
use crate::sample::{requests, Req};
use crate::translate::{translate, Encoding, Translation};
use cedar_policy::{Authorizer, Context, Decision, Request};
use permissions_core::eval::Team;
use permissions_core::model::synthetic::{self, Scale};
use permissions_core::model::Catalog;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A team, its Cedar translation and a request sample, ready to compare.
pub struct Setup {
    pub team: Team,
    pub translation: Translation,
    pub requests: Vec<Req>,
    pub cedar_requests: Vec<Request>,
    pub team_build: Duration,
    pub cedar_build: Duration,
}

/// One request on which the engines disagree.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub principal: String,
    pub resource: String,
    pub action: String,
    pub ours: bool,
    pub cedar: bool,
}

impl Setup {
    /// Generates the team of `scale`, translates it and draws `n` requests.
    pub fn new(scale: Scale, encoding: Encoding, n: usize, seed: u64) -> Result<Setup, String> {
        let started = Instant::now();
        let team = Team::new(Arc::new(Catalog::builtin()), synthetic::team(scale))
            .map_err(|e| format!("{e:?}"))?;
        let team_build = started.elapsed();
        let rules = Rules::new(&team.catalog);
        let started = Instant::now();
        let translation = translate(&team, &rules, encoding)?;
        let cedar_build = started.elapsed();
        let requests = requests(&team, &rules, n, seed);
        let cedar_requests = requests
            .iter()
            .map(|q| cedar_request(&team, &translation, q))
            .collect::<Result<_, _>>()?;
        Ok(Setup {
            team,
            translation,
            requests,
            cedar_requests,
            team_build,
            cedar_build,
        })
    }

    pub fn ours(&self) -> Vec<bool> {
        let view = self.team.view();
        self.requests
            .iter()
            .map(|q| view.can_idx(q.principal, q.resource, q.cap))
            .collect()
    }

    pub fn cedar(&self) -> Vec<bool> {
        let authorizer = Authorizer::new();
        let (policies, entities) = (&self.translation.policies, &self.translation.entities);
        self.cedar_requests
            .iter()
            .map(|q| authorizer.is_authorized(q, policies, entities).decision() == Decision::Allow)
            .collect()
    }

    /// The requests on which the engines disagree, in sample order.
    pub fn mismatches(&self) -> Vec<Mismatch> {
        let (ours, cedar) = (self.ours(), self.cedar());
        self.requests
            .iter()
            .zip(ours.iter().zip(&cedar))
            .filter(|(_, (o, c))| o != c)
            .map(|(q, (&ours, &cedar))| Mismatch {
                principal: self.translation.principal_uids[q.principal.index()].to_string(),
                resource: self.translation.resource_uids[q.resource.index()].to_string(),
                action: self
                    .translation
                    .action_uid(&self.team, q.resource, q.cap)
                    .to_string(),
                ours,
                cedar,
            })
            .collect()
    }

    /// Share of allowed requests (by our engine), 0 to 1.
    pub fn allowed_share(&self) -> f64 {
        let ours = self.ours();
        ours.iter().filter(|&&a| a).count() as f64 / ours.len().max(1) as f64
    }

    /// Nanoseconds per request of our `can_idx`, one figure per repetition.
    pub fn time_ours(&self, reps: usize) -> Vec<f64> {
        let view = self.team.view();
        self.timed(reps, || {
            for q in &self.requests {
                black_box(view.can_idx(
                    black_box(q.principal),
                    black_box(q.resource),
                    black_box(q.cap),
                ));
            }
        })
    }

    /// Nanoseconds per request of Cedar's `is_authorized` on prebuilt requests.
    pub fn time_cedar(&self, reps: usize) -> Vec<f64> {
        let authorizer = Authorizer::new();
        let (policies, entities) = (&self.translation.policies, &self.translation.entities);
        self.timed(reps, || {
            for q in &self.cedar_requests {
                black_box(authorizer.is_authorized(black_box(q), policies, entities));
            }
        })
    }

    /// As [`Setup::time_cedar`], building each `Request` from prebuilt uids.
    pub fn time_cedar_with_request(&self, reps: usize) -> Vec<f64> {
        let authorizer = Authorizer::new();
        let (policies, entities) = (&self.translation.policies, &self.translation.entities);
        self.timed(reps, || {
            for q in &self.requests {
                if let Ok(request) = cedar_request(&self.team, &self.translation, black_box(q)) {
                    black_box(authorizer.is_authorized(&request, policies, entities));
                }
            }
        })
    }

    fn timed(&self, reps: usize, mut run: impl FnMut()) -> Vec<f64> {
        (0..reps.max(1))
            .map(|_| {
                let started = Instant::now();
                run();
                started.elapsed().as_nanos() as f64 / self.requests.len().max(1) as f64
            })
            .collect()
    }
}

/// The Cedar request of `q`.
pub fn cedar_request(team: &Team, tr: &Translation, q: &Req) -> Result<Request, String> {
    Request::new(
        tr.principal_uids[q.principal.index()].clone(),
        tr.action_uid(team, q.resource, q.cap).clone(),
        tr.resource_uids[q.resource.index()].clone(),
        Context::empty(),
        None,
    )
    .map_err(|e| e.to_string())
}

/// The median of `xs`.
pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
