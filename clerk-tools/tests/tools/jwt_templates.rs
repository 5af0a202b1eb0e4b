//! The JWT template tools: exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, only_request, request_line, start};

#[tokio::test]
async fn list_jwt_templates_sends_no_query_and_counts_a_bare_array() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/jwt_templates", 200, fixture("jwt_template_list.json")).await;
    let output = tools.call("clerk_list_jwt_templates", json!({"secretKey": KEY})).await;
    let request = only_request(&server, "/v1/jwt_templates").await;
    assert_eq!(request_line(&request), "GET /v1/jwt_templates");
    assert!(request.body.is_empty());
    assert_eq!(output["totalCount"], 2);
    insta::assert_json_snapshot!("list_jwt_templates_output", output);
}

#[tokio::test]
async fn list_jwt_templates_uses_a_total_clerk_sends() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/jwt_templates", 200, json!({"data": [fixture("jwt_template.json")], "total_count": 9}))
        .await;
    let output = tools.call("clerk_list_jwt_templates", json!({"secretKey": KEY})).await;
    assert_eq!(output["totalCount"], 9);
    assert_eq!(output["templates"][0]["name"], "supabase");
}

#[tokio::test]
async fn get_jwt_template_reports_the_template_object() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/jwt_templates/jtmp_2g7np7Hrk0SN6kj5EDMLDaKNL0S", 200, fixture("jwt_template.json"))
        .await;
    let output = tools
        .call("clerk_get_jwt_template", json!({"secretKey": KEY, "templateId": "jtmp_2g7np7Hrk0SN6kj5EDMLDaKNL0S"}))
        .await;
    let request = only_request(&server, "/v1/jwt_templates/jtmp_2g7np7Hrk0SN6kj5EDMLDaKNL0S").await;
    assert_eq!(request_line(&request), "GET /v1/jwt_templates/jtmp_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert!(request.body.is_empty());
    insta::assert_json_snapshot!("get_jwt_template_output", output);
}

#[tokio::test]
async fn a_template_with_fields_missing_gets_the_defaults() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/jwt_templates/jtmp_1", 200, json!({"object": "jwt_template", "id": "jtmp_1"})).await;
    let output = tools.call("clerk_get_jwt_template", json!({"secretKey": KEY, "templateId": "jtmp_1"})).await;
    assert_eq!(
        output,
        json!({
            "id": "jtmp_1",
            "name": null,
            "claims": {},
            "lifetime": null,
            "allowedClockSkew": null,
            "customSigningKey": false,
            "signingAlgorithm": null,
            "createdAt": null,
            "updatedAt": null,
            "success": true
        })
    );
}
