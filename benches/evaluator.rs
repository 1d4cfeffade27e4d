//! `cargo bench --bench evaluator`: the evaluator on a 5,000-user,
//! 2,000-asset team (native). The same scenarios run in headless Chromium
//! with `scripts/bench-wasm.sh`.
#![allow(clippy::unwrap_used)]

#[path = "scenarios.rs"]
mod scenarios;

fn main() {
    let start = std::time::Instant::now();
    let now = move || start.elapsed().as_nanos() as f64;
    print!("{}", scenarios::report(&scenarios::run(&now)));
}
