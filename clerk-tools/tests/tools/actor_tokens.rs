//! The actor token tools: exact requests and outputs, and the token and its link kept out of
//! `Debug`, errors and snapshots.

use serde_json::{Value, json};

use crate::common::{KEY, answer, fixture, json_body, only_request, request_line, start, with_key};

const TOKEN_PART: &str = "fixture-actor-signature";

fn token_and_url() -> (String, String) {
    let created = fixture("actor_token.json");
    let text = |field: &str| created[field].as_str().map(str::to_string).unwrap_or_default();
    (text("token"), text("url"))
}

#[tokio::test]
async fn create_actor_token_sends_the_actor_and_the_given_durations() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/actor_tokens", 200, fixture("actor_token.json")).await;
    let output = tools
        .call(
            "clerk_create_actor_token",
            json!({
                "secretKey": KEY,
                "userId": " user_2g7np7Hrk0SN6kj5EDMLDaKNL0S ",
                "actor": "{\"sub\": \"user_2OEpKhcCN1Lat9NQ0G6puh7q5Rb\"}",
                "expiresInSeconds": "600",
                "sessionMaxDurationInSeconds": 300
            }),
        )
        .await;
    let request = only_request(&server, "/v1/actor_tokens").await;
    assert_eq!(request_line(&request), "POST /v1/actor_tokens");
    assert_eq!(
        json_body(&request),
        json!({
            "user_id": "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
            "actor": {"sub": "user_2OEpKhcCN1Lat9NQ0G6puh7q5Rb"},
            "expires_in_seconds": 600,
            "session_max_duration_in_seconds": 300
        })
    );
    let (token, url) = token_and_url();
    // Handing them on is what the tool is for.
    assert_eq!((output["token"].as_str(), output["url"].as_str()), (Some(token.as_str()), Some(url.as_str())));
    assert_eq!(output["status"], "pending");
    assert!(output.get("expiresAt").is_none(), "Clerk's actor token has no expiry");
    insta::assert_json_snapshot!("create_actor_token_output", output, {
        ".token" => "[credential]",
        ".url" => "[credential]",
    });
}

#[tokio::test]
async fn create_actor_token_leaves_out_durations_not_given() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/actor_tokens", 200, fixture("actor_token.json")).await;
    tools
        .call(
            "clerk_create_actor_token",
            json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": "user_2"}, "expiresInSeconds": ""}),
        )
        .await;
    let request = only_request(&server, "/v1/actor_tokens").await;
    assert_eq!(json_body(&request), json!({"user_id": "user_1", "actor": {"sub": "user_2"}}));
}

/// `actor` is sent whole: keys beside `sub` go into the session token (CONTRACTS.md, `clerk_create_actor_token`).
#[tokio::test]
async fn create_actor_token_sends_every_key_of_the_actor() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/actor_tokens", 200, fixture("actor_token.json")).await;
    let actor = json!({"sub": "user_2", "reason": "ticket 42", "support": {"tier": 2}});
    let output =
        tools.call("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": actor})).await;
    assert_eq!(output["success"], true, "{output}");
    let request = only_request(&server, "/v1/actor_tokens").await;
    assert_eq!(json_body(&request), json!({"user_id": "user_1", "actor": actor}));
}

#[tokio::test]
async fn revoke_actor_token_posts_without_a_body() {
    let (server, tools) = start().await;
    let route = "/v1/actor_tokens/act_2g7np7Hrk0SN6kj5EDMLDaKNL0S/revoke";
    answer(&server, "POST", route, 200, fixture("actor_token_revoked.json")).await;
    let output = tools
        .call("clerk_revoke_actor_token", json!({"secretKey": KEY, "actorTokenId": "act_2g7np7Hrk0SN6kj5EDMLDaKNL0S"}))
        .await;
    let request = only_request(&server, route).await;
    assert_eq!(request_line(&request), format!("POST {route}"));
    assert!(request.body.is_empty());
    assert_eq!(
        (output["status"].as_str(), &output["token"], &output["url"]),
        (Some("revoked"), &Value::Null, &Value::Null)
    );
    insta::assert_json_snapshot!("revoke_actor_token_output", output);
}

#[tokio::test]
async fn an_actor_token_with_fields_missing_gets_the_defaults() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/actor_tokens/act_1/revoke", 200, json!({"id": "act_1"})).await;
    let output = tools.call("clerk_revoke_actor_token", json!({"secretKey": KEY, "actorTokenId": "act_1"})).await;
    assert_eq!(
        output,
        json!({
            "id": "act_1",
            "status": null,
            "userId": null,
            "actor": {},
            "token": null,
            "url": null,
            "createdAt": null,
            "updatedAt": null,
            "success": true
        })
    );
}

#[tokio::test]
async fn clerks_refusal_to_revoke_is_an_api_error() {
    let (server, tools) = start().await;
    let refusal = json!({
        "errors": [{
            "message": "cannot revoke",
            "long_message": "Actor token cannot be revoked because its status is revoked. Only pending tokens can be revoked.",
            "code": "actor_token_cannot_be_revoked_code"
        }],
        "clerk_trace_id": "trace_actor"
    });
    answer(&server, "POST", "/v1/actor_tokens/act_1/revoke", 400, refusal).await;
    let output = tools.call("clerk_revoke_actor_token", json!({"secretKey": KEY, "actorTokenId": "act_1"})).await;
    assert_eq!(output["success"], false);
    assert_eq!((output["kind"].as_str(), output["httpStatus"].as_i64()), (Some("api_error"), Some(400)));
    assert_eq!(output["code"], "actor_token_cannot_be_revoked_code");
}

#[tokio::test]
async fn debug_output_never_shows_the_token_or_its_link() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/actor_tokens", 200, fixture("actor_token.json")).await;
    let created = with_key(&tools)
        .create_actor_token(clerk_tools::CreateActorTokenInput {
            user_id: "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S".into(),
            actor: json!({"sub": "user_2OEpKhcCN1Lat9NQ0G6puh7q5Rb"}).as_object().cloned(),
            ..Default::default()
        })
        .await
        .expect("created");
    let (token, url) = token_and_url();
    assert_eq!(created.token.as_ref().map(|t| t.expose()), Some(token.as_str()));
    assert_eq!(created.url.as_ref().map(|u| u.expose()), Some(url.as_str()));
    let debug = format!("{created:?} {created:#?}");
    assert!(!debug.contains(TOKEN_PART) && !debug.contains("tickets/accept"), "{debug}");
}

#[tokio::test]
async fn an_undecodable_answer_keeps_the_token_out_of_the_error() {
    let (server, tools) = start().await;
    let (token, url) = token_and_url();
    answer(&server, "POST", "/v1/actor_tokens", 200, json!({"token": token, "url": url, "created_at": "just now"}))
        .await;
    let output = tools
        .call("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": "user_2"}}))
        .await;
    assert_eq!(output["kind"], "decode", "{output}");
    assert!(!output.to_string().contains(TOKEN_PART), "{output}");
    let err = with_key(&tools)
        .create_actor_token(clerk_tools::CreateActorTokenInput {
            user_id: "user_1".into(),
            actor: json!({"sub": "user_2"}).as_object().cloned(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains(TOKEN_PART) && !text.contains("tickets/accept"), "{text}");
}

/// The snapshots show where the credentials go, never what they are.
#[test]
fn no_snapshot_holds_a_credential() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/snapshots");
    let mut read = 0;
    for entry in std::fs::read_dir(dir).expect("the snapshot directory") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for credential in [TOKEN_PART, "tickets/accept", "fixture-google-access-token", "fixture-second-token"] {
            assert!(!text.contains(credential), "{} holds a credential", path.display());
        }
        read += 1;
    }
    assert!(read > 10, "only {read} snapshots found in {dir}");
}
