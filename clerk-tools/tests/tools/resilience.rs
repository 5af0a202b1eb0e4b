//! Faults: broken connections, stalls, rate limits and outages. Retries happen only where
//! they cannot duplicate an effect, counted by the requests the server received.

use std::time::{Duration, Instant};

use clerk_tools::{ClerkTools, CreateUserInput, Error, GetUserInput, ListUsersInput, RetryPolicy};
use serde_json::json;

use crate::common::{KEY, answer, assert_no_key, fixture, quick_retries, start};
use crate::faults::{FaultServer, Reply};

fn get_user_input() -> GetUserInput {
    GetUserInput { user_id: "user_2x1Ada0LoveLace9Q".into() }
}

fn create_user_input() -> CreateUserInput {
    CreateUserInput { email_address: vec!["ada@example.com".into()], ..Default::default() }
}

fn client(server: &FaultServer, policy: RetryPolicy, timeout: Duration) -> ClerkTools {
    ClerkTools::builder()
        .secret_key(KEY)
        .base_url(server.base_url.clone())
        .retry_policy(policy)
        .timeout(timeout)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_get_whose_connection_drops_mid_body_is_retried() {
    let user = fixture("user.json").to_string();
    let server = FaultServer::start(vec![
        Reply::DropMidBody { body: user.clone(), sent: 100 },
        Reply::json(200, &fixture("user.json")),
    ])
    .await;
    let tools = client(&server, quick_retries(), Duration::from_secs(5));
    let user = tools.get_user(get_user_input()).await.expect("the retry succeeds");
    assert_eq!(user.id.as_deref(), Some("user_2x1Ada0LoveLace9Q"));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_create_whose_connection_drops_mid_body_is_not_sent_again() {
    let server =
        FaultServer::start(vec![Reply::DropMidBody { body: fixture("user.json").to_string(), sent: 100 }]).await;
    let tools = client(&server, quick_retries(), Duration::from_secs(5));
    let err = tools.create_user(create_user_input()).await.unwrap_err();
    assert!(matches!(err, Error::Connection(..) | Error::Decode { .. }), "{err:?}");
    assert_eq!(server.hits(), 1, "the create may have taken effect: never re-sent");
}

#[tokio::test]
async fn a_slow_body_past_the_timeout_is_a_timeout() {
    let server = FaultServer::start(vec![Reply::StallMidBody {
        body: fixture("user.json").to_string(),
        sent: 50,
        stall: Duration::from_secs(5),
    }])
    .await;
    let tools = client(&server, RetryPolicy::none(), Duration::from_millis(300));
    let started = Instant::now();
    let err = tools.get_user(get_user_input()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(..)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "the timeout cut the stall short");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_create_that_timed_out_is_never_sent_again() {
    let server = FaultServer::start(vec![Reply::StallMidBody {
        body: fixture("user.json").to_string(),
        sent: 10,
        stall: Duration::from_secs(5),
    }])
    .await;
    let tools = client(&server, quick_retries(), Duration::from_millis(200));
    let err = tools.create_user(create_user_input()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(..)), "{err:?}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_429_with_retry_after_is_honoured_then_succeeds() {
    let limited =
        json!({"errors": [{"message": "Too many requests", "code": "too_many_requests"}], "clerk_trace_id": "t1"});
    let server = FaultServer::start(vec![
        Reply::with_header(429, "Retry-After", "1", &limited.to_string()),
        Reply::json(200, &fixture("user.json")),
    ])
    .await;
    let policy = RetryPolicy { max_backoff: Duration::from_secs(2), ..quick_retries() };
    let tools = client(&server, policy, Duration::from_secs(5));
    let started = Instant::now();
    // A create is retried on 429: Clerk refused it before doing anything.
    let created = tools.create_user(create_user_input()).await.expect("succeeds after the wait");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as asked: {:?}", started.elapsed());
    assert_eq!(created.id.as_deref(), Some("user_2x1Ada0LoveLace9Q"));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_429_asking_for_longer_than_the_deadline_is_reported_with_its_delay() {
    let server = FaultServer::start(vec![Reply::with_header(
        429,
        "Retry-After",
        "120",
        "{\"errors\":[{\"message\":\"slow down\"}]}",
    )])
    .await;
    let policy = RetryPolicy {
        max_backoff: Duration::from_secs(300),
        total_deadline: Duration::from_secs(2),
        ..quick_retries()
    };
    let tools = client(&server, policy, Duration::from_secs(5));
    let err = tools.get_user(get_user_input()).await.unwrap_err();
    match &err {
        Error::RateLimited(error) => {
            assert_eq!(error.retry_after, Some(Duration::from_secs(120)));
            assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
            assert_eq!(error.message, "slow down");
        }
        other => panic!("expected rate limiting, got {other:?}"),
    }
    assert_eq!(err.to_json()["retryAfterSeconds"], 120.0);
    assert_eq!(server.hits(), 1, "no retry can start before the deadline");
}

#[tokio::test]
async fn a_503_storm_exhausts_the_retries_of_a_get_but_not_of_a_create() {
    let unavailable = Reply::Respond {
        status: 503,
        headers: vec![("Content-Type", "text/html".into())],
        body: "<h1>down</h1>".into(),
    };
    let server = FaultServer::start(vec![unavailable.clone()]).await;
    let tools = client(&server, quick_retries(), Duration::from_secs(5));
    let err = tools.get_user(get_user_input()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.hits(), 3, "three attempts in all");

    let server = FaultServer::start(vec![unavailable]).await;
    let tools = client(&server, quick_retries(), Duration::from_secs(5));
    let err = tools.create_user(create_user_input()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.hits(), 1, "a create answered 503 may have taken effect");
}

#[tokio::test]
async fn a_503_with_retry_after_then_success() {
    let server = FaultServer::start(vec![
        Reply::with_header(503, "Retry-After", "0", ""),
        Reply::json(200, &fixture("user.json")),
    ])
    .await;
    let tools = client(&server, quick_retries(), Duration::from_secs(5));
    tools.get_user(get_user_input()).await.expect("succeeds on the second attempt");
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_create_that_cannot_connect_is_retried_because_it_never_left() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let tools = ClerkTools::builder()
        .secret_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(40),
            max_backoff: Duration::from_millis(40),
            ..quick_retries()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let err = tools.create_user(create_user_input()).await.unwrap_err();
    assert!(matches!(err, Error::Connection(..)), "{err:?}");
    // Two waits of 20-40 ms each show that the two retries happened.
    assert!(started.elapsed() >= Duration::from_millis(40), "{:?}", started.elapsed());
    assert_no_key(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn a_two_megabyte_user_page_is_read_whole() {
    let (server, tools) = start().await;
    let user = fixture("user.json");
    let mut users = Vec::new();
    let mut size = 0;
    while size < 2 * 1024 * 1024 {
        let mut copy = user.clone();
        copy["id"] = json!(format!("user_{:027}", users.len()));
        size += copy.to_string().len();
        users.push(copy);
    }
    let count = users.len();
    answer(&server, "GET", "/v1/users", 200, json!(users)).await;
    answer(&server, "GET", "/v1/users/count", 200, json!({"object": "total_count", "total_count": count})).await;
    let page = tools.with_secret_key(KEY).list_users(ListUsersInput::default()).await.unwrap();
    assert_eq!(page.users.len(), count);
    assert_eq!(page.total_count, count as i64);
    assert_eq!(page.users[count - 1].id.as_deref(), Some(format!("user_{:027}", count - 1).as_str()));
}
