//! Snapshot parsing + validation + evaluation never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permissions_widget::eval::{impact, Op, Team};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(team) = Team::from_json(text) else { return };
    let view = team.view();
    let principals = team.principals.len().min(8) as u32;
    let resources = team.resources.len().min(32) as u32;
    for p in 0..principals {
        for r in 0..resources {
            let caps = view.caps_of(p, r);
            let _ = view.flag_states(p, r);
            let _ = view.data_access(p, r);
            for c in 0..team.kind_of(r).caps.len() as u8 {
                assert_eq!(view.can_idx(p, r, c), caps & (1 << c) != 0, "single check and full evaluation disagree");
                let _ = view.explain(p, r, c);
            }
        }
    }
    // A change set built from the snapshot itself: revoke each grant, grant it back elsewhere.
    if let Some(actor) = team.principals.first().map(|p| p.id.clone()) {
        let mut ops = Vec::new();
        for g in team.snapshot.grants.iter().take(4) {
            for f in &g.permissions {
                ops.push(Op::revoke(&g.principal, &g.resource, f));
                if let Some(r) = team.snapshot.resources.last() {
                    ops.push(Op::grant(&g.principal, &r.id, f));
                }
            }
        }
        if let Ok((prepared, _)) = impact(&team, &actor, &ops) {
            let _ = team.apply_prepared(&prepared);
        }
    }
});
