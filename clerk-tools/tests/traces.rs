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
