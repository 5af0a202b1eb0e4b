//! Moderating users (ban, unban, lock, unlock) and their OAuth access tokens, over real HTTP.

mod common;

use common::{Api, error_code};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_ban_revokes_the_users_sessions_until_it_is_lifted() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let grace = api.user("grace", "grace@example.com").await;
    let ended = api.standin.add_session(&ada, "client_laptop", "ended");
    let laptop = api.standin.add_session(&ada, "client_laptop", "active");
    let phone = api.standin.add_session(&ada, "client_phone", "active");
    let graces = api.standin.add_session(&grace, "client_graces", "active");
    let before = api.ok(api.get(&format!("/users/{ada}"))).await;
    assert_eq!((&before["banned"], &before["locked"]), (&json!(false), &json!(false)));

    let banned = api.ok(api.act(&format!("/users/{ada}/ban"))).await;
    assert_eq!(banned["object"], "user");
    assert_eq!(banned["id"], ada.as_str());
    assert_eq!(banned["banned"], true);
    assert!(banned["updated_at"].as_i64() > before["updated_at"].as_i64());
    assert_eq!(api.ok(api.get(&format!("/users/{ada}"))).await, banned);
    let status = |id: &str| {
        let path = format!("/sessions/{id}");
        let api = &api;
        async move { api.ok(api.get(&path)).await["status"].clone() }
    };
    assert_eq!(status(&laptop).await, "revoked");
    assert_eq!(status(&phone).await, "revoked");
    assert_eq!(status(&ended).await, "ended", "a session already over stays as it was");
    assert_eq!(status(&graces).await, "active", "other users' sessions are untouched");
    let active = api.ok(api.get(&format!("/sessions?user_id={ada}&status=active"))).await;
    assert_eq!(active, json!([]));

    let again = api.ok(api.act(&format!("/users/{ada}/ban"))).await;
    assert_eq!(again, banned, "banning twice changes nothing");

    let unbanned = api.ok(api.act(&format!("/users/{ada}/unban"))).await;
    assert_eq!(unbanned["banned"], false);
    assert!(unbanned["updated_at"].as_i64() > banned["updated_at"].as_i64());
    assert_eq!(status(&laptop).await, "revoked", "lifting the ban brings no session back");

    // A ban shows in the member's public data too.
    let engine = api.organization("Engine", &grace).await;
    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": ada, "role": "org:member"})))
        .await;
    api.ok(api.act(&format!("/users/{ada}/ban"))).await;
    let members = api.ok(api.get(&format!("/organizations/{engine}/memberships?user_id={ada}"))).await;
    assert_eq!(members["data"][0]["public_user_data"]["banned"], true);
}

#[tokio::test]
async fn a_lock_lasts_until_unlocked() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let session = api.standin.add_session(&ada, "client_1", "active");

    let locked = api.ok(api.act(&format!("/users/{ada}/lock"))).await;
    assert_eq!(locked["locked"], true);
    assert_eq!(locked["lockout_expires_in_seconds"], Value::Null, "an indefinite lock has no countdown");
    assert_eq!(locked["banned"], false);
    assert_eq!(api.ok(api.get(&format!("/sessions/{session}"))).await["status"], "active", "a lock revokes nothing");
    assert_eq!(api.ok(api.act(&format!("/users/{ada}/lock"))).await, locked, "locking twice changes nothing");

    let unlocked = api.ok(api.act(&format!("/users/{ada}/unlock"))).await;
    assert_eq!(unlocked["locked"], false);
    assert_eq!(unlocked["lockout_expires_in_seconds"], Value::Null);
    assert!(unlocked["updated_at"].as_i64() > locked["updated_at"].as_i64());
}

#[tokio::test]
async fn moderation_of_an_unknown_user_is_a_404() {
    let api = Api::start().await;
    for action in ["ban", "unban", "lock", "unlock"] {
        let (status, body) = api.act(&format!("/users/user_nobody/{action}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{action}");
        assert_eq!(error_code(&body), "resource_not_found");
        assert_eq!(body["errors"][0]["long_message"], "User not found");
    }
    // GET is not a moderation method.
    let code = api.fails(api.get("/users/user_nobody/ban"), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn oauth_access_tokens_by_provider() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let path = format!("/users/{ada}/oauth_access_tokens/oauth_google");
    assert_eq!(api.ok(api.get(&path)).await, json!([]), "no connected account yet");

    let account = api.standin.add_oauth_token(&ada, "oauth_google", "ya29.test-token", &["openid", "email"]);
    assert!(account.starts_with("eac_"), "{account}");
    api.standin.add_oauth_token(&ada, "oauth_github", "gho_test", &[]);

    let tokens = api.ok(api.get(&path)).await;
    let tokens = tokens.as_array().expect("a bare array");
    assert_eq!(tokens.len(), 1);
    let token = &tokens[0];
    assert_eq!(token["object"], "oauth_access_token");
    assert_eq!(token["external_account_id"], account.as_str());
    assert!(token["provider_user_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(token["token"], "ya29.test-token");
    assert_eq!(token["provider"], "oauth_google");
    assert_eq!(token["public_metadata"], json!({}));
    assert_eq!(token["label"], Value::Null);
    assert_eq!(token["scopes"], json!(["openid", "email"]));
    let expires_at = token["expires_at"].as_i64().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    // The stand-in's clock may run a few milliseconds ahead of the wall clock.
    assert!(expires_at > now && expires_at <= now + 3_601_000, "an hour from now: {expires_at}");

    let paginated = api.ok(api.get(&format!("{path}?paginated=true"))).await;
    assert_eq!(paginated["total_count"], 1);
    assert_eq!(paginated["data"][0], *token);
    let github = api.ok(api.get(&format!("/users/{ada}/oauth_access_tokens/oauth_github"))).await;
    assert_eq!(github[0]["token"], "gho_test");
    assert_eq!(github[0]["scopes"], json!([]));
    assert_eq!(api.ok(api.get(&format!("/users/{ada}/oauth_access_tokens/oauth_discord"))).await, json!([]));

    let code = api.fails(api.get(&format!("/users/{ada}/oauth_access_tokens/google")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "oauth_token_provider_not_enabled", "provider ids start with oauth_");
    let code = api.fails(api.get("/users/user_nobody/oauth_access_tokens/oauth_google"), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");

    // The tokens go with the user.
    api.ok(api.delete(&format!("/users/{ada}"))).await;
    let code = api.fails(api.get(&path), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn the_demo_user_ada_has_a_google_token() {
    let api = Api::with_demo_data().await;
    let ada = api.ok(api.get("/users?username=ada")).await[0]["id"].as_str().unwrap().to_owned();
    let tokens = api.ok(api.get(&format!("/users/{ada}/oauth_access_tokens/oauth_google"))).await;
    assert_eq!(tokens[0]["provider"], "oauth_google");
    assert_eq!(tokens[0]["scopes"], json!(["openid", "email", "profile"]));
}
