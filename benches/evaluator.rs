//! `cargo bench --bench evaluator`: the evaluator on a 5,000-user,
//! 2,000-asset team (native). The same scenarios run in headless Chromium
//! with `scripts/bench-wasm.sh`. Under `cargo test --all-targets` (no
//! `--bench` argument) it only checks that the scenarios run.
#![allow(clippy::unwrap_used)]

#[path = "scenarios.rs"]
mod scenarios;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("evaluator benchmark: run it with `cargo bench --bench evaluator`");
        return;
    }
    let start = std::time::Instant::now();
    let now = move || start.elapsed().as_nanos() as f64;
    print!("{}", scenarios::report(&scenarios::run(&now)));
}
