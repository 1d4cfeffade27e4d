//! The embedded demo data: the team the app runs on without any service
//! (`team.json`, described in `README.md` beside it), and a generated large
//! team (workload L, 10,000 users) to try the UI at scale.

use crate::eval::Team;
use crate::model::synthetic::{team, Scale};
use std::sync::Arc;

/// The demo team that ships with the app.
pub const DEMO_JSON: &str = include_str!("team.json");

/// The demo team, parsed and validated.
pub fn demo_team() -> Result<Team, String> {
    Team::from_json(DEMO_JSON).map_err(|p| format!("the demo data is invalid: {p}"))
}

/// The generated large team: a benchmarks' workload, `Scale::L` in the app
/// (10,000 users, 500 groups, 20,000 resources, 50,000 grants).
pub fn large_team(scale: Scale) -> Result<Team, String> {
    let snapshot = team(scale);
    Team::new(Arc::new(crate::model::Catalog::builtin()), snapshot)
        .map_err(|p| format!("the generated team is invalid: {p}"))
}
