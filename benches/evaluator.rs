//! `cargo bench --bench evaluator`: the evaluator's scenarios
//! (`benches/scenarios.rs`) under criterion, on the synthetic workload
//! `BENCH_SCALE` (S, M or L; default L), then one table row per scenario
//! (`| native | … |`, the median). The same scenarios run in headless
//! Chromium with `scripts/bench-wasm.sh`.
//!
//! Under `cargo test --all-targets` (no `--bench` argument) criterion runs
//! each scenario once, on workload S, to check that they build and run.
#![allow(clippy::unwrap_used)]

#[path = "scenarios.rs"]
mod scenarios;

use criterion::{BatchSize, Criterion};
use permissions_widget::model::synthetic::Scale;
use scenarios::{Routine, Workload};
use std::path::PathBuf;
use std::time::Duration;

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let scale = if benchmarking {
        let name = std::env::var("BENCH_SCALE").unwrap_or_else(|_| "L".into());
        Scale::named(&name).unwrap_or_else(|| panic!("BENCH_SCALE={name}: S, M or L"))
    } else {
        Scale::S
    };
    let output = criterion_dir();
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .output_directory(&output)
        .configure_from_args();

    let workload = Workload::new(scale);
    let group_name = format!("evaluator-{}", scale.name);
    let mut notes = Vec::new();
    let mut group = c.benchmark_group(&group_name);
    for mut s in scenarios::scenarios(&workload) {
        notes.push((s.id, s.name.clone(), s.note()));
        match &mut s.routine {
            Routine::Plain(f) => group.bench_function(s.id, |b| b.iter(&mut *f)),
            Routine::Edit { setup, run } => group.bench_function(s.id, |b| {
                b.iter_batched(&**setup, &**run, BatchSize::SmallInput)
            }),
        };
    }
    group.finish();
    c.final_summary();

    if benchmarking {
        println!();
        println!("| native | workload | {} | | |", workload.describe());
        for (id, name, note) in notes {
            let file = output.join(&group_name).join(id).join("new/estimates.json");
            match median_ns(&file) {
                Some(ns) => println!("{}", scenarios::row("native", &name, ns, &note)),
                None => println!(
                    "| native | {name} | | | not measured ({}) |",
                    file.display()
                ),
            }
        }
    }
}

/// Where criterion keeps its results: `$CARGO_TARGET_DIR/criterion`, else
/// `target/criterion` in the workspace.
fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

/// The median of a criterion estimates file, in ns.
fn median_ns(file: &std::path::Path) -> Option<f64> {
    let text = std::fs::read_to_string(file).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}
