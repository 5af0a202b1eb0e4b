//! The user tools: exact requests and outputs.

use serde_json::json;

use crate::common::{
    KEY, answer, assert_no_key, fixture, json_body, only_request, received, request_line, start, with_key,
};

#[tokio::test]
async fn list_users_sends_repeated_filters_and_counts_with_the_same_filters() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/users", 200, fixture("user_list.json")).await;
    answer(&server, "GET", "/v1/users/count", 200, json!({"object": "total_count", "total_count": 1234})).await;

    let output = tools
        .call(
            "clerk_list_users",
            json!({
                "secretKey": KEY,
                "limit": "2",
                "offset": 40,
                "orderBy": " -created_at ",
                "emailAddress": "ada@example.com, grace@example.com,,",
                "phoneNumber": "",
                "externalId": null,
                "username": " ada ",
                "userId": "user_1,user_2",
                "query": "  lovelace "
            }),
        )
        .await;

    let list = only_request(&server, "/v1/users").await;
    assert_eq!(
        request_line(&list),
        "GET /v1/users?email_address=ada%40example.com&email_address=grace%40example.com&limit=2&offset=40\
         &order_by=-created_at&query=lovelace&user_id=user_1&user_id=user_2&username=ada"
    );
    assert!(list.body.is_empty());
    let count = only_request(&server, "/v1/users/count").await;
    assert_eq!(
        request_line(&count),
        "GET /v1/users/count?email_address=ada%40example.com&email_address=grace%40example.com\
         &query=lovelace&user_id=user_1&user_id=user_2&username=ada"
    );
    assert_eq!(output["totalCount"], 1234, "the total comes from /users/count, not the page length");
    assert_no_key(&output.to_string());
    insta::assert_json_snapshot!("list_users_output", output);
}

#[tokio::test]
async fn list_users_without_filters_sends_no_query() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/users", 200, json!([])).await;
    answer(&server, "GET", "/v1/users/count", 200, json!({"object": "total_count", "total_count": 0})).await;
    let output = tools.call("clerk_list_users", json!({"secretKey": KEY})).await;
    assert_eq!(output, json!({"users": [], "totalCount": 0, "success": true}));
    let lines: Vec<String> = received(&server).await.iter().map(request_line).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.contains(&"GET /v1/users".to_string()), "{lines:?}");
    assert!(lines.contains(&"GET /v1/users/count".to_string()), "{lines:?}");
}

#[tokio::test]
async fn get_user_reports_every_contract_field() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/users/user_2x1Ada0LoveLace9Q", 200, fixture("user.json")).await;
    let output = tools.call("clerk_get_user", json!({"secretKey": KEY, "userId": " user_2x1Ada0LoveLace9Q "})).await;
    let request = only_request(&server, "/v1/users/user_2x1Ada0LoveLace9Q").await;
    assert_eq!(request_line(&request), "GET /v1/users/user_2x1Ada0LoveLace9Q");
    assert_eq!(output["emailAddresses"][0]["verified"], true);
    assert_eq!(output["emailAddresses"][1]["verified"], false, "`transferable` is not verified");
    assert_eq!(output["lastActiveAt"], 1717200000000_i64);
    insta::assert_json_snapshot!("get_user_output", output);
}

#[tokio::test]
async fn get_user_fills_defaults_for_what_clerk_left_out() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/users/user_2x1Minimal", 200, fixture("user_minimal.json")).await;
    let output = tools.call("clerk_get_user", json!({"secretKey": KEY, "userId": "user_2x1Minimal"})).await;
    insta::assert_json_snapshot!("get_user_minimal_output", output);
}

#[tokio::test]
async fn create_user_sends_arrays_trimmed_text_exact_passwords_and_false_booleans() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/users", 200, fixture("user.json")).await;
    let output = tools
        .call(
            "clerk_create_user",
            json!({
                "secretKey": KEY,
                "emailAddress": "ada@example.com , countess@example.org",
                "phoneNumber": "+15555550100",
                "username": "  ada ",
                "password": "  spaces kept  ",
                "firstName": "Ada",
                "lastName": "   ",
                "externalId": "ext-42",
                "publicMetadata": "{\"plan\": \"pro\"}",
                "privateMetadata": {"stripe_customer": "cus_123"},
                "unsafeMetadata": {},
                "skipPasswordChecks": false,
                "skipPasswordRequirement": "true"
            }),
        )
        .await;
    let request = only_request(&server, "/v1/users").await;
    assert_eq!(request_line(&request), "POST /v1/users");
    assert_eq!(
        json_body(&request),
        json!({
            "email_address": ["ada@example.com", "countess@example.org"],
            "phone_number": ["+15555550100"],
            "username": "ada",
            "password": "  spaces kept  ",
            "first_name": "Ada",
            "external_id": "ext-42",
            "public_metadata": {"plan": "pro"},
            "private_metadata": {"stripe_customer": "cus_123"},
            "unsafe_metadata": {},
            "skip_password_checks": false,
            "skip_password_requirement": true
        })
    );
    insta::assert_json_snapshot!("create_user_output", output);
}

#[tokio::test]
async fn update_user_sends_profile_and_metadata_to_their_own_endpoints() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/users/user_2x1Ada0LoveLace9Q", 200, fixture("user.json")).await;
    let mut replaced = fixture("user.json");
    replaced["public_metadata"] = json!({});
    answer(&server, "PUT", "/v1/users/user_2x1Ada0LoveLace9Q/metadata", 200, replaced).await;
    let output = tools
        .call(
            "clerk_update_user",
            json!({
                "secretKey": KEY,
                "userId": "user_2x1Ada0LoveLace9Q",
                "lastName": " King ",
                "username": "",
                "primaryEmailAddressId": "idn_2x1EmailPrimary",
                "publicMetadata": {},
                "privateMetadata": "{\"tier\": 2}",
                "skipPasswordChecks": true
            }),
        )
        .await;
    let lines: Vec<String> = received(&server).await.iter().map(request_line).collect();
    assert_eq!(lines, ["PATCH /v1/users/user_2x1Ada0LoveLace9Q", "PUT /v1/users/user_2x1Ada0LoveLace9Q/metadata"]);
    let patch = only_request(&server, "/v1/users/user_2x1Ada0LoveLace9Q").await;
    assert_eq!(
        json_body(&patch),
        json!({"last_name": "King", "primary_email_address_id": "idn_2x1EmailPrimary", "skip_password_checks": true})
    );
    let put = only_request(&server, "/v1/users/user_2x1Ada0LoveLace9Q/metadata").await;
    assert_eq!(json_body(&put), json!({"public_metadata": {}, "private_metadata": {"tier": 2}}));
    // The output is the user from the last answer.
    assert_eq!(output["publicMetadata"], json!({}));
    insta::assert_json_snapshot!("update_user_output", output);
}

#[tokio::test]
async fn update_user_sends_only_the_requests_needed() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/users/user_1", 200, fixture("user.json")).await;
    answer(&server, "PUT", "/v1/users/user_1/metadata", 200, fixture("user.json")).await;
    let profile_only =
        tools.call("clerk_update_user", json!({"secretKey": KEY, "userId": "user_1", "firstName": "Ada"})).await;
    assert_eq!(profile_only["success"], true, "{profile_only}");
    let lines: Vec<String> = received(&server).await.iter().map(request_line).collect();
    assert_eq!(lines, ["PATCH /v1/users/user_1"]);

    server.reset().await;
    answer(&server, "PUT", "/v1/users/user_1/metadata", 200, fixture("user.json")).await;
    let metadata_only = tools
        .call("clerk_update_user", json!({"secretKey": KEY, "userId": "user_1", "unsafeMetadata": {"theme": "dark"}}))
        .await;
    assert_eq!(metadata_only["success"], true, "{metadata_only}");
    let put = only_request(&server, "/v1/users/user_1/metadata").await;
    assert_eq!(json_body(&put), json!({"unsafe_metadata": {"theme": "dark"}}));
    assert_eq!(received(&server).await.len(), 1, "no PATCH without profile fields");
}

#[tokio::test]
async fn update_user_says_what_was_applied_when_the_metadata_fails() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/users/user_1", 200, fixture("user.json")).await;
    answer(
        &server,
        "PUT",
        "/v1/users/user_1/metadata",
        422,
        json!({"errors": [{"message": "metadata too large", "code": "form_param_exceeds_allowed_size"}], "clerk_trace_id": "trace_meta"}),
    )
    .await;
    let output = tools
        .call(
            "clerk_update_user",
            json!({"secretKey": KEY, "userId": "user_1", "firstName": "Ada", "lastName": "King", "publicMetadata": {"a": 1}}),
        )
        .await;
    assert_eq!(output["kind"], "partially_applied");
    assert_eq!(output["applied"], json!(["firstName", "lastName"]));
    assert_eq!(output["notApplied"], json!(["publicMetadata"]));
    assert_eq!(output["httpStatus"], 422);
    assert_eq!(output["traceId"], "trace_meta");
    insta::assert_json_snapshot!("update_user_partially_applied", output);
}

#[tokio::test]
async fn delete_user_reports_the_deleted_object() {
    let (server, tools) = start().await;
    answer(
        &server,
        "DELETE",
        "/v1/users/user_2x1Ada0LoveLace9Q",
        200,
        json!({"object": "user", "id": "user_2x1Ada0LoveLace9Q", "deleted": true}),
    )
    .await;
    let output = tools.call("clerk_delete_user", json!({"secretKey": KEY, "userId": "user_2x1Ada0LoveLace9Q"})).await;
    let request = only_request(&server, "/v1/users/user_2x1Ada0LoveLace9Q").await;
    assert_eq!(request_line(&request), "DELETE /v1/users/user_2x1Ada0LoveLace9Q");
    assert!(request.body.is_empty());
    assert_eq!(output, json!({"id": "user_2x1Ada0LoveLace9Q", "object": "user", "deleted": true, "success": true}));
    insta::assert_json_snapshot!("delete_user_output", output);
}

#[tokio::test]
async fn the_typed_interface_gives_the_same_output() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/users/user_2x1Ada0LoveLace9Q", 200, fixture("user.json")).await;
    let typed = with_key(&tools)
        .get_user(clerk_tools::GetUserInput { user_id: "user_2x1Ada0LoveLace9Q".into() })
        .await
        .expect("typed call succeeds");
    let json = tools.call("clerk_get_user", json!({"secretKey": KEY, "userId": "user_2x1Ada0LoveLace9Q"})).await;
    assert_eq!(serde_json::to_value(&typed).unwrap(), json);
}
