//! Verification: what is accepted, what is refused and why, and that hostile input is refused
//! without a panic.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_webhooks::{Error, Event, Secret, Webhook, sign};
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_dGhlIG90aGVyIHNpZ25pbmcgc2VjcmV0IQ==";
const NOW: i64 = 1_750_000_000;

fn at(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds as u64)
}

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

fn headers(id: &str, timestamp: &str, signature: &str) -> Vec<(&'static str, String)> {
    vec![
        ("svix-id", id.to_string()),
        ("svix-timestamp", timestamp.to_string()),
        ("svix-signature", signature.to_string()),
    ]
}

fn signed(secret_text: &str, id: &str, timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)> {
    headers(id, &timestamp.to_string(), &sign(&secret(secret_text), id, timestamp, body))
}

fn user_created() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "user.created",
        "object": "event",
        "timestamp": 1_750_000_000_123_i64,
        "instance_id": "ins_1",
        "data": {"id": "user_1", "object": "user", "first_name": "Ada"},
    }))
    .unwrap()
}

fn check(headers: &[(&'static str, String)], body: &[u8]) -> Result<clerk_webhooks::WebhookEvent, Error> {
    Webhook::new(SECRET).unwrap().verify_at(headers, body, at(NOW))
}

/// The published Standard Webhooks (and Svix) test vector.
#[test]
fn standard_webhooks_test_vector() {
    let body = br#"{"test": 2432232314}"#;
    let signature = sign(&secret(SECRET), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body);
    assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    let headers = headers("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", &signature);
    let webhook = Webhook::new(SECRET).unwrap();
    webhook.verify_signature_at(&headers, body, at(1_614_265_330)).unwrap();
    // It is not an event, so full verification stops at decoding... with an unknown, empty type.
    let event = webhook.verify_at(&headers, body, at(1_614_265_330)).unwrap();
    assert_eq!(event.event_type, "");
    assert_eq!(event.data, Event::Unknown(json!({})));
}

#[test]
fn a_signed_event_verifies_and_decodes() {
    let body = user_created();
    let event = check(&signed(SECRET, "msg_1", NOW, &body), &body).unwrap();
    assert_eq!(event.event_type, "user.created");
    assert_eq!(event.object.as_deref(), Some("event"));
    assert_eq!(event.timestamp, Some(1_750_000_000_123));
    let Event::UserCreated(user) = &event.data else { panic!("{:?}", event.data) };
    assert_eq!(user.id.as_deref(), Some("user_1"));
    assert_eq!(user.first_name.as_deref(), Some("Ada"));
    assert_eq!(event.data.event_type(), Some("user.created"));
    // Serializing gives the wire shape back.
    let original: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), original);
}

#[test]
fn the_convenience_function_uses_the_clock() {
    let body = user_created();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let headers = signed(SECRET, "msg_now", now, &body);
    let event = clerk_webhooks::verify(SECRET, &headers, &body).unwrap();
    assert!(matches!(event.data, Event::UserCreated(_)));
    assert_eq!(
        clerk_webhooks::verify(SECRET, &signed(SECRET, "msg_old", now - 3600, &body), &body).unwrap_err().kind(),
        "stale_timestamp"
    );
}

#[test]
fn a_tampered_body_is_refused() {
    let body = user_created();
    let headers = signed(SECRET, "msg_1", NOW, &body);
    let mut tampered = body.clone();
    let at = tampered.windows(3).position(|w| w == b"Ada").unwrap();
    tampered[at] = b'E';
    assert_eq!(check(&headers, &tampered).unwrap_err(), Error::BadSignature);
    // One more byte, or one fewer, is refused too.
    assert_eq!(check(&headers, &[&body[..], b" "].concat()).unwrap_err(), Error::BadSignature);
    assert_eq!(check(&headers, &body[..body.len() - 1]).unwrap_err(), Error::BadSignature);
}

#[test]
fn a_tampered_timestamp_or_id_is_refused() {
    let body = user_created();
    let signature = sign(&secret(SECRET), "msg_1", NOW, &body);
    // Moved within the tolerance, so only the signature can tell.
    assert_eq!(check(&headers("msg_1", &(NOW + 1).to_string(), &signature), &body).unwrap_err(), Error::BadSignature);
    assert_eq!(check(&headers("msg_2", &NOW.to_string(), &signature), &body).unwrap_err(), Error::BadSignature);
    // The same number written differently is a different signed text.
    assert_eq!(check(&headers("msg_1", &format!("0{NOW}"), &signature), &body).unwrap_err(), Error::BadSignature);
}

#[test]
fn another_secret_is_refused() {
    let body = user_created();
    assert_eq!(check(&signed(OTHER_SECRET, "msg_1", NOW, &body), &body).unwrap_err(), Error::BadSignature);
    let webhook = Webhook::new(OTHER_SECRET).unwrap();
    assert_eq!(
        webhook.verify_at(&signed(SECRET, "msg_1", NOW, &body), &body, at(NOW)).unwrap_err(),
        Error::BadSignature
    );
}

#[test]
fn replays_outside_the_tolerance_are_refused_both_ways() {
    let body = user_created();
    let tolerance = 5 * 60;
    for (sent, accepted) in [
        (NOW - tolerance, true),
        (NOW + tolerance, true),
        (NOW - tolerance - 1, false),
        (NOW + tolerance + 1, false),
        (NOW - 86_400 * 365, false),
    ] {
        let result = check(&signed(SECRET, "msg_1", sent, &body), &body);
        if accepted {
            assert!(result.is_ok(), "{sent}: {result:?}");
        } else {
            let err = result.unwrap_err();
            assert_eq!(err, Error::StaleTimestamp { timestamp: sent, now: NOW, tolerance: tolerance as u64 });
            assert_eq!(err.kind(), "stale_timestamp");
        }
    }
    // A stale timestamp is refused even with a good signature: that is what a replay is.
    let err = check(&signed(SECRET, "msg_1", NOW - 301, &body), &body).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the webhook timestamp 1749999699 is 301 seconds before now, beyond the tolerance of 300 seconds"
    );
    // A custom tolerance.
    let webhook = Webhook::new(SECRET).unwrap().with_tolerance(Duration::from_secs(3600));
    webhook.verify_at(&signed(SECRET, "msg_1", NOW - 3000, &body), &body, at(NOW)).unwrap();
    let strict = Webhook::new(SECRET).unwrap().with_tolerance(Duration::ZERO);
    assert!(strict.verify_at(&signed(SECRET, "msg_1", NOW - 1, &body), &body, at(NOW)).is_err());
    strict.verify_at(&signed(SECRET, "msg_1", NOW, &body), &body, at(NOW)).unwrap();
}

#[test]
fn any_valid_signature_among_several_is_accepted() {
    let body = user_created();
    let old = sign(&secret(OTHER_SECRET), "msg_1", NOW, &body);
    let new = sign(&secret(SECRET), "msg_1", NOW, &body);
    let noise = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,bm90IGEgc2lnbmF0dXJl v2,abc v1,not-base64!! v1 ,";
    for signatures in [
        format!("{old} {new}"),
        format!("{new} {old}"),
        format!("{noise} {new}"),
        format!("  {old}   {new}  "),
        format!("{old}\t{new}"),
    ] {
        check(&headers("msg_1", &NOW.to_string(), &signatures), &body)
            .unwrap_or_else(|err| panic!("{signatures}: {err}"));
    }
    // The verifier with the old secret accepts the same rotating header.
    let old_side = Webhook::new(OTHER_SECRET).unwrap();
    old_side.verify_at(&headers("msg_1", &NOW.to_string(), &format!("{old} {new}")), &body, at(NOW)).unwrap();
    // Only other versions, or only wrong ones: refused.
    let v2 = new.replacen("v1,", "v2,", 1);
    assert_eq!(
        check(&headers("msg_1", &NOW.to_string(), &format!("{v2} {noise}")), &body).unwrap_err(),
        Error::BadSignature
    );
}

#[test]
fn missing_or_blank_headers_are_named() {
    let body = user_created();
    let good = signed(SECRET, "msg_1", NOW, &body);
    for (name, _) in &good {
        let without: Vec<_> = good.iter().filter(|(n, _)| n != name).cloned().collect();
        assert_eq!(check(&without, &body).unwrap_err(), Error::MissingHeader(name));
        let blank: Vec<_> =
            good.iter().map(|(n, v)| (*n, if n == name { "  ".to_string() } else { v.clone() })).collect();
        assert_eq!(check(&blank, &body).unwrap_err(), Error::MissingHeader(name));
    }
    let none: [(&str, &str); 0] = [];
    assert_eq!(check(&[], &body).unwrap_err().kind(), "missing_header");
    assert_eq!(
        Webhook::new(SECRET).unwrap().verify_at(&none, &body, at(NOW)).unwrap_err(),
        Error::MissingHeader("svix-id")
    );
}

#[test]
fn standard_webhooks_header_names_are_read_too() {
    let body = user_created();
    let signature = sign(&secret(SECRET), "msg_1", NOW, &body);
    let headers =
        [("Webhook-Id", "msg_1".to_string()), ("webhook-timestamp", NOW.to_string()), ("WEBHOOK-SIGNATURE", signature)];
    check(&headers, &body).unwrap();
}

#[test]
fn malformed_timestamps_are_refused() {
    let body = user_created();
    let signature = sign(&secret(SECRET), "msg_1", NOW, &body);
    for timestamp in ["soon", "1.5e9", "0x10", "99999999999999999999999", "-"] {
        let err = check(&headers("msg_1", timestamp, &signature), &body).unwrap_err();
        assert_eq!(
            err,
            Error::MalformedHeader { name: "svix-timestamp", reason: "not a whole number of seconds" },
            "{timestamp}"
        );
    }
    // Extreme but well-formed values are merely stale.
    for timestamp in [i64::MIN, i64::MAX, 0] {
        let err = check(&headers("msg_1", &timestamp.to_string(), &signature), &body).unwrap_err();
        assert_eq!(err.kind(), "stale_timestamp", "{timestamp}");
    }
}

#[test]
fn malformed_secrets_are_refused_without_showing_them() {
    for text in ["", "whsec_", "   ", "whsec_!!!!", "whsec_abc def"] {
        let err = Webhook::new(text).unwrap_err();
        assert_eq!(err.kind(), "malformed_secret", "{text:?}");
        if text.len() > 6 {
            assert!(!err.to_string().contains(text.trim_start_matches("whsec_")), "{err}");
        }
    }
}

/// Valid signatures over bodies that are not events: refused as unreadable, never a panic.
#[test]
fn hostile_bodies_are_unreadable_not_fatal() {
    let deeply_nested = format!(
        r#"{{"type": "user.created", "data": {{"public_metadata": {}{}}}}}"#,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let nested_unknown = format!(r#"{{"type": "x.y", "data": {}}}"#, "[".repeat(100_000));
    let huge_string = format!(r#"{{"type": "user.created", "data": {{"first_name": "{}"}}}}"#, "a".repeat(8 << 20));
    let bodies: Vec<(&str, Vec<u8>, bool)> = vec![
        ("empty", Vec::new(), false),
        ("not JSON", b"hello".to_vec(), false),
        ("not UTF-8", vec![0xff, 0xfe, b'{', 0x80], false),
        (
            "UTF-8 broken inside a string",
            b"{\"type\": \"user.created\", \"data\": {\"id\": \"\xc3\x28\"}}".to_vec(),
            false,
        ),
        ("a JSON array", b"[1, 2]".to_vec(), false),
        ("trailing garbage", [user_created(), b"}".to_vec()].concat(), false),
        ("deeply nested", deeply_nested.into_bytes(), false),
        ("deeply nested, unknown type", nested_unknown.into_bytes(), false),
        ("a wrong type", br#"{"type": "user.created", "data": {"created_at": "yesterday"}}"#.to_vec(), false),
        ("8 MiB string", huge_string.into_bytes(), true),
    ];
    for (what, body, readable) in bodies {
        let headers = signed(SECRET, "msg_1", NOW, &body);
        match check(&headers, &body) {
            Ok(event) => assert!(readable, "{what}: decoded as {:?}", event.event_type),
            Err(err) => {
                assert!(!readable, "{what}: {err}");
                assert_eq!(err.kind(), "unreadable_body", "{what}: {err}");
            }
        }
    }
}

#[test]
fn errors_name_the_field() {
    let body = br#"{"type": "user.created", "data": {"email_addresses": [{"id": 7}]}}"#;
    let err = check(&signed(SECRET, "msg_1", NOW, body), body).unwrap_err();
    assert!(err.to_string().contains("at `data.email_addresses[0].id`"), "{err}");
    let body = br#"{"type": 5}"#;
    let err = check(&signed(SECRET, "msg_1", NOW, body), body).unwrap_err();
    assert!(err.to_string().contains("at `type`"), "{err}");
}

#[test]
fn hostile_headers_are_refused_not_fatal() {
    let body = user_created();
    let good = sign(&secret(SECRET), "msg_1", NOW, &body);
    let many = format!("{} {good}", "v1,AAAA ".repeat(100_000));
    check(&headers("msg_1", &NOW.to_string(), &many), &body).unwrap();
    let binary: Vec<(&str, Vec<u8>)> =
        vec![("svix-id", vec![0xff, 0x00]), ("svix-timestamp", vec![0xc3, 0x28]), ("svix-signature", vec![0x80; 100])];
    assert_eq!(check_bytes(&binary, &body).unwrap_err().kind(), "malformed_header");
    let long_candidate = format!("v1,{}", "A".repeat(1 << 20));
    assert_eq!(check(&headers("msg_1", &NOW.to_string(), &long_candidate), &body).unwrap_err(), Error::BadSignature);
    // A non-UTF-8 id is signed as the bytes it is.
    let webhook = Webhook::new(SECRET).unwrap();
    let binary_id: Vec<(&str, Vec<u8>)> = vec![
        ("svix-id", vec![0xff, b'x']),
        ("svix-timestamp", NOW.to_string().into_bytes()),
        ("svix-signature", good.clone().into_bytes()),
    ];
    assert_eq!(webhook.verify_at(&binary_id, &body, at(NOW)).unwrap_err(), Error::BadSignature);
}

fn check_bytes(headers: &[(&str, Vec<u8>)], body: &[u8]) -> Result<clerk_webhooks::WebhookEvent, Error> {
    Webhook::new(SECRET).unwrap().verify_at(headers, body, at(NOW))
}

#[test]
fn unknown_event_types_keep_their_json() {
    let body = serde_json::to_vec(&json!({
        "type": "user.teleported",
        "object": "event",
        "data": {"id": "user_1", "destination": {"planet": "Mars"}},
        "timestamp": 1,
        "brand_new_envelope_field": true,
    }))
    .unwrap();
    let event = check(&signed(SECRET, "msg_1", NOW, &body), &body).unwrap();
    assert_eq!(event.event_type, "user.teleported");
    assert_eq!(event.data, Event::Unknown(json!({"id": "user_1", "destination": {"planet": "Mars"}})));
    assert_eq!(event.data.event_type(), None);
    assert_eq!(serde_json::to_value(&event).unwrap()["data"]["destination"]["planet"], "Mars");
}

#[test]
fn decoding_is_lenient() {
    let body = serde_json::to_vec(&json!({
        "type": "session.revoked",
        "data": {
            "id": "sess_1",
            "status": "a_status_from_the_future",
            "actor": null,
            "user": {"email_addresses": null, "phone_numbers": [], "first_name": null, "new_field": [1, 2]},
            "latest_activity": null,
            "surprise": {"nested": true},
        },
    }))
    .unwrap();
    let event = check(&signed(SECRET, "msg_1", NOW, &body), &body).unwrap();
    let Event::SessionRevoked(session) = event.data else { panic!() };
    assert_eq!(session.status.as_deref(), Some("a_status_from_the_future"));
    assert!(session.actor.is_empty());
    let user = session.user.as_ref().unwrap();
    assert!(user.email_addresses.is_empty());
    assert_eq!(user.first_name, None);
    // Without `data`, or with `data: null`, a known type is a payload with nothing in it.
    for body in [&br#"{"type": "user.deleted"}"#[..], br#"{"type": "user.deleted", "data": null}"#] {
        let event = check(&signed(SECRET, "msg_1", NOW, body), body).unwrap();
        assert_eq!(event.data, Event::UserDeleted(Box::default()));
    }
}

#[test]
fn the_generic_deserialize_agrees_with_from_slice() {
    let body = user_created();
    let via_serde: clerk_webhooks::WebhookEvent = serde_json::from_slice(&body).unwrap();
    assert_eq!(via_serde, clerk_webhooks::WebhookEvent::from_slice(&body).unwrap());
    let value: Value = serde_json::from_slice(&body).unwrap();
    let via_value: clerk_webhooks::WebhookEvent = serde_json::from_value(value).unwrap();
    assert_eq!(via_value, via_serde);
}

/// With the replay guard, a verified delivery is accepted once while its timestamp is fresh;
/// forgotten, Clerk's retry of it is accepted; unverified ones are not recorded.
#[test]
fn the_replay_guard_accepts_each_delivery_once() {
    let webhook = Webhook::new(SECRET).unwrap().with_replay_guard(1000);
    let body = user_created();
    let first = signed(SECRET, "msg_1", NOW, &body);
    webhook.verify_at(&first, &body, at(NOW)).unwrap();
    // The same delivery again, later within the window, and through a clone.
    let err = webhook.clone().verify_at(&first, &body, at(NOW + 299)).unwrap_err();
    assert_eq!(err, Error::Replayed { id: "msg_1".into() });
    assert_eq!(err.kind(), "replayed");
    assert!(webhook.verify_signature_at(&first, &body, at(NOW + 1)).is_err());
    // Re-signed with a new timestamp, as a retry is: still the same message.
    let resigned = signed(SECRET, "msg_1", NOW + 60, &body);
    assert_eq!(webhook.verify_at(&resigned, &body, at(NOW + 60)).unwrap_err().kind(), "replayed");
    // Once stale, the timestamp check refuses it anyway.
    assert_eq!(webhook.verify_at(&first, &body, at(NOW + 301)).unwrap_err().kind(), "stale_timestamp");

    // A forged delivery under another id is refused for its signature and leaves no trace.
    let forged = signed(OTHER_SECRET, "msg_2", NOW, &body);
    assert_eq!(webhook.verify_at(&forged, &body, at(NOW)).unwrap_err().kind(), "bad_signature");
    webhook.verify_at(&signed(SECRET, "msg_2", NOW, &body), &body, at(NOW)).unwrap();

    // After a failure to handle it, the endpoint forgets the id and the retry goes through.
    webhook.forget("msg_2");
    webhook.verify_at(&signed(SECRET, "msg_2", NOW + 30, &body), &body, at(NOW + 30)).unwrap();

    // Without the guard, the same delivery verifies every time.
    let plain = Webhook::new(SECRET).unwrap();
    for _ in 0..2 {
        plain.verify_at(&first, &body, at(NOW)).unwrap();
    }
}

#[test]
fn secrets_shorter_than_24_bytes_are_refused() {
    // "other secret": 12 bytes.
    let err = Webhook::new("whsec_b3RoZXIgc2VjcmV0").unwrap_err();
    assert_eq!(err, Error::SecretTooShort { bytes: 12 });
    assert_eq!(err.kind(), "secret_too_short");
    assert!(!err.to_string().contains("b3RoZXIgc2VjcmV0"), "{err}");
}
