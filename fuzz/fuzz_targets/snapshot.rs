//! Snapshot reading + validation + evaluation, and change sets read from the
//! same bytes, never panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permissions_core::eval::{impact, read_change_set, Op, PrincipalIdx, ResourceIdx, SetDataOp, Team};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Bytes that are no valid snapshot are still read as a change set.
    let Ok(team) = Team::from_json(text) else {
        if let (Ok(team), Ok(value)) = (
            Team::from_json(include_str!("../../src/demo/team.json")),
            serde_json::from_str::<serde_json::Value>(text),
        ) {
            if let Ok(ops) = read_change_set(&team, "u-admin", &value) {
                let _ = impact(&team, "u-admin", &ops);
            }
        }
        return;
    };
    let view = team.view();
    for p in PrincipalIdx::first(team.principals.len().min(8)) {
        for r in ResourceIdx::first(team.resources.len().min(32)) {
            let caps = view.caps_of(p, r);
            let _ = view.flag_states(p, r);
            let _ = view.data_access(p, r);
            for c in 0..team.kind_of(r).caps.len() as u8 {
                assert_eq!(view.can_idx(p, r, c), caps.has(u32::from(c)), "single check and full evaluation disagree");
                let _ = view.explain(p, r, c);
            }
        }
    }
    // A mixed change set built from the snapshot itself: revoke each grant,
    // grant it back elsewhere, and switch each model's data permissions.
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
        for dp in team.snapshot.data_permissions.iter().take(2) {
            ops.push(Op::SetDataPermissions(SetDataOp {
                data_model: dp.data_model.clone(),
                enabled: !dp.enabled,
                entries: dp.entries.iter().rev().cloned().collect(),
            }));
        }
        if let Ok((prepared, _)) = impact(&team, &actor, &ops) {
            let _ = team.apply_prepared(&prepared);
        }
    }
});
