//! The organization tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start, with_key};

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

#[tokio::test]
async fn update_organization_sends_only_the_given_fields() {
    let (server, tools) = start().await;
    let route = "/v1/organizations/org_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    answer(&server, "PATCH", route, 200, fixture("organization_updated.json")).await;
    let output = tools
        .call(
            "clerk_update_organization",
            json!({
                "secretKey": KEY,
                "organizationId": " org_2g7np7Hrk0SN6kj5EDMLDaKNL0S ",
                "name": " Acme Corp Updated ",
                "slug": "acme-corp-updated",
                "maxAllowedMemberships": "10",
                "adminDeleteEnabled": "false"
            }),
        )
        .await;
    let request = only_request(&server, route).await;
    assert_eq!(request_line(&request), "PATCH /v1/organizations/org_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert_eq!(
        json_body(&request),
        json!({
            "name": "Acme Corp Updated",
            "slug": "acme-corp-updated",
            "max_allowed_memberships": 10,
            "admin_delete_enabled": false
        })
    );
    insta::assert_json_snapshot!("update_organization_output", output);
}

#[tokio::test]
async fn update_organization_sends_a_single_change_alone() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/organizations/org_1", 200, fixture("organization.json")).await;
    let output = tools
        .call(
            "clerk_update_organization",
            json!({"secretKey": KEY, "organizationId": "org_1", "name": " ", "maxAllowedMemberships": 0}),
        )
        .await;
    assert_eq!(output["success"], true, "{output}");
    let request = only_request(&server, "/v1/organizations/org_1").await;
    assert_eq!(json_body(&request), json!({"max_allowed_memberships": 0}));
}

#[tokio::test]
async fn delete_organization_reports_the_deleted_object() {
    let (server, tools) = start().await;
    let route = "/v1/organizations/org_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    // Clerk's `organization.deleted` payload: the slug rides along.
    answer(
        &server,
        "DELETE",
        route,
        200,
        json!({"object": "organization", "id": "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "slug": "acme-corp", "deleted": true}),
    )
    .await;
    let output = tools
        .call(
            "clerk_delete_organization",
            json!({"secretKey": KEY, "organizationId": "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S"}),
        )
        .await;
    let request = only_request(&server, route).await;
    assert_eq!(request_line(&request), "DELETE /v1/organizations/org_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert!(request.body.is_empty());
    insta::assert_json_snapshot!("delete_organization_output", output);
}

#[tokio::test]
async fn delete_organization_fills_what_clerk_leaves_out() {
    let (server, tools) = start().await;
    answer(&server, "DELETE", "/v1/organizations/org_1", 200, json!({})).await;
    let output = tools.call("clerk_delete_organization", json!({"secretKey": KEY, "organizationId": "org_1"})).await;
    assert_eq!(output, json!({"id": "org_1", "object": "organization", "deleted": true, "success": true}));
    answer(&server, "DELETE", "/v1/organizations/org_2", 200, json!({"object": "org", "deleted": false})).await;
    let typed = with_key(&tools)
        .delete_organization(clerk_tools::DeleteOrganizationInput { organization_id: "org_2".into() })
        .await
        .expect("typed call succeeds");
    assert_eq!(
        typed,
        clerk_tools::DeletedObjectOutput {
            id: Some("org_2".into()),
            object: "org".into(),
            deleted: false,
            success: true
        }
    );
}

#[tokio::test]
async fn merge_organization_metadata_sends_the_objects_as_given_nulls_included() {
    let (server, tools) = start().await;
    let route = "/v1/organizations/org_2g7np7Hrk0SN6kj5EDMLDaKNL0S/metadata";
    answer(&server, "PATCH", route, 200, fixture("organization_updated.json")).await;
    let output = tools
        .call(
            "clerk_merge_organization_metadata",
            json!({
                "secretKey": KEY,
                "organizationId": "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
                "publicMetadata": {"department": "engineering", "trial": null, "limits": {"seats": 10}},
                "privateMetadata": "{\"internal_id\": \"ORG-123\", \"legacy\": null}"
            }),
        )
        .await;
    let request = only_request(&server, route).await;
    assert_eq!(request_line(&request), "PATCH /v1/organizations/org_2g7np7Hrk0SN6kj5EDMLDaKNL0S/metadata");
    assert_eq!(
        json_body(&request),
        json!({
            "public_metadata": {"department": "engineering", "trial": null, "limits": {"seats": 10}},
            "private_metadata": {"internal_id": "ORG-123", "legacy": null}
        })
    );
    assert_eq!(output["publicMetadata"], json!({"department": "engineering"}));
    insta::assert_json_snapshot!("merge_organization_metadata_output", output);
}

#[tokio::test]
async fn merge_organization_metadata_sends_only_the_field_given() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/organizations/org_1/metadata", 200, json!({"id": "org_1"})).await;
    let output = tools
        .call(
            "clerk_merge_organization_metadata",
            json!({"secretKey": KEY, "organizationId": "org_1", "privateMetadata": {}, "publicMetadata": null}),
        )
        .await;
    let request = only_request(&server, "/v1/organizations/org_1/metadata").await;
    assert_eq!(json_body(&request), json!({"private_metadata": {}}));
    // An answer with almost nothing in it still gives every field of the organization object.
    insta::assert_json_snapshot!("merge_organization_metadata_minimal_output", output);
}
