//! The application invitation tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start};

#[tokio::test]
async fn create_invitation_sends_every_given_field_false_included() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/invitations", 200, fixture("invitation.json")).await;
    let output = tools
        .call(
            "clerk_create_invitation",
            json!({
                "secretKey": KEY,
                "emailAddress": " ada@example.com ",
                "redirectUrl": " https://app.example.com/welcome ",
                "publicMetadata": "{\"plan\": \"pro\"}",
                "notify": false,
                "ignoreExisting": "true",
                "expiresInDays": "7"
            }),
        )
        .await;
    let request = only_request(&server, "/v1/invitations").await;
    assert_eq!(request_line(&request), "POST /v1/invitations");
    assert_eq!(
        json_body(&request),
        json!({
            "email_address": "ada@example.com",
            "redirect_url": "https://app.example.com/welcome",
            "public_metadata": {"plan": "pro"},
            "notify": false,
            "ignore_existing": true,
            "expires_in_days": 7
        })
    );
    insta::assert_json_snapshot!("create_invitation_output", output);
}

#[tokio::test]
async fn create_invitation_sends_only_the_address_when_nothing_else_is_given() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/invitations", 200, fixture("invitation.json")).await;
    tools
        .call(
            "clerk_create_invitation",
            json!({"secretKey": KEY, "emailAddress": "ada@example.com", "redirectUrl": " "}),
        )
        .await;
    let request = only_request(&server, "/v1/invitations").await;
    assert_eq!(json_body(&request), json!({"email_address": "ada@example.com"}));
}

#[tokio::test]
async fn list_invitations_asks_for_the_paginated_form_and_reports_its_total() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/invitations", 200, fixture("invitation_list.json")).await;
    let output = tools
        .call(
            "clerk_list_invitations",
            json!({
                "secretKey": KEY,
                "status": " expired ",
                "query": " example.com ",
                "orderBy": "-expires_at",
                "limit": 2,
                "offset": "0"
            }),
        )
        .await;
    let request = only_request(&server, "/v1/invitations").await;
    assert_eq!(
        request_line(&request),
        "GET /v1/invitations?limit=2&offset=0&order_by=-expires_at&paginated=true&query=example.com&status=expired"
    );
    assert!(request.body.is_empty());
    assert_eq!(output["totalCount"], 42, "the total, not the page length");
    insta::assert_json_snapshot!("list_invitations_output", output);
}

#[tokio::test]
async fn list_invitations_counts_a_bare_array_answer() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/invitations", 200, json!([fixture("invitation.json"), {"id": "inv_minimal"}])).await;
    let output = tools.call("clerk_list_invitations", json!({"secretKey": KEY})).await;
    let request = only_request(&server, "/v1/invitations").await;
    assert_eq!(request_line(&request), "GET /v1/invitations?paginated=true");
    assert_eq!(output["totalCount"], 2);
    assert_eq!(
        output["invitations"][1],
        json!({
            "id": "inv_minimal",
            "emailAddress": null,
            "status": null,
            "url": null,
            "expiresAt": null,
            "revoked": false,
            "publicMetadata": {},
            "createdAt": null,
            "updatedAt": null
        })
    );
}

#[tokio::test]
async fn revoke_invitation_posts_without_a_body() {
    let (server, tools) = start().await;
    let route = "/v1/invitations/inv_2g7np7Hrk0SN6kj5EDMLDaKNL0S/revoke";
    answer(&server, "POST", route, 200, fixture("invitation_revoked.json")).await;
    let output = tools
        .call("clerk_revoke_invitation", json!({"secretKey": KEY, "invitationId": "inv_2g7np7Hrk0SN6kj5EDMLDaKNL0S"}))
        .await;
    let request = only_request(&server, route).await;
    assert_eq!(request_line(&request), format!("POST {route}"));
    assert!(request.body.is_empty());
    assert_eq!((output["status"].as_str(), &output["revoked"]), (Some("revoked"), &json!(true)));
    insta::assert_json_snapshot!("revoke_invitation_output", output);
}
