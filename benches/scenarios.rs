// Shared by the native benchmark (benches/evaluator.rs, criterion) and the
// in-browser one (tests/bench_wasm.rs): the same workload, the same
// scenarios, the same table rows (`| group | scenario | value | unit | note |`).
use permissions_widget::eval::words::thousands;
use permissions_widget::eval::{impact, Op, Session, Team};
use permissions_widget::model::synthetic::{team, Scale};
use permissions_widget::model::{Catalog, Compiled};
use std::hint::black_box;
use std::sync::Arc;

/// The acting user of every edit: an admin of the synthetic teams.
pub const ACTOR: &str = "u-0";

/// A synthetic team of one scale, as JSON and indexed.
pub struct Workload {
    pub scale: Scale,
    pub json: String,
    pub catalog: Arc<Compiled>,
    pub team: Team,
}

impl Workload {
    pub fn new(scale: Scale) -> Workload {
        let snapshot = team(scale);
        let json = serde_json::to_string(&snapshot).expect("a snapshot serialises");
        let catalog = Arc::new(Catalog::builtin());
        let team = Team::new(catalog.clone(), snapshot).expect("the synthetic team is valid");
        Workload {
            scale,
            json,
            catalog,
            team,
        }
    }

    /// A short description for the notes: "L: 11,030 principals, 20,000 resources".
    pub fn describe(&self) -> String {
        format!(
            "{}: {} principals, {} resources, {} grant entries",
            self.scale.name,
            thousands(self.team.principals.len()),
            thousands(self.team.resources.len()),
            thousands(self.team.snapshot.grants.len())
        )
    }
}

/// What one scenario times. Every run returns a count, shown in the note
/// (and kept from being optimised away).
pub enum Routine<'a> {
    Plain(Box<dyn FnMut() -> usize + 'a>),
    /// `setup` (not timed) makes the session that `run` edits once.
    Edit {
        setup: Box<dyn Fn() -> Session + 'a>,
        run: Box<dyn Fn(Session) -> usize + 'a>,
    },
}

pub struct Scenario<'a> {
    /// Stable and file-name safe (criterion's directory).
    pub id: &'static str,
    /// The table's label.
    pub name: String,
    /// What the count each run returns is, e.g. "principals".
    pub counts: &'static str,
    pub routine: Routine<'a>,
}

impl Scenario<'_> {
    /// Runs it once (setup included) and returns the note: "<count> <counts>".
    pub fn note(&mut self) -> String {
        let n = match &mut self.routine {
            Routine::Plain(f) => f(),
            Routine::Edit { setup, run } => run(setup()),
        };
        format!("{} {}", thousands(n), self.counts)
    }
}

/// The 50 distinct edits of a pending session, on varied packages and
/// spaces, for varied groups and users (all exist at every scale); the
/// benchmarks time the last one.
pub fn edits(scale: Scale) -> Vec<Op> {
    let packages = scale.big_packages();
    let users = scale.users - 5; // u-0…u-4 are admins
    let mut ops: Vec<Op> = (0..49)
        .map(|i| {
            let j = i / 3; // 0…16: distinct targets within each kind
            match i % 3 {
                0 => Op::grant(
                    &format!("g-{}", (j * 7) % scale.groups),
                    &format!("pk-{}", j % packages),
                    "edit",
                ),
                1 => Op::grant(
                    &format!("u-{}", 5 + (j * 37) % users),
                    &format!("sp-{}", j % 3),
                    "edit-all-packages",
                ),
                _ => Op::grant(
                    &format!("u-{}", 5 + (j * 53 + 11) % users),
                    &format!("pk-{}", (j * 3 + 1) % packages),
                    "use",
                ),
            }
        })
        .collect();
    // The 50th (and, alone, the 1st): a group gets edit on a package of sp-big.
    ops.push(Op::grant("g-0", "pk-6", "edit"));
    ops
}

/// Every scenario on `w`.
pub fn scenarios(w: &Workload) -> Vec<Scenario<'_>> {
    let t = &w.team;
    let find_p = |id: &str| t.find_principal(id).expect("a synthetic id");
    let find_r = |id: &str| t.find_resource(id).expect("a synthetic id");
    let user = find_p("u-17");
    let asset = find_r("a-77");
    let edit = t.find_capability(asset, "edit").expect("assets have edit");
    let package = find_r("pk-3");
    let edit_package = t
        .find_capability(package, "edit")
        .expect("packages have edit");
    let big = find_r("sp-big");

    let group_toggle = vec![Op::grant("g-0", "sp-big", "edit-all-packages")];
    let service_toggle = vec![
        Op::grant("g-2", "studio", "edit-all-spaces"),
        Op::grant("g-2", "studio", "manage-permissions"),
    ];
    let ops = edits(w.scale);
    let last = ops[49].clone();
    let mut before = Session::new(ACTOR);
    for op in &ops[..49] {
        before
            .edit(t, [op.clone()])
            .expect("the admin may make every edit")
            .expect("every edit is new");
    }
    assert_eq!(before.pending().len(), 49);
    let evaluated = |r: Result<Option<permissions_widget::eval::Evaluation>, _>| {
        r.expect("the admin may make every edit")
            .expect("the edit is new")
            .impact
            .principal_count()
    };

    vec![
        Scenario {
            id: "parse_validate_index",
            name: "parse + validate + index the team (from JSON)".into(),
            counts: "principals",
            routine: Routine::Plain(Box::new(|| {
                Team::from_json_with(w.catalog.clone(), black_box(&w.json))
                    .map(|t| t.principals.len())
                    .expect("valid")
            })),
        },
        Scenario {
            id: "capability_check",
            name: "one capability check (u-17, a-77, edit)".into(),
            counts: "(1: allowed, 0: not)",
            routine: Routine::Plain(Box::new(move || {
                t.view()
                    .can_idx(black_box(user), black_box(asset), black_box(edit))
                    as usize
            })),
        },
        Scenario {
            id: "explain",
            name: "one explanation (u-17, a-77, edit)".into(),
            counts: "sentences",
            routine: Routine::Plain(Box::new(move || {
                t.view()
                    .explain(black_box(user), asset, edit)
                    .sentences
                    .len()
            })),
        },
        Scenario {
            id: "who_can_package",
            name: "who-can edit a package (pk-3)".into(),
            counts: "principals",
            routine: Routine::Plain(Box::new(move || {
                t.view().who_can(black_box(package), edit_package).len()
            })),
        },
        Scenario {
            id: "impact_group_toggle",
            name: "impact: g-0 gets edit-all-packages on sp-big (held, as the dialog uses it)"
                .into(),
            counts: "changed principals",
            routine: Routine::Plain(Box::new({
                let group_toggle = group_toggle.clone();
                move || evaluated(Session::new(ACTOR).edit(t, black_box(group_toggle.clone())))
            })),
        },
        Scenario {
            id: "impact_group_toggle_api",
            name: "the same, expanded to per-principal entries (API, golden format)".into(),
            counts: "impact entries",
            routine: Routine::Plain(Box::new(move || {
                let (_, imp) = impact(t, ACTOR, black_box(&group_toggle)).expect("allowed");
                imp.per_principal().count()
            })),
        },
        Scenario {
            id: "impact_service_toggle",
            name: format!(
                "impact: g-2 gets edit-all-spaces and manage-permissions on the studio ({} resources below)",
                thousands(t.subtree(find_r("studio")).len() - 1)
            ),
            counts: "changed principals",
            routine: Routine::Plain(Box::new(move || {
                evaluated(Session::new(ACTOR).edit(t, black_box(service_toggle.clone())))
            })),
        },
        Scenario {
            id: "edit_1st",
            name: format!("session: 1st edit ({})", describe(&last)),
            counts: "changed principals",
            routine: Routine::Edit {
                setup: Box::new(|| Session::new(ACTOR)),
                run: Box::new({
                    let last = last.clone();
                    move |mut s| evaluated(s.edit(t, [last.clone()]))
                }),
            },
        },
        Scenario {
            id: "edit_50th",
            name: "session: 50th edit (the same, after 49 others)".into(),
            counts: "changed principals",
            routine: Routine::Edit {
                setup: Box::new(move || before.clone()),
                run: Box::new(move |mut s| evaluated(s.edit(t, [last.clone()]))),
            },
        },
        Scenario {
            id: "apply",
            name: "save: the next team after one group toggle (Team::apply)".into(),
            counts: "grants",
            routine: Routine::Plain(Box::new(move || {
                let toggle = [Op::grant("g-0", "sp-big", "edit-all-packages")];
                t.apply(ACTOR, black_box(&toggle))
                    .map(|next| next.snapshot.grants.len())
                    .expect("the admin may make the edit")
            })),
        },
        Scenario {
            id: "space_matrix",
            name: format!(
                "capability matrix of sp-big (every principal × {} resources × every capability)",
                thousands(t.subtree(big).len())
            ),
            counts: "capabilities held",
            routine: Routine::Plain(Box::new(move || {
                let view = t.view();
                let mut held = 0;
                for p in permissions_widget::eval::PrincipalIdx::first(t.principals.len()) {
                    view.walk(p, big, &mut |_, ctx| held += ctx.caps.len() as usize);
                }
                held
            })),
        },
    ]
}

fn describe(op: &Op) -> String {
    match op {
        Op::Grant(g) => format!("grant {} {} on {}", g.principal, g.permission, g.resource),
        Op::Revoke(g) => format!("revoke {} {} on {}", g.principal, g.permission, g.resource),
        Op::SetDataPermissions(d) => format!("data permissions of {}", d.data_model),
    }
}

/// One table row: `| group | scenario | value | unit | note |`, the time in
/// ns, µs, ms or s with three significant digits.
pub fn row(group: &str, name: &str, ns: f64, note: &str) -> String {
    let (v, unit) = if ns >= 1e9 {
        (ns / 1e9, "s")
    } else if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    let v = if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    format!("| {group} | {name} | {v} | {unit} | {note} |")
}
