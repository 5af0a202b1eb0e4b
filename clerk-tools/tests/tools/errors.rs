//! Failures: Clerk's error bodies surface with status, message, code and trace id; bodies
//! that are not JSON still give a clear error with the status; the key appears nowhere.

use serde_json::{Value, json};

use crate::common::{KEY, answer, answer_raw, assert_no_key, start, with_key};

fn clerk_error(message: &str, long_message: &str, code: &str) -> Value {
    json!({
        "errors": [{"message": message, "long_message": long_message, "code": code, "meta": {}}],
        "clerk_trace_id": "trace_0123456789abcdef"
    })
}

async fn typed_get_user_error(status: u16, body: Option<Value>, raw: Option<(&str, &str)>) -> clerk_tools::Error {
    let (server, tools) = start().await;
    if let Some(body) = body {
        answer(&server, "GET", "/v1/users/user_1", status, body).await;
    }
    if let Some((text, content_type)) = raw {
        answer_raw(&server, "GET", "/v1/users/user_1", status, text, content_type).await;
    }
    let err = with_key(&tools).get_user(clerk_tools::GetUserInput { user_id: "user_1".into() }).await.unwrap_err();
    assert_no_key(&err.to_string());
    assert_no_key(&format!("{err:?}"));
    assert_no_key(&err.to_json().to_string());
    err
}

#[tokio::test]
async fn unauthorized_surfaces_clerks_error() {
    let err = typed_get_user_error(
        401,
        Some(clerk_error("Invalid authentication", "The provided secret key is invalid.", "authentication_invalid")),
        None,
    )
    .await;
    assert!(matches!(err, clerk_tools::Error::Unauthorized(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Clerk API error 401: Invalid authentication (The provided secret key is invalid.) \
         [code: authentication_invalid] [trace id: trace_0123456789abcdef]"
    );
    insta::assert_json_snapshot!("error_401", err.to_json());
}

#[tokio::test]
async fn not_found_surfaces_clerks_error() {
    let err =
        typed_get_user_error(404, Some(clerk_error("not found", "User not found", "resource_not_found")), None).await;
    assert!(matches!(err, clerk_tools::Error::NotFound(_)), "{err:?}");
    insta::assert_json_snapshot!("error_404", err.to_json());
}

#[tokio::test]
async fn unprocessable_surfaces_clerks_error_through_the_json_interface() {
    let (server, tools) = start().await;
    answer(
        &server,
        "POST",
        "/v1/users",
        422,
        clerk_error(
            "That email address is taken.",
            "That email address is taken. Please try another.",
            "form_identifier_exists",
        ),
    )
    .await;
    let output = tools.call("clerk_create_user", json!({"secretKey": KEY, "emailAddress": "ada@example.com"})).await;
    assert_no_key(&output.to_string());
    insta::assert_json_snapshot!("error_422_json", output);
}

#[tokio::test]
async fn an_html_502_page_gives_the_status() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let err = typed_get_user_error(502, None, Some((html, "text/html"))).await;
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 502);
    assert_eq!(api.message, "HTTP 502 Bad Gateway (the body is not a Clerk error)");
    assert_eq!(
        api.body_start.as_deref(),
        Some("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>")
    );
    insta::assert_json_snapshot!("error_502_html", err.to_json());
}

#[tokio::test]
async fn an_empty_error_body_gives_the_status() {
    let err = typed_get_user_error(401, None, Some(("", "application/json"))).await;
    assert!(matches!(err, clerk_tools::Error::Unauthorized(_)), "{err:?}");
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.to_string(), "Clerk API error 401: HTTP 401 Unauthorized");
    let err = typed_get_user_error(503, None, Some(("", "text/plain"))).await;
    assert_eq!(err.to_string(), "Clerk API error 503: HTTP 503 Service Unavailable");
}

#[tokio::test]
async fn truncated_error_json_gives_the_status() {
    let err = typed_get_user_error(422, None, Some(("{\"errors\":[{\"message\":\"That em", "application/json"))).await;
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        err.api_error().and_then(|e| e.body_start.clone()).as_deref(),
        Some("{\"errors\":[{\"message\":\"That em")
    );
}

#[tokio::test]
async fn truncated_success_json_is_a_decode_error_with_the_body_start() {
    let err = typed_get_user_error(200, None, Some(("{\"id\": \"user_1\", \"first_na", "application/json"))).await;
    match &err {
        clerk_tools::Error::Decode { status, body_start, .. } => {
            assert_eq!(*status, 200);
            assert_eq!(body_start, "{\"id\": \"user_1\", \"first_na");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_server_is_a_connection_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let tools = crate::common::client_for(&format!("http://127.0.0.1:{port}/v1"));
    let output = tools.call("clerk_get_user", json!({"secretKey": KEY, "userId": "user_1"})).await;
    assert_eq!(output["success"], false);
    assert_eq!(output["kind"], "connection");
    assert_no_key(&output.to_string());
}
