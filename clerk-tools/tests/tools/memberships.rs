//! The organization membership tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start, with_key};

const ORGANIZATION: &str = "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S";

#[tokio::test]
async fn list_organization_memberships_sends_roles_repeated_and_reports_total_count() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships");
    answer(&server, "GET", &route, 200, fixture("organization_membership_list.json")).await;
    let output = tools
        .call(
            "clerk_list_organization_memberships",
            json!({
                "secretKey": KEY,
                "organizationId": ORGANIZATION,
                "limit": "3",
                "offset": 0,
                "orderBy": " -created_at ",
                "role": "org:admin, ,org:member"
            }),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(
        request_line(&request),
        format!("GET {route}?limit=3&offset=0&order_by=-created_at&role=org%3Aadmin&role=org%3Amember")
    );
    assert!(request.body.is_empty());
    assert_eq!(output["totalCount"], 41, "the total is Clerk's, not the page length");
    insta::assert_json_snapshot!("list_organization_memberships_output", output);
}

#[tokio::test]
async fn list_organization_memberships_without_filters_sends_no_query() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships");
    answer(&server, "GET", &route, 200, json!({"data": [fixture("organization_membership.json")]})).await;
    let output = tools
        .call(
            "clerk_list_organization_memberships",
            json!({"secretKey": KEY, "organizationId": ORGANIZATION, "role": ""}),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(request_line(&request), format!("GET {route}"));
    assert_eq!(output["totalCount"], 1, "without total_count the page length stands in");
}

/// Clerk documents only `{data, total_count}` for this list; every list reads a bare array
/// too (CONTRACTS.md, "Lists of results"), counting its length.
#[tokio::test]
async fn list_organization_memberships_reads_a_bare_array() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships");
    answer(&server, "GET", &route, 200, json!([fixture("organization_membership.json")])).await;
    let output = tools
        .call("clerk_list_organization_memberships", json!({"secretKey": KEY, "organizationId": ORGANIZATION}))
        .await;
    assert_eq!(output["success"], true, "{output}");
    assert_eq!(output["totalCount"], 1, "{output}");
    assert_eq!(output["memberships"][0]["id"], fixture("organization_membership.json")["id"], "{output}");
}

#[tokio::test]
async fn add_organization_member_sends_the_user_and_the_role_only() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships");
    answer(&server, "POST", &route, 200, fixture("organization_membership.json")).await;
    let output = tools
        .call(
            "clerk_add_organization_member",
            json!({
                "secretKey": KEY,
                "organizationId": ORGANIZATION,
                "userId": " user_2h8op3Isl1QR7tKu5FGNfaLKEoU ",
                "role": " org:member "
            }),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(request_line(&request), format!("POST {route}"));
    assert_eq!(json_body(&request), json!({"user_id": "user_2h8op3Isl1QR7tKu5FGNfaLKEoU", "role": "org:member"}));
    insta::assert_json_snapshot!("add_organization_member_output", output);
}

#[tokio::test]
async fn update_organization_membership_sends_the_role_to_the_members_path() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships/user_2h8op3Isl1QR7tKu5FGNfaLKEoU");
    let mut promoted = fixture("organization_membership.json");
    promoted["role"] = json!("org:admin");
    promoted["role_name"] = json!("Admin");
    answer(&server, "PATCH", &route, 200, promoted).await;
    let output = tools
        .call(
            "clerk_update_organization_membership",
            json!({
                "secretKey": KEY,
                "organizationId": ORGANIZATION,
                "userId": "user_2h8op3Isl1QR7tKu5FGNfaLKEoU",
                "role": "org:admin"
            }),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(request_line(&request), format!("PATCH {route}"));
    assert_eq!(json_body(&request), json!({"role": "org:admin"}));
    assert_eq!(output["role"], "org:admin");
    assert_eq!(output["roleName"], "Admin");
    assert_eq!(output["success"], true);
}

#[tokio::test]
async fn remove_organization_member_deletes_without_a_body_and_reports_the_membership() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships/user_2h8op3Isl1QR7tKu5FGNfaLKEoU");
    answer(&server, "DELETE", &route, 200, fixture("organization_membership.json")).await;
    let output = tools
        .call(
            "clerk_remove_organization_member",
            json!({"secretKey": KEY, "organizationId": ORGANIZATION, "userId": "user_2h8op3Isl1QR7tKu5FGNfaLKEoU"}),
        )
        .await;
    let request = only_request(&server, &route).await;
    assert_eq!(request_line(&request), format!("DELETE {route}"));
    assert!(request.body.is_empty());
    insta::assert_json_snapshot!("remove_organization_member_output", output);
}

#[tokio::test]
async fn a_membership_without_user_data_or_organization_still_succeeds() {
    let (server, tools) = start().await;
    let route = format!("/v1/organizations/{ORGANIZATION}/memberships/user_1");
    answer(&server, "DELETE", &route, 200, json!({"id": "orgmem_1", "public_user_data": null})).await;
    let typed = with_key(&tools)
        .remove_organization_member(clerk_tools::RemoveOrganizationMemberInput {
            organization_id: ORGANIZATION.into(),
            user_id: "user_1".into(),
        })
        .await
        .expect("typed call succeeds");
    insta::assert_json_snapshot!("membership_minimal_output", typed);
}
