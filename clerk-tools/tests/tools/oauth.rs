//! `clerk_get_user_oauth_token`: the provider's path segment, the output, and the tokens kept
//! out of `Debug`, errors and snapshots.

use serde_json::json;

use crate::common::{KEY, answer, fixture, only_request, request_line, start, with_key};

const USER: &str = "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
const TOKEN: &str = "ya29.a0AfB_byC-fixture-google-access-token";
const SECOND_TOKEN: &str = "ya29.a0AfB_byC-fixture-second-token";

#[tokio::test]
async fn the_provider_gets_one_oauth_prefix_and_no_query_is_sent() {
    for provider in ["google", " oauth_google ", "oauth_google"] {
        let (server, tools) = start().await;
        let route = format!("/v1/users/{USER}/oauth_access_tokens/oauth_google");
        answer(&server, "GET", &route, 200, json!([])).await;
        let output = tools
            .call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": USER, "provider": provider}))
            .await;
        let request = only_request(&server, &route).await;
        assert_eq!(request_line(&request), format!("GET {route}"), "{provider}");
        assert!(request.body.is_empty());
        assert_eq!(output, json!({"accessTokens": [], "success": true}), "an empty list is a success");
    }
    let (server, tools) = start().await;
    let route = format!("/v1/users/{USER}/oauth_access_tokens/oauth_custom_acme");
    answer(&server, "GET", &route, 200, json!([])).await;
    tools
        .call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": USER, "provider": "custom_acme"}))
        .await;
    only_request(&server, &route).await;
}

#[tokio::test]
async fn the_output_carries_the_tokens_and_snapshots_redact_them() {
    let (server, tools) = start().await;
    let route = format!("/v1/users/{USER}/oauth_access_tokens/oauth_google");
    answer(&server, "GET", &route, 200, fixture("oauth_access_tokens.json")).await;
    let output =
        tools.call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": USER, "provider": "google"})).await;
    // Handing the token on is what the tool is for.
    assert_eq!(output["accessTokens"][0]["token"], TOKEN);
    // The second token has only what Clerk always sends: the defaults fill the rest.
    assert_eq!(
        output["accessTokens"][1],
        json!({
            "externalAccountId": "eac_2g7np7Hrk0SecondAccount",
            "token": SECOND_TOKEN,
            "expiresAt": null,
            "provider": null,
            "label": null,
            "scopes": [],
            "publicMetadata": {}
        })
    );
    let text = output.to_string();
    assert!(!text.contains("id_token") && !text.contains("fixture-id-token"), "the ID token is not surfaced");
    insta::assert_json_snapshot!("get_user_oauth_token_output", output, {".accessTokens[].token" => "[credential]"});
}

#[tokio::test]
async fn debug_output_never_shows_a_token() {
    let (server, tools) = start().await;
    let route = format!("/v1/users/{USER}/oauth_access_tokens/oauth_google");
    answer(&server, "GET", &route, 200, fixture("oauth_access_tokens.json")).await;
    let found = with_key(&tools)
        .get_user_oauth_token(clerk_tools::GetUserOAuthTokenInput { user_id: USER.into(), provider: "google".into() })
        .await
        .expect("tokens");
    let token = found.access_tokens[0].token.as_ref().expect("a token");
    assert_eq!(token.expose(), TOKEN);
    let debug = format!("{found:?} {found:#?} {token}");
    for secret in [TOKEN, SECOND_TOKEN, "fixture-google"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("Credential([redacted])"), "{debug}");
}

#[tokio::test]
async fn an_undecodable_answer_keeps_the_token_out_of_the_error() {
    let (server, tools) = start().await;
    let route = format!("/v1/users/{USER}/oauth_access_tokens/oauth_google");
    answer(&server, "GET", &route, 200, json!([{"token": TOKEN, "expires_at": "in an hour"}])).await;
    let output =
        tools.call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": USER, "provider": "google"})).await;
    assert_eq!(output["kind"], "decode", "{output}");
    assert!(!output.to_string().contains(TOKEN), "{output}");
    let err = with_key(&tools)
        .get_user_oauth_token(clerk_tools::GetUserOAuthTokenInput { user_id: USER.into(), provider: "google".into() })
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains(TOKEN) && !text.contains("fixture-google"), "{text}");
    assert!(text.contains("withheld"), "{text}");
}

/// Every list reads both shapes (CONTRACTS.md, "Lists of results"); this one has no `totalCount`.
#[tokio::test]
async fn a_paginated_answer_reads_like_the_bare_array() {
    let (server, tools) = start().await;
    let route = format!("/v1/users/{USER}/oauth_access_tokens/oauth_google");
    let page = json!({"data": fixture("oauth_access_tokens.json"), "total_count": 2});
    answer(&server, "GET", &route, 200, page).await;
    let output =
        tools.call("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": USER, "provider": "google"})).await;
    assert_eq!(output["accessTokens"][1]["token"], SECOND_TOKEN, "{output}");
    assert!(output.get("totalCount").is_none());
}
