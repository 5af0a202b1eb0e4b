//! The organization tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start};

#[tokio::test]
async fn list_organizations_sends_its_parameters_and_reports_total_count() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/organizations", 200, fixture("organization_list.json")).await;
    let output = tools
        .call(
            "clerk_list_organizations",
            json!({
                "secretKey": KEY,
                "limit": 2,
                "offset": "0",
                "includeMembersCount": true,
                "query": " engine ",
                "orderBy": "-members_count"
            }),
        )
        .await;
    let request = only_request(&server, "/v1/organizations").await;
    assert_eq!(
        request_line(&request),
        "GET /v1/organizations?include_members_count=true&limit=2&offset=0&order_by=-members_count&query=engine"
    );
    assert_eq!(output["totalCount"], 57);
    insta::assert_json_snapshot!("list_organizations_output", output);
}

#[tokio::test]
async fn get_organization_accepts_an_id_or_a_slug() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/organizations/analytical-engine", 200, fixture("organization.json")).await;
    let output =
        tools.call("clerk_get_organization", json!({"secretKey": KEY, "organizationId": "analytical-engine"})).await;
    let request = only_request(&server, "/v1/organizations/analytical-engine").await;
    assert_eq!(request_line(&request), "GET /v1/organizations/analytical-engine");
    insta::assert_json_snapshot!("get_organization_output", output);
}

#[tokio::test]
async fn create_organization_sends_the_given_fields() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/organizations", 200, fixture("organization.json")).await;
    let output = tools
        .call(
            "clerk_create_organization",
            json!({
                "secretKey": KEY,
                "name": " Analytical Engine ",
                "createdBy": "user_2x1Ada0LoveLace9Q",
                "slug": "analytical-engine",
                "maxAllowedMemberships": "0",
                "publicMetadata": {"tier": "gold"},
                "privateMetadata": "{\"billing\": \"invoice\"}"
            }),
        )
        .await;
    let request = only_request(&server, "/v1/organizations").await;
    assert_eq!(request_line(&request), "POST /v1/organizations");
    assert_eq!(
        json_body(&request),
        json!({
            "name": "Analytical Engine",
            "created_by": "user_2x1Ada0LoveLace9Q",
            "slug": "analytical-engine",
            "max_allowed_memberships": 0,
            "public_metadata": {"tier": "gold"},
            "private_metadata": {"billing": "invoice"}
        })
    );
    insta::assert_json_snapshot!("create_organization_output", output);
}

#[tokio::test]
async fn create_organization_sends_only_what_is_required_when_nothing_else_is_given() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/organizations", 200, fixture("organization.json")).await;
    tools
        .call(
            "clerk_create_organization",
            json!({"secretKey": KEY, "name": "Acme", "createdBy": "user_1", "slug": " "}),
        )
        .await;
    let request = only_request(&server, "/v1/organizations").await;
    assert_eq!(json_body(&request), json!({"name": "Acme", "created_by": "user_1"}));
}
