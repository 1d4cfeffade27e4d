// Shared by the native benchmark (benches/evaluator.rs) and the in-browser one
// (tests/bench_wasm.rs): the same team, the same measurements.
use permissions_widget::eval::{impact, Op, PrincipalIdx, SetDataOp, Team};
use permissions_widget::model::snapshot::{DataEntry, Rule};
use permissions_widget::model::synthetic::{team, Scale};
use std::sync::Arc;

pub struct Measurement {
    pub name: &'static str,
    pub per_op_ns: f64,
    pub note: String,
}

/// Runs every scenario; `now_ns` is the clock (std::time natively, performance.now in wasm).
pub fn run(now_ns: &dyn Fn() -> f64) -> Vec<Measurement> {
    let mut out = Vec::new();
    let snap = team(Scale::L);
    let catalog = Arc::new(permissions_widget::model::Catalog::builtin());
    let time = |iters: u32, f: &mut dyn FnMut()| {
        let start = now_ns();
        for _ in 0..iters {
            f();
        }
        (now_ns() - start) / iters as f64
    };

    let mut built = None;
    let ns = time(5, &mut || {
        built = Some(Team::new(catalog.clone(), snap.clone()))
    });
    let Some(Ok(t)) = built else {
        panic!("the synthetic team is invalid")
    };
    out.push(Measurement {
        name: "validate + index the team",
        per_op_ns: ns,
        note: format!(
            "{} principals, {} resources, {} grant entries",
            t.principals.len(),
            t.resources.len(),
            t.snapshot.grants.len()
        ),
    });

    let view = t.view();
    let asset = t.find_resource("a-1234").expect("a large-demo id");
    let edit = t.find_capability(asset, "edit").expect("a large-demo id");
    let users: Vec<PrincipalIdx> = (0..1000)
        .map(|i| {
            t.find_principal(&format!("u-{}", 5 + i * 4))
                .expect("a large-demo id")
        })
        .collect();
    let mut hits = 0u32;
    let ns = time(200, &mut || {
        for &u in &users {
            hits += view.can_idx(u, asset, edit) as u32;
        }
    }) / users.len() as f64;
    out.push(Measurement {
        name: "one capability check (user, asset, edit)",
        per_op_ns: ns,
        note: format!("{hits} hits"),
    });

    let toggles: Vec<(&'static str, Vec<Op>)> = vec![
        (
            "impact: one user gets edit-all-packages on the 2,000-asset space",
            vec![Op::grant("u-100", "sp-big", "edit-all-packages")],
        ),
        (
            "impact: one group (~200 users) gets edit-all-packages on the space",
            vec![Op::grant("g-0", "sp-big", "edit-all-packages")],
        ),
        (
            "impact: one user gets edit on a 100-asset package",
            vec![Op::grant("u-101", "pk-3", "edit")],
        ),
        (
            "impact: data permissions of a model change (all 5,000 users)",
            vec![Op::SetDataPermissions(SetDataOp {
                data_model: "dm-0".into(),
                enabled: true,
                entries: vec![DataEntry {
                    principal: "g-1".into(),
                    access: None,
                    rules: Some(vec![Rule {
                        table: "VBAK".into(),
                        column: "BUKRS".into(),
                        values: vec!["1000".into()],
                    }]),
                }],
            })],
        ),
    ];
    for (name, ops) in toggles {
        let mut entries = 0;
        let ns = time(20, &mut || {
            if let Ok((_, imp)) = impact(&t, "u-0", &ops) {
                entries = imp.per_principal().count();
            }
        });
        out.push(Measurement {
            name,
            per_op_ns: ns,
            note: format!("{entries} impact entries"),
        });
    }

    let mut n = 0;
    let ns = time(10, &mut || n = view.who_can(asset, edit).len());
    out.push(Measurement {
        name: "who-can edit one asset (5,000 principals)",
        per_op_ns: ns,
        note: format!("{n} principals"),
    });
    let p = t.find_principal("u-100").expect("a large-demo id");
    let ns = time(200, &mut || {
        n = view.explain(p, asset, edit).sentences.len()
    });
    out.push(Measurement {
        name: "explain one capability",
        per_op_ns: ns,
        note: String::new(),
    });
    out
}

pub fn report(ms: &[Measurement]) -> String {
    let mut s = String::new();
    for m in ms {
        let (v, unit) = if m.per_op_ns >= 1e6 {
            (m.per_op_ns / 1e6, "ms")
        } else if m.per_op_ns >= 1e3 {
            (m.per_op_ns / 1e3, "µs")
        } else {
            (m.per_op_ns, "ns")
        };
        s.push_str(&format!(
            "{:<70} {:>9.2} {unit:<2}  {}\n",
            m.name, v, m.note
        ));
    }
    s
}
