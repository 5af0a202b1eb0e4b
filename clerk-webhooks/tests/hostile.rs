//! Arbitrary input never panics: random headers, bodies and secrets, signed or not.

use std::time::{Duration, UNIX_EPOCH};

use clerk_webhooks::{Secret, Webhook, WebhookEvent, sign};
use proptest::prelude::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_750_000_000;

fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..80),
        "[ -~]{0,80}".prop_map(String::into_bytes),
        "(v1,[A-Za-z0-9+/=]{0,50} ?){0,4}".prop_map(String::into_bytes),
        "-?[0-9]{0,22}".prop_map(String::into_bytes),
    ]
}

/// JSON-ish bodies: valid events with random fields and values, or random bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        // Binary fractions: exact in decimal, so they survive a round trip through text.
        any::<i32>().prop_map(|n| serde_json::Value::from(f64::from(n) / 8.0)),
        ".{0,20}".prop_map(serde_json::Value::from),
    ];
    let json = leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let event_type = prop_oneof![
        proptest::sample::select(clerk_webhooks::Event::TYPES.to_vec()).prop_map(str::to_string),
        "[a-zA-Z.]{0,20}",
    ];
    prop_oneof![
        (event_type, json).prop_map(|(event_type, data)| {
            serde_json::to_vec(&serde_json::json!({"type": event_type, "object": "event", "data": data})).unwrap()
        }),
        proptest::collection::vec(any::<u8>(), 0..200),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_headers_and_bodies_are_refused_without_panic(
        id in header_bytes(), timestamp in header_bytes(), signature in header_bytes(), body in body(),
    ) {
        let headers = vec![("svix-id", id), ("svix-timestamp", timestamp), ("svix-signature", signature)];
        let webhook = Webhook::new(SECRET).unwrap();
        let result = webhook.verify_at(&headers, &body, UNIX_EPOCH + Duration::from_secs(NOW as u64));
        prop_assert!(result.is_err(), "a random signature was accepted");
    }

    #[test]
    fn signed_random_bodies_verify_or_are_unreadable(body in body(), id in "[ -~]{1,40}") {
        let signature = sign(&Secret::new(SECRET).unwrap(), id.trim(), NOW, &body);
        let headers = [("svix-id", id.trim().to_string()), ("svix-timestamp", NOW.to_string()), ("svix-signature", signature)];
        prop_assume!(!id.trim().is_empty());
        let webhook = Webhook::new(SECRET).unwrap();
        match webhook.verify_at(&headers, &body, UNIX_EPOCH + Duration::from_secs(NOW as u64)) {
            Ok(event) => {
                // What decodes serializes, and decodes again to the same event.
                let again = WebhookEvent::from_slice(&serde_json::to_vec(&event).unwrap()).unwrap();
                prop_assert_eq!(again, event);
            }
            Err(err) => prop_assert_eq!(err.kind(), "unreadable_body"),
        }
    }

    #[test]
    fn random_secrets_never_panic(secret in ".{0,80}") {
        if let Ok(secret) = Secret::new(&secret) {
            let _ = sign(&secret, "msg", 0, b"{}");
        }
    }
}
