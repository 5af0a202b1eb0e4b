//! Bounded waits and bodies, rate limits, configuration errors and secrets: what a
//! misbehaving server or a wrong setting does to a call.

use std::time::{Duration, Instant};

use clerk_tools::{ClerkTools, CreateUserInput, Error, GetUserInput, Password, RateLimit, RetryPolicy};
use serde_json::json;

use crate::common::{KEY, answer, fixture, received, start};
use crate::faults::{FaultServer, Reply, huge_body_server, stalled_error_server};

fn get_user() -> GetUserInput {
    GetUserInput { user_id: "user_2x1Ada0LoveLace9Q".into() }
}

fn client(base_url: &str) -> clerk_tools::ClerkToolsBuilder {
    ClerkTools::builder().secret_key(KEY).base_url(base_url)
}

#[tokio::test]
async fn a_stalled_error_body_ends_within_the_timeout() {
    let base_url = stalled_error_server(502, 10, Duration::from_secs(60)).await;
    let tools =
        client(&base_url).timeout(Duration::from_millis(500)).retry_policy(RetryPolicy::none()).build().unwrap();
    let started = Instant::now();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(..)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_hundred_megabyte_answer_ends_with_the_size_error_without_being_read() {
    const HUNDRED_MB: usize = 100 * 1024 * 1024;
    for declare_length in [false, true] {
        let (base_url, written) = huge_body_server(HUNDRED_MB, declare_length).await;
        let tools = client(&base_url).retry_policy(RetryPolicy::none()).build().unwrap();
        let err = tools.get_user(get_user()).await.unwrap_err();
        assert!(matches!(err, Error::ResponseTooLarge { limit } if limit == 32 * 1024 * 1024), "{err:?}");
        assert_eq!(err.kind(), "response_too_large");
        // The client stopped reading: the server could not write the rest.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = written.load(std::sync::atomic::Ordering::SeqCst);
        assert!(sent < 48 * 1024 * 1024, "declared: {declare_length}, the server wrote {sent} bytes");
    }
    // The limit is the caller's to set.
    let (base_url, _) = huge_body_server(2 * 1024 * 1024, false).await;
    let tools = client(&base_url).max_response_bytes(1024 * 1024).retry_policy(RetryPolicy::none()).build().unwrap();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 1_048_576 }), "{err:?}");
}

#[tokio::test]
async fn retry_after_past_the_deadline_sends_exactly_one_request() {
    let limited = json!({"errors": [{"message": "Too many requests", "code": "too_many_requests"}]});
    let server = FaultServer::start(vec![Reply::with_header(429, "Retry-After", "123", &limited.to_string())]).await;
    let tools = client(&server.base_url).build().unwrap();
    let started = Instant::now();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(&err, Error::RateLimited(api) if api.retry_after == Some(Duration::from_secs(123))), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "returned at once, not after {:?}", started.elapsed());
    assert_eq!(server.hits(), 1, "no request earlier than Clerk asked");
    assert_eq!(err.to_json()["retryAfterSeconds"], 123.0);
}

#[tokio::test]
async fn retry_after_that_fits_is_waited_in_full_then_retried_once() {
    let limited = json!({"errors": [{"message": "Too many requests", "code": "too_many_requests"}]});
    let server = FaultServer::start(vec![
        Reply::with_header(429, "Retry-After", "2", &limited.to_string()),
        Reply::json(200, &fixture("user.json")),
    ])
    .await;
    let tools = client(&server.base_url).build().unwrap();
    let started = Instant::now();
    tools.get_user(get_user()).await.expect("succeeds after the wait");
    assert!(started.elapsed() >= Duration::from_secs(2), "waited only {:?}", started.elapsed());
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn the_rate_limit_is_shared_by_every_call_of_a_client() {
    let (server, _) = start().await;
    answer(&server, "GET", "/v1/users/user_2x1Ada0LoveLace9Q", 200, fixture("user.json")).await;
    let limit = RateLimit { requests: 2, per: Duration::from_millis(600) };
    let tools = client(&format!("{}/v1", server.uri())).rate_limit(limit).build().unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let tools = tools.clone();
            tokio::spawn(async move { tools.get_user(get_user()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("each call succeeds");
    }
    // Two start at once, two after one window, the fifth after two.
    assert!(started.elapsed() >= Duration::from_millis(1200), "{:?}", started.elapsed());
    assert_eq!(received(&server).await.len(), 5);
}

#[test]
fn a_bad_base_url_is_refused_when_the_client_is_built_with_the_fix() {
    for (url, expected) in [
        ("127.0.0.1:8787/v1", "is not a URL"),
        ("not-a-url", "is not a URL"),
        ("ftp://example.com/v1", "must be http or https"),
        ("http://api.example.com/v1", "unencrypted over plain http"),
    ] {
        let err = ClerkTools::builder().base_url(url).build().unwrap_err();
        let message = err.to_string();
        assert_eq!(err.kind(), "config", "{url}");
        assert!(message.contains(expected) && message.contains("base_url"), "{url}: {message}");
        assert!(!message.contains("builder error"), "{message}");
    }
    for fine in ["http://127.0.0.1:8787/v1", "http://localhost/v1", "http://[::1]:9/v1", "https://api.clerk.com/v1/"] {
        let tools = ClerkTools::builder().base_url(fine).build().expect(fine);
        assert!(!tools.base_url().ends_with('/'));
    }
    ClerkTools::builder().base_url("http://api.example.com/v1").allow_insecure_http(true).build().expect("opted in");
}

#[tokio::test]
async fn a_404_from_a_base_url_without_v1_says_so() {
    let (server, _) = start().await;
    let tools = client(&server.uri()).build().unwrap();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert!(err.to_string().contains("does not end in /v1"), "{err}");
}

#[tokio::test]
async fn unknown_inputs_name_the_closest_known_one() {
    let (server, tools) = start().await;
    for (tool, input, field, hint) in [
        (
            "clerk_list_users",
            json!({"secretKey": KEY, "order_by": "-created_at"}),
            "order_by",
            "did you mean `orderBy`?",
        ),
        ("clerk_list_users", json!({"secretKey": KEY, "limt": 5}), "limt", "did you mean `limit`?"),
        ("clerk_get_user", json!({"secretKey": KEY, "user_id": "user_1"}), "user_id", "did you mean `userId`?"),
        (
            "clerk_get_user",
            json!({"secretKey": KEY, "userId": "u", "colour": 1}),
            "colour",
            "its inputs are secretKey, userId",
        ),
    ] {
        let output = tools.call(tool, input).await;
        assert_eq!(output["field"], field, "{output}");
        assert!(output["error"].as_str().unwrap().contains(hint), "{output}");
    }
    let output = tools.call("clerk_list_users", json!({"secretKey": KEY, "limit": true})).await;
    assert_eq!(
        output["error"],
        "invalid input `limit`: must be a whole number, given as a number or a string holding one"
    );
    assert!(received(&server).await.is_empty());
}

#[test]
fn passwords_never_print() {
    let input = CreateUserInput { password: Some(Password::new("hunter2-correct-horse")), ..Default::default() };
    let printed = format!("{input:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(printed.contains("Password([redacted])"), "{printed}");
    let update: clerk_tools::UpdateUserInput =
        serde_json::from_value(json!({"userId": "user_1", "password": "hunter2-correct-horse"})).unwrap();
    assert!(!format!("{update:?}").contains("hunter2"));
}

#[test]
fn from_env_names_the_missing_variable() {
    // This is the only test that reads these variables.
    unsafe {
        std::env::remove_var("CLERK_SECRET_KEY");
        std::env::set_var("CLERK_API_URL", "127.0.0.1:8787/v1");
    }
    let err = ClerkTools::from_env().unwrap_err();
    assert!(matches!(err, clerk_tools::Error::MissingSecretKey), "{err}");
    assert!(err.to_string().contains("set CLERK_SECRET_KEY to your key from the Clerk Dashboard"), "{err}");
    unsafe { std::env::set_var("CLERK_SECRET_KEY", "sk_test_env") };
    let err = ClerkTools::from_env().unwrap_err();
    assert!(err.to_string().contains("CLERK_API_URL `127.0.0.1:8787/v1` is not a URL"), "{err}");
    unsafe { std::env::set_var("CLERK_API_URL", "http://127.0.0.1:1/v1") };
    let tools = ClerkTools::from_env().expect("configured from the environment");
    assert!(tools.has_secret_key());
    assert_eq!(tools.base_url(), "http://127.0.0.1:1/v1");
    unsafe {
        std::env::remove_var("CLERK_SECRET_KEY");
        std::env::remove_var("CLERK_API_URL");
    }
}
