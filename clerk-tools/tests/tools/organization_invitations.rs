//! The organization invitation tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start};

const ORGANIZATION: &str = "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S";

#[tokio::test]
async fn create_organization_invitation_sends_every_given_field() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/invitations");
    answer(&server, "POST", &route, 200, fixture("organization_invitation.json")).await;
    let output = tools
        .call(
            "clerk_create_organization_invitation",
            json!({
                "secretKey": KEY,
                "organizationId": ORGANIZATION,
                "emailAddress": " jane.doe@acme.com ",
                "role": "org:member",
                "inviterUserId": "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
                "redirectUrl": " https://accounts.acme.com/welcome ",
                "expiresInDays": "7",
                "publicMetadata": {"team": "engines"},
                "privateMetadata": "{\"source\": \"referral\"}",
                "notify": false
            }),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(request_line(&request), format!("POST {route}"));
    assert_eq!(
        json_body(&request),
        json!({
            "email_address": "jane.doe@acme.com",
            "role": "org:member",
            "inviter_user_id": "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
            "redirect_url": "https://accounts.acme.com/welcome",
            "expires_in_days": 7,
            "public_metadata": {"team": "engines"},
            "private_metadata": {"source": "referral"},
            "notify": false
        })
    );
    assert_eq!(output["status"], "pending");
    insta::assert_json_snapshot!("create_organization_invitation_output", output);
}

#[tokio::test]
async fn create_organization_invitation_sends_only_what_is_required_when_nothing_else_is_given() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/invitations");
    answer(&server, "POST", &route, 200, fixture("organization_invitation.json")).await;
    tools
        .call(
            "clerk_create_organization_invitation",
            json!({
                "secretKey": KEY,
                "organizationId": ORGANIZATION,
                "emailAddress": "jane.doe@acme.com",
                "role": "org:member",
                "inviterUserId": " ",
                "expiresInDays": "",
                "notify": null
            }),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(json_body(&request), json!({"email_address": "jane.doe@acme.com", "role": "org:member"}));
}

#[tokio::test]
async fn list_organization_invitations_sends_its_filters_and_reports_total_count() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/invitations");
    answer(&server, "GET", &route, 200, fixture("organization_invitation_list.json")).await;
    let output = tools
        .call(
            "clerk_list_organization_invitations",
            json!({
                "secretKey": KEY,
                "organizationId": ORGANIZATION,
                "status": " pending ",
                "emailAddress": " jane.doe@acme.com ",
                "orderBy": "+email_address",
                "limit": 20,
                "offset": "0"
            }),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(
        request_line(&request),
        format!(
            "GET {route}?email_address=jane.doe%40acme.com&limit=20&offset=0&order_by=%2Bemail_address&status=pending"
        )
    );
    assert!(request.body.is_empty());
    assert_eq!(output["totalCount"], 3);
    insta::assert_json_snapshot!("list_organization_invitations_output", output);
}

#[tokio::test]
async fn list_organization_invitations_without_filters_sends_no_query() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/invitations");
    answer(&server, "GET", &route, 200, json!({"data": []})).await;
    let output = tools
        .call("clerk_list_organization_invitations", json!({"secretKey": KEY, "organizationId": ORGANIZATION}))
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(request_line(&request), format!("GET {route}"));
    assert_eq!(output, json!({"invitations": [], "totalCount": 0, "success": true}));
}
