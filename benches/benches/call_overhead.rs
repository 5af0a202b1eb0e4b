//! A tool call against a local server beside a bare reqwest call of the same request to the
//! same server, in one run: the difference is what the tools layer costs.

use clerk_benches::CallVariants;
use criterion::{Criterion, criterion_group, criterion_main};

fn call_overhead(c: &mut Criterion) {
    let calls = CallVariants::start();
    let mut group = c.benchmark_group("call_overhead");
    // The strictest baseline: the request and the body's bytes, nothing decoded.
    group.bench_function("bare_reqwest_bytes", |b| b.to_async(&calls.runtime).iter(|| calls.bare_bytes()));
    // What a hand-written client typically does: the same, decoded into a JSON value.
    group.bench_function("bare_reqwest_get_user", |b| b.to_async(&calls.runtime).iter(|| calls.bare_value()));
    group.bench_function("tool_get_user", |b| b.to_async(&calls.runtime).iter(|| calls.tool()));
    group.finish();
}

criterion_group!(benches, call_overhead);
criterion_main!(benches);
