//! The allowlist and blocklist tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start};

#[tokio::test]
async fn list_allowlist_asks_for_the_paginated_form_and_reports_its_total() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/allowlist_identifiers", 200, fixture("allowlist_identifier_list.json")).await;
    let output =
        tools.call("clerk_list_allowlist_identifiers", json!({"secretKey": KEY, "limit": "2", "offset": 0})).await;
    let request = only_request(&server, "/v1/allowlist_identifiers").await;
    assert_eq!(request_line(&request), "GET /v1/allowlist_identifiers?limit=2&offset=0&paginated=true");
    assert!(request.body.is_empty());
    assert_eq!(output["totalCount"], 17, "the total, not the page length");
    insta::assert_json_snapshot!("list_allowlist_identifiers_output", output);
}

#[tokio::test]
async fn list_allowlist_counts_a_bare_array_answer() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/allowlist_identifiers", 200, json!([fixture("allowlist_identifier.json"), {}])).await;
    let output = tools.call("clerk_list_allowlist_identifiers", json!({"secretKey": KEY})).await;
    let request = only_request(&server, "/v1/allowlist_identifiers").await;
    assert_eq!(request_line(&request), "GET /v1/allowlist_identifiers?paginated=true");
    assert_eq!(output["totalCount"], 2);
    assert_eq!(
        output["identifiers"][1],
        json!({
            "id": null,
            "identifier": null,
            "identifierType": null,
            "invitationId": null,
            "createdAt": null,
            "updatedAt": null
        })
    );
}

#[tokio::test]
async fn create_allowlist_identifier_sends_the_trimmed_identifier_and_a_false_notify() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/allowlist_identifiers", 200, fixture("allowlist_identifier.json")).await;
    let output = tools
        .call(
            "clerk_create_allowlist_identifier",
            json!({"secretKey": KEY, "identifier": "  ada@example.com ", "notify": "false"}),
        )
        .await;
    let request = only_request(&server, "/v1/allowlist_identifiers").await;
    assert_eq!(request_line(&request), "POST /v1/allowlist_identifiers");
    assert_eq!(json_body(&request), json!({"identifier": "ada@example.com", "notify": false}));
    insta::assert_json_snapshot!("create_allowlist_identifier_output", output);
}

#[tokio::test]
async fn create_allowlist_identifier_leaves_out_a_notify_not_given() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/allowlist_identifiers", 200, fixture("allowlist_identifier.json")).await;
    tools.call("clerk_create_allowlist_identifier", json!({"secretKey": KEY, "identifier": "*@example.com"})).await;
    let request = only_request(&server, "/v1/allowlist_identifiers").await;
    assert_eq!(json_body(&request), json!({"identifier": "*@example.com"}));
}

#[tokio::test]
async fn deletes_report_the_deleted_object_with_their_defaults() {
    for (tool, collection, object) in [
        ("clerk_delete_allowlist_identifier", "allowlist_identifiers", "allowlist_identifier"),
        ("clerk_delete_blocklist_identifier", "blocklist_identifiers", "blocklist_identifier"),
    ] {
        let (server, tools) = start().await;
        let route = format!("/v1/{collection}/idn_2x1Entry");
        answer(&server, "DELETE", &route, 200, json!({"object": object, "id": "idn_2x1Entry", "deleted": true})).await;
        let output = tools.call(tool, json!({"secretKey": KEY, "identifierId": "idn_2x1Entry"})).await;
        let request = only_request(&server, &route).await;
        assert_eq!(request_line(&request), format!("DELETE {route}"));
        assert!(request.body.is_empty());
        assert_eq!(output, json!({"id": "idn_2x1Entry", "object": object, "deleted": true, "success": true}));

        // Clerk's DeletedObject requires only `object` and `deleted`; an empty answer still
        // means the entry is gone.
        let (server, tools) = start().await;
        answer(&server, "DELETE", &route, 200, json!({})).await;
        let output = tools.call(tool, json!({"secretKey": KEY, "identifierId": "idn_2x1Entry"})).await;
        assert_eq!(output, json!({"id": "idn_2x1Entry", "object": object, "deleted": true, "success": true}));
    }
}

#[tokio::test]
async fn list_blocklist_sends_no_query_and_reports_clerks_total() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/blocklist_identifiers", 200, fixture("blocklist_identifier_list.json")).await;
    let output = tools.call("clerk_list_blocklist_identifiers", json!({"secretKey": KEY})).await;
    let request = only_request(&server, "/v1/blocklist_identifiers").await;
    assert_eq!(request_line(&request), "GET /v1/blocklist_identifiers");
    assert!(request.body.is_empty());
    assert_eq!(output["totalCount"], 2);
    insta::assert_json_snapshot!("list_blocklist_identifiers_output", output);
}

#[tokio::test]
async fn list_blocklist_without_a_total_counts_the_entries() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/blocklist_identifiers", 200, json!({"data": [{"id": "blid_1"}]})).await;
    let output = tools.call("clerk_list_blocklist_identifiers", json!({"secretKey": KEY})).await;
    assert_eq!(
        output,
        json!({
            "identifiers": [{"id": "blid_1", "identifier": null, "identifierType": null, "createdAt": null, "updatedAt": null}],
            "totalCount": 1,
            "success": true
        })
    );
    // A bare array, which every list reads (CONTRACTS.md, "Lists of results").
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/blocklist_identifiers", 200, json!([{"id": "blid_1"}, {"id": "blid_2"}])).await;
    let output = tools.call("clerk_list_blocklist_identifiers", json!({"secretKey": KEY})).await;
    assert_eq!((output["totalCount"].clone(), output["identifiers"][1]["id"].clone()), (json!(2), json!("blid_2")));
}

#[tokio::test]
async fn create_blocklist_identifier_sends_only_the_identifier() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/blocklist_identifiers", 200, fixture("blocklist_identifier.json")).await;
    let output = tools
        .call("clerk_create_blocklist_identifier", json!({"secretKey": KEY, "identifier": " +15555550199 "}))
        .await;
    let request = only_request(&server, "/v1/blocklist_identifiers").await;
    assert_eq!(request_line(&request), "POST /v1/blocklist_identifiers");
    assert_eq!(json_body(&request), json!({"identifier": "+15555550199"}));
    assert!(output.get("invitationId").is_none(), "blocklist entries have no invitation");
    insta::assert_json_snapshot!("create_blocklist_identifier_output", output);
}
