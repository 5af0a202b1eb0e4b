//! Each request runs in a `clerk_request` span carrying the tool, method, path template,
//! status, attempts and elapsed time, and the key appears in no trace.
//!
//! A test binary of its own: tracing caches per call site whether anyone listens, and tests
//! running beside this one would race it for that cache.

// The shared helpers; this binary uses only some of them.
#[allow(dead_code)]
#[path = "tools/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

use common::{KEY, answer, assert_no_key, fixture, start};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_are_traced_without_the_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/users/user_2x1Ada0LoveLace9Q", 200, fixture("user.json")).await;
    answer(&server, "GET", "/v1/users/user_missing", 404, json!({"errors": [{"message": "not found"}]})).await;
    tools.call("clerk_get_user", json!({"secretKey": KEY, "userId": "user_2x1Ada0LoveLace9Q"})).await;
    tools.call("clerk_get_user", json!({"secretKey": KEY, "userId": "user_missing"})).await;

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closes: Vec<&str> = text.lines().filter(|l| l.contains("clerk_request") && l.contains("close")).collect();
    assert_eq!(closes.len(), 2, "{text}");
    for (line, status) in closes.iter().zip(["200", "404"]) {
        for field in [
            "tool=\"clerk_get_user\"".to_string(),
            "method=\"GET\"".to_string(),
            "path=\"/users/{user_id}\"".to_string(),
            format!("status={status}"),
            "attempts=1".to_string(),
            "elapsed_ms=".to_string(),
        ] {
            assert!(line.contains(&field), "{field} missing from: {line}");
        }
    }
    assert_no_key(&text);
}

/// The tools that return credentials (OAuth access tokens, actor tokens and their links) leave
/// none of them in a trace, at any level, whether the answer decodes or not.
#[tokio::test]
async fn credentials_appear_in_no_trace() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (server, tools) = start().await;
    let oauth = "ya29.trace-google-access-token";
    let actor = "eyJhbGciOiJSUzI1NiJ9.trace-actor-claims.trace-actor-signature";
    let url = format!("https://accounts.example.com/v1/tickets/accept?ticket={actor}");
    answer(&server, "GET", "/v1/users/user_1/oauth_access_tokens/oauth_google", 200, json!([{"token": oauth}])).await;
    answer(
        &server,
        "GET",
        "/v1/users/user_2/oauth_access_tokens/oauth_google",
        200,
        json!([{"token": oauth, "scopes": "all"}]),
    )
    .await;
    answer(&server, "POST", "/v1/actor_tokens", 200, json!({"status": "pending", "token": actor, "url": url})).await;
    answer(&server, "POST", "/v1/actor_tokens/act_bad/revoke", 200, json!({"token": actor, "updated_at": "now"})).await;

    let got = tools
        .call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": "user_1", "provider": "google"}))
        .await;
    assert_eq!(got["accessTokens"][0]["token"], oauth);
    let bad = tools
        .call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": "user_2", "provider": "google"}))
        .await;
    assert_eq!(bad["kind"], "decode");
    let created = tools
        .call("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": "user_2"}}))
        .await;
    assert_eq!(created["token"], actor);
    let bad = tools.call("clerk_revoke_actor_token", json!({"secretKey": KEY, "actorTokenId": "act_bad"})).await;
    assert_eq!(bad["kind"], "decode");

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("clerk_get_user_oauth_token") && text.contains("clerk_create_actor_token"), "{text}");
    for credential in ["trace-google-access-token", "trace-actor-claims", "trace-actor-signature", "tickets/accept"] {
        assert!(!text.contains(credential), "{credential} in the traces: {text}");
    }
    assert_no_key(&text);
}
