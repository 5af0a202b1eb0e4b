//! A local Clerk double per test and helpers to read what it received.

use std::time::Duration;

use clerk_tools::{ClerkTools, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The key every test uses; tests search outputs and errors for it.
pub const KEY: &str = "sk_test_wiremock_9f8e7d6c5b4a";

/// Retries as in production, with waits short enough for tests.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        total_deadline: Duration::from_secs(5),
    }
}

/// A client for `base_url` with quick retries and no key of its own: JSON calls give
/// `secretKey`, typed calls go through [`with_key`].
pub fn client_for(base_url: &str) -> ClerkTools {
    ClerkTools::builder().base_url(base_url).retry_policy(quick_retries()).build().expect("client builds")
}

/// The client calling with the tests' key, for typed calls.
pub fn with_key(tools: &ClerkTools) -> ClerkTools {
    tools.with_secret_key(KEY)
}

/// A fresh local server and a client pointed at its `/v1`.
pub async fn start() -> (MockServer, ClerkTools) {
    let server = MockServer::start().await;
    let tools = client_for(&format!("{}/v1", server.uri()));
    (server, tools)
}

/// A JSON fixture from `tests/resources/`.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/resources/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Answers `verb path` with `status` and a JSON body.
pub async fn answer(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Answers `verb path` with `status` and a raw body of the given content type.
pub async fn answer_raw(server: &MockServer, verb: &str, route: &str, status: u16, body: &str, content_type: &str) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type))
        .mount(server)
        .await;
}

/// Everything the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The one request the server received for `route`, checked to carry the bearer key.
pub async fn only_request(server: &MockServer, route: &str) -> Request {
    let all = received(server).await;
    let matching: Vec<Request> = all.into_iter().filter(|r| r.url.path() == route).collect();
    assert_eq!(matching.len(), 1, "expected exactly one request to {route}");
    let request = matching.into_iter().next().unwrap();
    assert_eq!(
        request.headers.get("authorization").and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_version_pinned(&request);
    request
}

/// Every request pins the API version the client was generated from.
pub fn assert_version_pinned(request: &Request) {
    assert_eq!(
        request.headers.get("clerk-api-version").and_then(|v| v.to_str().ok()),
        Some("2026-05-12"),
        "{} carries the API version",
        request_line(request)
    );
}

/// `METHOD /path?query` of a request, for exact comparison.
pub fn request_line(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{}", request.method, request.url.path(), query),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// A request's JSON body.
pub fn json_body(request: &Request) -> Value {
    assert_eq!(
        request.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "a JSON body is declared as such"
    );
    serde_json::from_slice(&request.body).expect("body is JSON")
}

/// Asserts that no output or error mentions the key.
pub fn assert_no_key(text: &str) {
    assert!(!text.contains(KEY), "the secret key leaked into: {text}");
    assert!(!text.contains("wiremock_9f8e7d6c5b4a"), "part of the secret key leaked into: {text}");
}
