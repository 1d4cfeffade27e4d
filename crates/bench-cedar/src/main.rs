//! `bench-cedar [--scale S|M|L] [--requests N] [--reps N] [--seed N]
//! [--encoding grants-as-data|per-grant]`: our
//! capability check against Cedar's `is_authorized` on the same requests.
//! Prints markdown rows `| cedar | <scenario> | <value> | <unit> | <note> |`;
//! exits non-zero when the engines disagree on any request.

use bench_cedar::{median, Encoding, Setup};
use permissions_core::eval::words::thousands;
use permissions_core::model::synthetic::Scale;
use std::process::ExitCode;

struct Args {
    scale: Scale,
    requests: usize,
    reps: usize,
    seed: u64,
    encoding: Encoding,
}

fn args() -> Result<Args, String> {
    let mut out = Args {
        scale: Scale::L,
        requests: 10_000,
        reps: 5,
        seed: 7,
        encoding: Encoding::GrantsAsData,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--scale" => out.scale = Scale::named(&value).ok_or("--scale is S, M or L")?,
            "--requests" => out.requests = number()?.max(1),
            "--reps" => out.reps = number()?.max(1),
            "--seed" => out.seed = number()? as u64,
            "--encoding" => {
                out.encoding =
                    Encoding::named(&value).ok_or("--encoding is grants-as-data or per-grant")?
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(out)
}

/// Whole numbers from 100 up, one decimal below.
fn figure(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn row(scenario: &str, value: &str, unit: &str, note: &str) {
    println!("| cedar | {scenario} | {value} | {unit} | {note} |");
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench-cedar: {e}");
            return ExitCode::from(2);
        }
    };
    let setup = match Setup::new(args.scale, args.encoding, args.requests, args.seed) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench-cedar: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mismatches = setup.mismatches();
    if !mismatches.is_empty() {
        eprintln!(
            "bench-cedar: {} of {} requests decided differently; the first:",
            mismatches.len(),
            setup.requests.len()
        );
        eprintln!("| principal | resource | action | ours | Cedar |");
        for m in mismatches.iter().take(10) {
            eprintln!(
                "| {} | {} | {} | {} | {} |",
                m.principal, m.resource, m.action, m.ours, m.cedar
            );
        }
        return ExitCode::FAILURE;
    }
    let s = args.scale.name;
    let n = thousands(setup.requests.len());
    let allowed = format!("{:.0}% allowed", setup.allowed_share() * 100.0);
    let reps = args.reps;
    let ours = median(&setup.time_ours(reps * 4));
    let cedar = median(&setup.time_cedar(reps));
    let cedar_with_request = median(&setup.time_cedar_with_request(reps));
    let tr = &setup.translation;
    row(
        &format!("{s}: our team build (validate + index)"),
        &figure(setup.team_build.as_secs_f64() * 1e3),
        "ms",
        &format!(
            "{} principals, {} resources",
            thousands(setup.team.principals.len()),
            thousands(setup.team.resources.len())
        ),
    );
    row(
        &format!("{s}: Cedar entities + policies build"),
        &figure(setup.cedar_build.as_secs_f64() * 1e3),
        "ms",
        &format!(
            "{} entities, {} policies",
            thousands(tr.entity_count),
            thousands(tr.policy_count)
        ),
    );
    row(
        &format!("{s}: capability check, ours ({n} requests)"),
        &figure(ours),
        "ns",
        &format!("{allowed}; median of {} runs", reps * 4),
    );
    row(
        &format!("{s}: capability check, Cedar"),
        &figure(cedar),
        "ns",
        &format!(
            "same decisions; {}; median of {reps} runs",
            args.encoding.name()
        ),
    );
    row(
        &format!("{s}: capability check, Cedar incl. request construction"),
        &figure(cedar_with_request),
        "ns",
        &format!("median of {reps} runs"),
    );
    row(
        &format!("{s}: ours vs Cedar"),
        &figure(cedar / ours),
        "× faster",
        "",
    );
    ExitCode::SUCCESS
}
