//! Per-call overhead measured A/B: bare reqwest calls, calls of the generated client and tool
//! calls alternate in rounds
//! against the same local server, and the ratio is taken per round, so that the drift of a
//! shared machine (which moves separate criterion runs by ±15 %) cancels out. Writes
//! `target/overhead-ab.json` for `cargo xtask bench-report`.

use std::time::{Duration, Instant};

use clerk_tools::{ClerkTools, GetUserInput, RetryPolicy, SecretKey};

const KEY: &str = "sk_test_bench_key";
const ROUNDS: usize = 40;
const CALLS_PER_ROUND: u32 = 200;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let base_url = runtime.block_on(clerk_benches::fixed_response_server(clerk_benches::full_user()));
    let tools =
        ClerkTools::builder().base_url(base_url.clone()).retry_policy(RetryPolicy::none()).build().expect("client");
    let bare = reqwest::Client::new();
    let url = format!("{base_url}/users/user_2x1Ada0LoveLace9Q");
    let key = SecretKey::new(KEY);

    let bare_bytes = || async {
        let response = bare.get(&url).bearer_auth(KEY).send().await.expect("answer");
        response.bytes().await.expect("body");
    };
    let bare_value = || async {
        let response = bare.get(&url).bearer_auth(KEY).send().await.expect("answer");
        let body = response.bytes().await.expect("body");
        serde_json::from_slice::<serde_json::Value>(&body).expect("JSON");
    };
    let api = clerk_api::Client::from_secret_key_with_base_url(KEY, &base_url).expect("generated client");
    let generated = || async {
        api.get_user().user_id("user_2x1Ada0LoveLace9Q").send().await.expect("generated call");
    };
    let tool = || async {
        tools
            .get_user(GetUserInput { secret_key: key.clone(), user_id: "user_2x1Ada0LoveLace9Q".into() })
            .await
            .expect("tool call");
    };

    let (mut bytes_times, mut value_times, mut generated_times, mut tool_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut ratio_bytes, mut ratio_value, mut ratio_generated) = (Vec::new(), Vec::new(), Vec::new());
    runtime.block_on(async {
        for _ in 0..CALLS_PER_ROUND * 5 {
            bare_bytes().await;
            bare_value().await;
            generated().await;
            tool().await;
        }
        for round in 0..ROUNDS {
            let mut per_call = [Duration::ZERO; 4];
            // Rotate the order each round so that no variant always runs first.
            for step in 0..4 {
                let which = (round + step) % 4;
                let started = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    match which {
                        0 => bare_bytes().await,
                        1 => bare_value().await,
                        2 => generated().await,
                        _ => tool().await,
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
    let target = clerk_benches::workspace_root().join("target/overhead-ab.json");
    if let Err(err) = std::fs::write(&target, report.to_string()) {
        eprintln!("cannot write {}: {err}", target.display());
    }
}
