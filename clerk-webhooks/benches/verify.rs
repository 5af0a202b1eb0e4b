//! Verification throughput on Clerk's `user.created` example (`user_created.json`, taken from
//! the webhook document): the signature check alone, and the check plus decoding into
//! `Event::UserCreated`. Criterion reports the time per event; events per second is its
//! inverse.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_webhooks::{Event, Webhook};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &[u8] = include_bytes!("user_created.json");

fn verify(c: &mut Criterion) {
    let webhook = Webhook::new(SECRET).unwrap();
    let now = SystemTime::now();
    let timestamp = now.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let rotating =
        format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= {}", webhook.sign("msg_bench", timestamp, BODY));
    let headers =
        [("svix-id", "msg_bench".to_string()), ("svix-timestamp", timestamp.to_string()), ("svix-signature", rotating)];
    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Elements(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("signature_only", |b| {
        b.iter(|| webhook.verify_signature_at(black_box(&headers), black_box(BODY), now).unwrap())
    });
    group.bench_function("signature_and_decode", |b| {
        b.iter(|| {
            let event = webhook.verify_at(black_box(&headers), black_box(BODY), now).unwrap();
            assert!(matches!(event.data, Event::UserCreated(_)));
            event
        })
    });
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
