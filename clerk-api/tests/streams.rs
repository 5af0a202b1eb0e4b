//! `.stream()` of the list operations against a local server: the exact pages asked for (limit,
//! offset, `paginated`, the builder's filters), where the stream ends (a short page, Clerk's
//! `total_count`), and that an error is its last item.
#![cfg(all(feature = "users", feature = "allow-list-block-list", feature = "m2m-tokens"))]

use clerk_api::{Client, Error};
use futures_util::{Stream, StreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "sk_test_streams";

fn client(server: &MockServer) -> Client {
    Client::from_secret_key_with_base_url(KEY, &format!("{}/v1", server.uri())).unwrap()
}

/// How the server answers a page.
#[derive(Clone, Copy)]
enum Shape {
    /// A bare array, as `GET /users` answers.
    Bare,
    /// `{data, total_count}` when asked with `paginated=true`, else a bare array.
    Paginated,
    /// `{m2m_tokens, total_count}`.
    M2mTokens,
}

/// Answers `limit` items from `offset` of `count` items `{"id": "item_<n>"}`, and a Clerk error
/// for the page at `fail_at`, if set.
struct Pages {
    count: usize,
    shape: Shape,
    fail_at: Option<usize>,
}

fn query(request: &Request, key: &str) -> Option<String> {
    request.url.query_pairs().find(|(name, _)| name == key).map(|(_, value)| value.into_owned())
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number = |key: &str, default: usize| {
            query(request, key).map_or(default, |raw| raw.parse::<f64>().expect("a number") as usize)
        };
        let (limit, offset) = (number("limit", 10), number("offset", 0));
        if self.fail_at == Some(offset) {
            return ResponseTemplate::new(500).set_body_json(json!({
                "errors": [{"message": "Something went wrong", "code": "internal_clerk_error"}],
                "clerk_trace_id": "trace_page"
            }));
        }
        let items: Vec<Value> =
            (offset..self.count).take(limit).map(|n| json!({"id": format!("item_{n}"), "object": "x"})).collect();
        let body = match self.shape {
            Shape::Bare => json!(items),
            Shape::Paginated if query(request, "paginated").as_deref() == Some("true") => {
                json!({"data": items, "total_count": self.count})
            }
            Shape::Paginated => json!(items),
            Shape::M2mTokens => json!({"m2m_tokens": items, "total_count": self.count as f64}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn serve(route: &str, pages: Pages) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(route)).respond_with(pages).mount(&server).await;
    server
}

/// Every request the server received, as `path?query`.
async fn requests(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.expect("recording is on");
    received
        .iter()
        .map(|request| {
            assert_eq!(request.method.as_str(), "GET");
            format!("{}?{}", request.url.path(), request.url.query().unwrap_or_default())
        })
        .collect()
}

fn ids(n: impl IntoIterator<Item = usize>) -> Vec<String> {
    n.into_iter().map(|n| format!("item_{n}")).collect()
}

#[tokio::test]
async fn a_bare_list_is_read_page_by_page_until_a_short_page() {
    let server = serve("/v1/users", Pages { count: 7, shape: Shape::Bare, fail_at: None }).await;
    let users: Vec<String> =
        client(&server).get_user_list().limit(3).stream().map(|user| user.unwrap().id.unwrap()).collect().await;
    assert_eq!(users, ids(0..7));
    assert_eq!(
        requests(&server).await,
        ["/v1/users?limit=3&offset=0", "/v1/users?limit=3&offset=3", "/v1/users?limit=3&offset=6"]
    );
    let received = server.received_requests().await.unwrap();
    for request in &received {
        assert_eq!(request.headers["authorization"], format!("Bearer {KEY}"));
        assert_eq!(request.headers["clerk-api-version"], clerk_api::CLERK_API_VERSION.unwrap());
    }
}

/// Without a count, a list that ends on a full page takes one more request to know it.
#[tokio::test]
async fn without_a_limit_pages_are_the_largest_the_document_allows() {
    let server = serve("/v1/users", Pages { count: 1000, shape: Shape::Bare, fail_at: None }).await;
    let users: Vec<_> = client(&server).get_user_list().stream().collect().await;
    assert_eq!(users.len(), 1000);
    assert_eq!(
        requests(&server).await,
        ["/v1/users?limit=500&offset=0", "/v1/users?limit=500&offset=500", "/v1/users?limit=500&offset=1000"]
    );
}

#[tokio::test]
async fn the_builders_offset_and_filters_go_with_every_page() {
    let server = serve("/v1/users", Pages { count: 9, shape: Shape::Bare, fail_at: None }).await;
    let users: Vec<String> = client(&server)
        .get_user_list()
        .query("ada")
        .order_by("+username")
        .email_address(vec!["a@example.com".to_string(), "b@example.com".to_string()])
        .offset(4)
        .limit(2)
        .stream()
        .map(|user| user.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(users, ids(4..9));
    let filters = "order_by=%2Busername&query=ada";
    let emails = "email_address=a%40example.com&email_address=b%40example.com";
    assert_eq!(
        requests(&server).await,
        [4, 6, 8].map(|offset| format!("/v1/users?{emails}&limit=2&offset={offset}&{filters}"))
    );
}

/// The lists that take `paginated` are asked for it, and the count ends the stream without a
/// request for an empty page.
#[tokio::test]
async fn a_paginated_list_stops_at_the_total_count() {
    let server = serve("/v1/allowlist_identifiers", Pages { count: 6, shape: Shape::Paginated, fail_at: None }).await;
    let identifiers: Vec<String> = client(&server)
        .list_allowlist_identifiers()
        .limit(3)
        .stream()
        .map(|identifier| identifier.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(identifiers, ids(0..6));
    assert_eq!(
        requests(&server).await,
        [
            "/v1/allowlist_identifiers?limit=3&offset=0&paginated=true",
            "/v1/allowlist_identifiers?limit=3&offset=3&paginated=true"
        ]
    );
}

/// An answer with its items under another name, its count a number, and `limit` and `offset`
/// declared as numbers.
#[tokio::test]
async fn an_object_with_one_list_of_items_is_a_page_too() {
    let server = serve("/v1/m2m_tokens", Pages { count: 150, shape: Shape::M2mTokens, fail_at: None }).await;
    let tokens: Vec<String> = client(&server)
        .get_m2m_tokens()
        .subject("mch_1")
        .stream()
        .map(|token| token.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(tokens, ids(0..150));
    assert_eq!(
        requests(&server).await,
        ["/v1/m2m_tokens?limit=100&offset=0&subject=mch_1", "/v1/m2m_tokens?limit=100&offset=100&subject=mch_1"]
    );
}

#[tokio::test]
async fn an_error_is_the_last_item() {
    let server = serve("/v1/users", Pages { count: 100, shape: Shape::Bare, fail_at: Some(20) }).await;
    let client = client(&server);
    let mut stream = client.get_user_list().limit(10).stream();
    let mut read = Vec::new();
    let error = loop {
        match stream.next().await.expect("the stream ends with the error") {
            Ok(user) => read.push(user.id.unwrap()),
            Err(err) => break err,
        }
    };
    assert_eq!(read, ids(0..20));
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(
        error.to_string(),
        "500 Internal Server Error: Something went wrong (code internal_clerk_error, trace id trace_page)"
    );
    assert!(stream.next().await.is_none());
    assert!(stream.next().await.is_none());
    assert_eq!(
        requests(&server).await,
        ["/v1/users?limit=10&offset=0", "/v1/users?limit=10&offset=10", "/v1/users?limit=10&offset=20"]
    );
}

/// A page decodes whole or fails: an item of the wrong shape is an error, not a gap.
#[tokio::test]
async fn a_page_with_an_item_that_does_not_decode_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "user_1"}, {"id": 2}, {"id": "user_3"}])))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server).get_user_list().stream().collect().await;
    match items.as_slice() {
        [Err(Error::InvalidResponsePayload(answer, _))] => assert_eq!(answer.status().as_u16(), 200),
        other => panic!("expected one decoding error, got {other:?}"),
    }
    assert_eq!(requests(&server).await, ["/v1/users?limit=500&offset=0"]);
}

/// A parameter that cannot be sent fails before any request, as `send` does.
#[tokio::test]
async fn a_parameter_that_cannot_be_sent_is_the_only_item() {
    let server = serve("/v1/users", Pages { count: 5, shape: Shape::Bare, fail_at: None }).await;
    let client = client(&server);
    let too_large: Vec<_> = client.get_user_list().limit(u64::MAX).stream().collect().await;
    match too_large.as_slice() {
        [Err(Error::InvalidRequest(message))] => assert_eq!(message, "conversion to `i64` for limit failed"),
        other => panic!("expected one invalid request, got {other:?}"),
    }
    let without_subject: Vec<_> = client.get_m2m_tokens().stream().collect().await;
    match without_subject.as_slice() {
        [Err(Error::InvalidRequest(message))] => assert_eq!(message, "subject was not initialized"),
        other => panic!("expected one invalid request, got {other:?}"),
    }
    assert_eq!(requests(&server).await, Vec::<String>::new());
}

#[tokio::test]
async fn an_empty_list_takes_one_request() {
    let server = serve("/v1/allowlist_identifiers", Pages { count: 0, shape: Shape::Paginated, fail_at: None }).await;
    let client = client(&server);
    let stream = client.list_allowlist_identifiers().stream();
    assert_eq!(stream.size_hint(), (0, None));
    assert_eq!(stream.collect::<Vec<_>>().await.len(), 0);
    assert_eq!(requests(&server).await, ["/v1/allowlist_identifiers?limit=500&offset=0&paginated=true"]);
}
