//! The session tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, only_request, request_line, start};

#[tokio::test]
async fn list_sessions_asks_for_the_paginated_form_and_reports_its_total() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/sessions", 200, fixture("session_list.json")).await;
    let output = tools
        .call(
            "clerk_list_sessions",
            json!({"secretKey": KEY, "userId": "user_2x1Ada0LoveLace9Q", "status": "pending", "limit": 3, "offset": 0}),
        )
        .await;
    let request = only_request(&server, "/v1/sessions").await;
    assert_eq!(
        request_line(&request),
        "GET /v1/sessions?limit=3&offset=0&paginated=true&status=pending&user_id=user_2x1Ada0LoveLace9Q"
    );
    assert_eq!(output["totalCount"], 12);
    assert_eq!(output["sessions"][2]["status"], "some_status_clerk_adds_later");
    insta::assert_json_snapshot!("list_sessions_output", output);
}

#[tokio::test]
async fn list_sessions_counts_a_bare_array_answer() {
    let (server, tools) = start().await;
    let session = fixture("session.json");
    answer(&server, "GET", "/v1/sessions", 200, json!([session.clone(), session])).await;
    let output = tools.call("clerk_list_sessions", json!({"secretKey": KEY, "clientId": "client_2x1Browser"})).await;
    let request = only_request(&server, "/v1/sessions").await;
    assert_eq!(request_line(&request), "GET /v1/sessions?client_id=client_2x1Browser&paginated=true");
    assert_eq!(output["totalCount"], 2);
    assert_eq!(output["sessions"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn get_session_reports_the_session_object() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/sessions/sess_2x1SessionPending", 200, fixture("session.json")).await;
    let output =
        tools.call("clerk_get_session", json!({"secretKey": KEY, "sessionId": "sess_2x1SessionPending"})).await;
    let request = only_request(&server, "/v1/sessions/sess_2x1SessionPending").await;
    assert_eq!(request_line(&request), "GET /v1/sessions/sess_2x1SessionPending");
    insta::assert_json_snapshot!("get_session_output", output);
}

#[tokio::test]
async fn revoke_session_posts_without_a_body() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/sessions/sess_2x1SessionPending/revoke", 200, fixture("session_revoked.json")).await;
    let output =
        tools.call("clerk_revoke_session", json!({"secretKey": KEY, "sessionId": "sess_2x1SessionPending"})).await;
    let request = only_request(&server, "/v1/sessions/sess_2x1SessionPending/revoke").await;
    assert_eq!(request_line(&request), "POST /v1/sessions/sess_2x1SessionPending/revoke");
    assert!(request.body.is_empty());
    assert_eq!(output["status"], "revoked");
    insta::assert_json_snapshot!("revoke_session_output", output);
}
