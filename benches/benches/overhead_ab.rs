//! Per-call overhead measured A/B: bare reqwest calls, calls of the generated client and tool
//! calls alternate in rounds
//! against the same local server, and the ratio is taken per round, so that the drift of a
//! shared machine (which moves separate criterion runs by ±15 %) cancels out. Writes
//! `overhead-ab.json` into the target directory's `tmp/` (`CARGO_TARGET_TMPDIR`) for
//! `cargo xtask bench-report`.

use std::time::{Duration, Instant};

use clerk_benches::CallVariants;

const ROUNDS: usize = 40;
const CALLS_PER_ROUND: u32 = 200;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn main() {
    let calls = CallVariants::start();

    let (mut bytes_times, mut value_times, mut generated_times, mut tool_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut ratio_bytes, mut ratio_value, mut ratio_generated) = (Vec::new(), Vec::new(), Vec::new());
    calls.runtime.block_on(async {
        for _ in 0..CALLS_PER_ROUND * 5 {
            calls.bare_bytes().await;
            calls.bare_value().await;
            calls.generated().await;
            calls.tool().await;
        }
        for round in 0..ROUNDS {
            let mut per_call = [Duration::ZERO; 4];
            // Rotate the order each round so that no variant always runs first.
            for step in 0..4 {
                let which = (round + step) % 4;
                let started = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    match which {
                        0 => {
                            calls.bare_bytes().await;
                        }
                        1 => {
                            calls.bare_value().await;
                        }
                        2 => {
                            calls.generated().await;
                        }
                        _ => {
                            calls.tool().await;
                        }
                    }
                }
                per_call[which] = started.elapsed() / CALLS_PER_ROUND;
            }
            let [bytes, value, generated, tool] = per_call.map(|d| d.as_secs_f64() * 1e6);
            bytes_times.push(bytes);
            value_times.push(value);
            generated_times.push(generated);
            tool_times.push(tool);
            ratio_bytes.push(tool / bytes);
            ratio_value.push(tool / value);
            ratio_generated.push(tool / generated);
        }
    });
    let report = serde_json::json!({
        "rounds": ROUNDS,
        "calls_per_round": CALLS_PER_ROUND,
        "bare_bytes_us": median(&mut bytes_times),
        "bare_value_us": median(&mut value_times),
        "generated_us": median(&mut generated_times),
        "tool_us": median(&mut tool_times),
        "ratio_to_bare_bytes": median(&mut ratio_bytes),
        "ratio_to_bare_value": median(&mut ratio_value),
        "ratio_to_generated_client": median(&mut ratio_generated),
    });
    println!("overhead A/B: {report}");
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("overhead-ab.json");
    if let Err(err) = std::fs::write(&target, report.to_string()) {
        eprintln!("cannot write {}: {err}", target.display());
    }
}
