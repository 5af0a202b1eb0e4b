//! API keys, M2M tokens and OAuth access tokens: the exact request each verification sends, the
//! typed result of Clerk's answer (the document's examples), and each refusal.

use clerk_auth::machine::{MachineTokenError, verify_api_key, verify_m2m_token, verify_oauth_access_token};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_KEY: &str = "sk_test_machine_suite";

async fn server_answering(route: &str, sent: Value, status: u16, answer: Value) -> (MockServer, clerk_api::Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .and(header("authorization", format!("Bearer {SECRET_KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(sent))
        .respond_with(ResponseTemplate::new(status).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let client = clerk_api::Client::from_secret_key_with_base_url(SECRET_KEY, &server.uri()).unwrap();
    (server, client)
}

fn api_key(changes: Value) -> Value {
    let mut key = json!({
        "object": "api_key",
        "id": "ak_3beecc9c60adb5f9b850e91a8ee1e992",
        "type": "api_key",
        "subject": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "name": "MY_SERVICE_API_KEY",
        "description": "This is my API Key",
        "claims": {"foo": "bar"},
        "scopes": ["read", "write"],
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": 1716883200000_i64,
        "created_by": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "last_used_at": 1716883100000_i64,
        "created_at": 1716883000000_i64,
        "updated_at": 1716883050000_i64
    });
    for (name, value) in changes.as_object().unwrap() {
        key[name] = value.clone();
    }
    key
}

#[tokio::test]
async fn an_api_key_is_verified_and_typed() {
    let (_server, client) =
        server_answering("/api_keys/verify", json!({"secret": "ak_secret"}), 200, api_key(json!({}))).await;
    let key = verify_api_key(&client, "ak_secret").await.unwrap();
    assert_eq!(key.id, "ak_3beecc9c60adb5f9b850e91a8ee1e992");
    assert_eq!(key.subject, "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk");
    assert_eq!(key.name, "MY_SERVICE_API_KEY");
    assert_eq!(key.description.as_deref(), Some("This is my API Key"));
    assert_eq!(key.kind, "api_key");
    assert_eq!(key.scopes, ["read", "write"]);
    assert_eq!(key.claims, Some(json!({"foo": "bar"})));
    assert_eq!(key.created_by.as_deref(), Some("user_2xhFjEI5X2qWRvtV13BzSj8H6Dk"));
    assert_eq!(key.expires_at, Some(1716883200000));
    assert_eq!(key.last_used_at, Some(1716883100000));
    assert_eq!((key.created_at, key.updated_at), (1716883000000, 1716883050000));
}

#[tokio::test]
async fn revoked_and_expired_api_keys_are_refused() {
    let revoked = api_key(json!({"revoked": true, "revocation_reason": "leaked"}));
    let (_server, client) = server_answering("/api_keys/verify", json!({"secret": "ak_1"}), 200, revoked).await;
    let error = verify_api_key(&client, "ak_1").await.unwrap_err();
    assert!(matches!(&error, MachineTokenError::Revoked { reason: Some(reason) } if reason == "leaked"), "{error:?}");
    assert_eq!(error.to_string(), "the token was revoked: leaked");

    let expired = api_key(json!({"expired": true, "claims": null}));
    let (_server, client) = server_answering("/api_keys/verify", json!({"secret": "ak_2"}), 200, expired).await;
    assert!(matches!(verify_api_key(&client, "ak_2").await, Err(MachineTokenError::Expired)));
}

#[tokio::test]
async fn an_unknown_api_key_is_not_verified() {
    let not_found = json!({"errors": [{"message": "not found", "long_message": "API key not found", "code": "resource_not_found"}]});
    let (_server, client) = server_answering("/api_keys/verify", json!({"secret": "ak_nope"}), 404, not_found).await;
    let error = verify_api_key(&client, "ak_nope").await.unwrap_err();
    assert!(matches!(error, MachineTokenError::NotVerified(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("Clerk did not verify the token: "), "{message}");
    assert!(!message.contains(SECRET_KEY), "{message}");
}

#[tokio::test]
async fn an_m2m_token_is_verified_and_typed() {
    let answer = json!({
        "object": "machine_to_machine_token",
        "id": "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e",
        "subject": "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "claims": {"important_metadata": "Some useful data"},
        "scopes": ["mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk", "mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"],
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": null,
        "last_used_at": null,
        "created_at": 1716883200000_i64,
        "updated_at": 1716883200000_i64
    });
    let (_server, client) = server_answering("/m2m_tokens/verify", json!({"token": "mt_secret"}), 200, answer).await;
    let token = verify_m2m_token(&client, "mt_secret").await.unwrap();
    assert_eq!(token.id, "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e");
    assert_eq!(token.subject, "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk");
    assert_eq!(token.scopes, ["mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk", "mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"]);
    assert_eq!(token.claims, Some(json!({"important_metadata": "Some useful data"})));
    assert_eq!((token.expires_at, token.last_used_at), (None, None));
    assert_eq!((token.created_at, token.updated_at), (1716883200000, 1716883200000));
}

#[tokio::test]
async fn an_oauth_access_token_is_verified_and_typed() {
    let answer = json!({
        "object": "clerk_idp_oauth_access_token",
        "id": "oat_0ef5a7a33d87ed87ee7954c845d80450",
        "client_id": "client_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "subject": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "scopes": ["read", "write"],
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": 1716883200000_i64,
        "created_at": 1716883000000_i64,
        "updated_at": 1716883000000_i64
    });
    let sent = json!({"access_token": "oat_secret"});
    let (_server, client) = server_answering("/oauth_applications/access_tokens/verify", sent, 200, answer).await;
    let token = verify_oauth_access_token(&client, "oat_secret").await.unwrap();
    assert_eq!(token.id, "oat_0ef5a7a33d87ed87ee7954c845d80450");
    assert_eq!(token.client_id, "client_2xhFjEI5X2qWRvtV13BzSj8H6Dk");
    assert_eq!(token.subject, "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk");
    assert_eq!(token.scopes, ["read", "write"]);
    assert_eq!(token.expires_at, Some(1716883200000));
}

#[tokio::test]
async fn an_inactive_jwt_access_token_is_expired() {
    let sent = json!({"access_token": "eyJ.x.y"});
    let (_server, client) =
        server_answering("/oauth_applications/access_tokens/verify", sent, 200, json!({"active": false})).await;
    assert!(matches!(verify_oauth_access_token(&client, "eyJ.x.y").await, Err(MachineTokenError::Expired)));
}

/// The generated client reads every field of an answer as optional; a verification whose
/// answer lacks what a verified key has, or does not say whether it is revoked, verifies
/// nothing.
#[tokio::test]
async fn an_answer_without_the_keys_facts_is_not_verified() {
    for (field, answer) in [("id", api_key(json!({"id": null}))), ("revoked", api_key(json!({"revoked": null})))] {
        let (_server, client) = server_answering("/api_keys/verify", json!({"secret": "ak_3"}), 200, answer).await;
        let error = verify_api_key(&client, "ak_3").await.unwrap_err();
        assert!(matches!(error, MachineTokenError::NotVerified(_)), "{error:?}");
        assert_eq!(error.to_string(), format!("Clerk did not verify the token: Clerk's answer has no `{field}`"));
    }
}
