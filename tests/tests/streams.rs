//! The generated client's `.stream()` against the local Clerk stand-in: lists longer than a
//! page, read whole with the pages asked for exactly (limit, offset, filters), the count of a
//! paginated list ending it, and an error from a server in between that fails the third page.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use clerk_api::Client;
use clerk_standin::StandIn;
use futures_util::StreamExt;

const KEY: &str = "sk_test_streams_7c1d";

async fn start() -> (StandIn, Client) {
    let standin = StandIn::start(KEY).await.expect("stand-in starts");
    let client = Client::from_secret_key_with_base_url(KEY, &standin.base_url()).expect("client builds");
    (standin, client)
}

/// The requests the stand-in answered since the last call, as `METHOD path?query status`.
fn requests(standin: &StandIn) -> Vec<String> {
    standin
        .take_exchanges()
        .into_iter()
        .map(|exchange| {
            let query = exchange.query.map(|query| format!("?{query}")).unwrap_or_default();
            format!("{} {}{query} {}", exchange.method, exchange.path, exchange.status)
        })
        .collect()
}

#[tokio::test]
async fn every_user_of_a_list_longer_than_a_page() {
    let (standin, client) = start().await;
    let seeded = standin.add_users("member", 1234);
    standin.record_exchanges();

    let users: Vec<String> = client.get_user_list().stream().map(|user| user.unwrap().id.unwrap()).collect().await;

    // Newest first, Clerk's default order: the reverse of creation.
    let newest_first: Vec<String> = seeded.into_iter().rev().collect();
    assert_eq!(users, newest_first);
    assert_eq!(
        requests(&standin),
        [
            "GET /v1/users?limit=500&offset=0 200",
            "GET /v1/users?limit=500&offset=500 200",
            "GET /v1/users?limit=500&offset=1000 200",
        ]
    );
}

#[tokio::test]
async fn the_filters_and_the_order_go_with_every_page() {
    let (standin, client) = start().await;
    standin.add_users("reader", 1000);
    let writers = standin.add_users("writer", 234);
    standin.record_exchanges();

    let users: Vec<(String, String)> = client
        .get_user_list()
        .query("writer")
        .order_by("+username")
        .limit(100)
        .stream()
        .map(|user| {
            let user = user.unwrap();
            (user.id.unwrap(), user.username.unwrap())
        })
        .collect()
        .await;

    let expected: Vec<(String, String)> =
        writers.into_iter().enumerate().map(|(n, id)| (id, format!("writer{n:06}"))).collect();
    assert_eq!(users, expected);
    assert_eq!(
        requests(&standin),
        [0, 100, 200]
            .map(|offset| format!("GET /v1/users?limit=100&offset={offset}&order_by=%2Busername&query=writer 200"))
    );
}

/// A list that takes `paginated` is asked for it, and its `total_count` ends the stream on a
/// full page, without asking for an empty one.
#[tokio::test]
async fn a_paginated_list_ends_at_its_count() {
    let (standin, client) = start().await;
    for n in 0..10 {
        client
            .create_allowlist_identifier()
            .body_map(|body| body.identifier(format!("person{n}@example.com")))
            .send()
            .await
            .unwrap();
    }
    standin.record_exchanges();

    let identifiers: Vec<String> = client
        .list_allowlist_identifiers()
        .limit(5)
        .stream()
        .map(|identifier| identifier.unwrap().identifier.unwrap())
        .collect()
        .await;

    let mut sorted = identifiers.clone();
    sorted.sort();
    assert_eq!(sorted, (0..10).map(|n| format!("person{n}@example.com")).collect::<Vec<_>>());
    assert_eq!(
        requests(&standin),
        [
            "GET /v1/allowlist_identifiers?limit=5&offset=0&paginated=true 200",
            "GET /v1/allowlist_identifiers?limit=5&offset=5&paginated=true 200",
        ]
    );
}

/// Between the client and the stand-in: forwards every request, except that the third is
/// answered with Clerk's error body and a 503.
#[derive(Clone)]
struct FailingThird {
    upstream: String,
    http: reqwest::Client,
    seen: Arc<AtomicUsize>,
}

async fn forward(State(proxy): State<FailingThird>, request: Request) -> Response {
    if proxy.seen.fetch_add(1, Ordering::SeqCst) == 2 {
        let body = r#"{"errors":[{"message":"Service unavailable","code":"service_unavailable"}],"clerk_trace_id":"trace_third"}"#;
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, [("content-type", "application/json")], body)
            .into_response();
    }
    let target = format!("{}{}", proxy.upstream, request.uri());
    let mut upstream = proxy.http.get(target);
    for name in ["authorization", "clerk-api-version"] {
        if let Some(value) = request.headers().get(name) {
            upstream = upstream.header(name, value.clone());
        }
    }
    let answer = upstream.send().await.unwrap();
    let status = answer.status();
    (status, [("content-type", "application/json")], answer.bytes().await.unwrap()).into_response()
}

#[tokio::test]
async fn an_error_on_the_third_page_ends_the_stream_after_the_first_two() {
    let standin = StandIn::start(KEY).await.unwrap();
    let seeded = standin.add_users("member", 250);
    let upstream = standin.base_url().trim_end_matches("/v1").to_string();
    // reqwest is built with rustls and no crypto provider in this workspace; the application
    // (here, the test) picks one.
    clerk_api::install_default_tls_provider();
    let proxy = FailingThird { upstream, http: reqwest::Client::new(), seen: Arc::new(AtomicUsize::new(0)) };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(forward).with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    standin.record_exchanges();

    let client = Client::from_secret_key_with_base_url(KEY, &format!("http://{address}/v1")).unwrap();
    let mut stream = client.get_user_list().limit(100).stream();
    let mut read = Vec::new();
    let error = loop {
        match stream.next().await.expect("the error is an item") {
            Ok(user) => read.push(user.id.unwrap()),
            Err(err) => break err,
        }
    };

    let newest_first: Vec<String> = seeded.into_iter().rev().take(200).collect();
    assert_eq!(read, newest_first);
    assert_eq!(
        error.to_string(),
        "503 Service Unavailable: Service unavailable (code service_unavailable, trace id trace_third)"
    );
    assert!(stream.next().await.is_none());
    assert_eq!(proxy.seen.load(Ordering::SeqCst), 3);
    assert_eq!(requests(&standin), ["GET /v1/users?limit=100&offset=0 200", "GET /v1/users?limit=100&offset=100 200"]);
}
