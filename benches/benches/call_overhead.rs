//! A tool call against a local server beside a bare reqwest call of the same request to the
//! same server, in one run: the difference is what the tools layer costs.

use clerk_tools::{ClerkTools, GetUserInput, RetryPolicy, SecretKey};
use criterion::{Criterion, criterion_group, criterion_main};

const KEY: &str = "sk_test_bench_key";

fn call_overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let base_url = runtime.block_on(clerk_benches::fixed_response_server(clerk_benches::full_user()));
    let tools =
        ClerkTools::builder().base_url(base_url.clone()).retry_policy(RetryPolicy::none()).build().expect("client");
    let bare = reqwest::Client::new();
    let url = format!("{base_url}/users/user_2x1Ada0LoveLace9Q");
    let key = SecretKey::new(KEY);

    let mut group = c.benchmark_group("call_overhead");
    // The strictest baseline: the request and the body's bytes, nothing decoded.
    group.bench_function("bare_reqwest_bytes", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = bare.get(&url).bearer_auth(KEY).send().await.expect("answer");
            response.bytes().await.expect("body")
        })
    });
    // What a hand-written client typically does: the same, decoded into a JSON value.
    group.bench_function("bare_reqwest_get_user", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = bare.get(&url).bearer_auth(KEY).send().await.expect("answer");
            let body = response.bytes().await.expect("body");
            serde_json::from_slice::<serde_json::Value>(&body).expect("JSON")
        })
    });
    group.bench_function("tool_get_user", |b| {
        b.to_async(&runtime).iter(|| async {
            tools
                .get_user(GetUserInput { secret_key: key.clone(), user_id: "user_2x1Ada0LoveLace9Q".into() })
                .await
                .expect("tool call")
        })
    });
    group.finish();
}

criterion_group!(benches, call_overhead);
criterion_main!(benches);
