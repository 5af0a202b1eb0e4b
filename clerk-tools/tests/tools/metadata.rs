//! `clerk_merge_user_metadata`: one PATCH to the metadata endpoint with what is given, nulls
//! included.

use serde_json::json;

use crate::common::{KEY, answer, fixture, json_body, only_request, received, request_line, start};

#[tokio::test]
async fn merge_sends_the_given_metadata_with_its_nulls() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/users/user_2x1Ada0LoveLace9Q/metadata", 200, fixture("user.json")).await;
    let output = tools
        .call(
            "clerk_merge_user_metadata",
            json!({
                "secretKey": KEY,
                "userId": "user_2x1Ada0LoveLace9Q",
                "publicMetadata": {"plan": "pro", "trial": null, "limits": {"seats": 3, "old": null}},
                "privateMetadata": "{\"stripe_customer\": null}",
                "unsafeMetadata": null
            }),
        )
        .await;
    let request = only_request(&server, "/v1/users/user_2x1Ada0LoveLace9Q/metadata").await;
    assert_eq!(request_line(&request), "PATCH /v1/users/user_2x1Ada0LoveLace9Q/metadata");
    assert_eq!(
        json_body(&request),
        json!({
            "public_metadata": {"plan": "pro", "trial": null, "limits": {"seats": 3, "old": null}},
            "private_metadata": {"stripe_customer": null}
        })
    );
    assert_eq!(received(&server).await.len(), 1, "one request: neither the user PATCH nor the metadata PUT");
    assert_eq!(output["success"], true, "{output}");
    assert_eq!(output["publicMetadata"], json!({"plan": "pro", "seats": 3}), "the user as Clerk answered");
}

#[tokio::test]
async fn merge_outputs_what_update_user_outputs() {
    let (server, tools) = start().await;
    answer(&server, "PATCH", "/v1/users/user_2x1Ada0LoveLace9Q/metadata", 200, fixture("user.json")).await;
    answer(&server, "PUT", "/v1/users/user_2x1Ada0LoveLace9Q/metadata", 200, fixture("user.json")).await;
    let merged = tools
        .call(
            "clerk_merge_user_metadata",
            json!({"secretKey": KEY, "userId": "user_2x1Ada0LoveLace9Q", "unsafeMetadata": {"theme": "light"}}),
        )
        .await;
    let updated = tools
        .call(
            "clerk_update_user",
            json!({"secretKey": KEY, "userId": "user_2x1Ada0LoveLace9Q", "unsafeMetadata": {"theme": "light"}}),
        )
        .await;
    assert_eq!(merged, updated);
    insta::assert_json_snapshot!("merge_user_metadata_output", merged);
}
