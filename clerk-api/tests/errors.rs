//! `clerk_api::Error` against a local server: every error that came with an answer keeps that
//! answer's status, one client serves concurrent calls without mixing them up, `Display` is one
//! line with what Clerk said, and path parameters reach the server as one segment each.
#![cfg(feature = "users")]

use clerk_api::{Client, ClientState, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_errors";

fn client(server: &MockServer) -> Client {
    Client::from_secret_key_with_base_url(KEY, &format!("{}/v1", server.uri())).unwrap()
}

fn clerk_error(status: u16, errors: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"errors": errors, "clerk_trace_id": "trace_123"}))
}

#[tokio::test]
async fn display_is_one_line_with_status_message_code_and_trace_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_missing"))
        .respond_with(clerk_error(
            404,
            json!([{"message": "Resource not found", "long_message": "No user\nwith that id", "code": "resource_not_found"}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_bad"))
        .respond_with(clerk_error(
            422,
            json!([{"message": "is invalid\r\n(really)", "code": "form_param_format_invalid"}, {"message": "also"}]),
        ))
        .mount(&server)
        .await;
    let client = client(&server);

    let missing = client.get_user().user_id("user_missing").send().await.unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(missing.to_string(), "404 Not Found: Resource not found (code resource_not_found, trace id trace_123)");

    let bad = client.get_user().user_id("user_bad").send().await.unwrap_err();
    assert_eq!(
        bad.to_string(),
        "422 Unprocessable Entity: is invalid  (really) (code form_param_format_invalid, trace id trace_123, 1 more errors)"
    );
    for error in [&missing, &bad] {
        let text = error.to_string();
        assert!(!text.contains('\n') && !text.contains(KEY) && !text.contains("content-type"), "{text}");
    }
}

/// A body that is not what the operation declares keeps the answer's status and headers, for
/// an error status as for a success.
#[tokio::test]
async fn an_answer_whose_body_does_not_decode_keeps_its_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_gateway"))
        .respond_with(
            ResponseTemplate::new(503).insert_header("retry-after", "7").set_body_string("<html>Bad gateway</html>"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_broken"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": 1"))
        .mount(&server)
        .await;
    let client = client(&server);

    match client.get_user().user_id("user_gateway").send().await.unwrap_err() {
        Error::InvalidResponsePayload(response, _) => {
            assert_eq!(response.status().as_u16(), 503);
            assert_eq!(response.headers()["retry-after"], "7");
            assert_eq!(response.into_inner(), "<html>Bad gateway</html>");
        }
        other => panic!("{other:?}"),
    }
    let broken = client.get_user().user_id("user_broken").send().await.unwrap_err();
    assert_eq!(broken.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(
        broken.to_string(),
        "200 OK, and its body is not what the operation declares: invalid type: integer `1`, expected a string at line 1 column 8"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_keeps_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_large"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "user_large", "first_name": "a".repeat(100)})),
        )
        .mount(&server)
        .await;
    let state = ClientState::with_secret_key(KEY).unwrap().with_max_body_bytes(10);
    clerk_api::install_default_tls_provider();
    let client = Client::new_with_client(&format!("{}/v1", server.uri()), reqwest::Client::new(), state);

    let error = client.get_user().user_id("user_large").send().await.unwrap_err();
    assert!(matches!(error, Error::ResponseBodyError(ref response, _) if response.status() == 200), "{error:?}");
    assert!(error.to_string().starts_with("200 OK, and its body could not be read: "), "{error}");
    assert!(error.to_string().ends_with("the response body is larger than the limit of 10 bytes"), "{error}");
}

/// Nothing about one call is kept on the client: concurrent calls on one client each see the
/// status of their own answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_client_serves_concurrent_calls_each_with_its_own_status() {
    let server = MockServer::start().await;
    let statuses: Vec<u16> = vec![200, 400, 401, 404, 409, 422, 429, 500, 502, 503];
    for status in &statuses {
        // Not JSON: every answer fails to decode, and only its own status tells them apart.
        Mock::given(method("GET"))
            .and(path(format!("/v1/users/user_{status}")))
            .respond_with(
                ResponseTemplate::new(*status)
                    .set_body_string("not json")
                    .set_delay(std::time::Duration::from_millis(u64::from(*status % 7) * 5)),
            )
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let calls = (0..5).flat_map(|_| statuses.iter()).map(|status| {
        let client = client.clone();
        let status = *status;
        tokio::spawn(async move {
            let error = client.get_user().user_id(format!("user_{status}")).send().await.unwrap_err();
            (status, error.status().map(|s| s.as_u16()))
        })
    });
    for call in calls.collect::<Vec<_>>() {
        let (status, seen) = call.await.unwrap();
        assert_eq!(seen, Some(status));
    }
}

/// The request as sent: the key and API version headers, and each path parameter one segment,
/// whatever it spells.
#[tokio::test]
async fn path_parameters_reach_the_server_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("clerk-api-version", "2026-05-12"))
        .respond_with(clerk_error(404, json!([{"message": "not found", "code": "resource_not_found"}])))
        .mount(&server)
        .await;
    let client = client(&server);
    for user_id in ["%2e", ".%2E", "%2E%2e", "a\\..", "..\\", "a/..", "x?y#z", "user_2x"] {
        let error = client.ban_user().user_id(user_id).send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{user_id:?}: {error:?}");
    }
    let paths: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|request| request.url.path().to_string()).collect();
    assert_eq!(
        paths,
        [
            "/v1/users/%252e/ban",
            "/v1/users/.%252E/ban",
            "/v1/users/%252E%252e/ban",
            "/v1/users/a%5C../ban",
            "/v1/users/..%5C/ban",
            "/v1/users/a%2F../ban",
            "/v1/users/x%3Fy%23z/ban",
            "/v1/users/user_2x/ban",
        ]
    );
}
