//! Session tokens over real HTTP: `POST /v1/sessions`, `POST /v1/sessions/{session_id}/tokens`
//! and `GET /v1/jwks`, field for field. (That the tokens verify, and that a reference JWT
//! library agrees, is tested in clerk-auth.)

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::Api;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The header and payload of a compact JWT.
fn decode(jwt: &str) -> (Value, Value) {
    let mut parts = jwt.split('.');
    let mut part = || serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap();
    (part(), part())
}

#[tokio::test]
async fn a_session_created_for_a_member_carries_the_organization_in_its_tokens() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let engine = api.organization("Analytical Engine", &ada).await;

    let session = api.ok(api.post("/sessions", json!({"user_id": ada, "active_organization_id": engine}))).await;
    let session_id = session["id"].as_str().unwrap();
    assert!(session_id.starts_with("sess_"), "{session}");
    assert!(session["client_id"].as_str().unwrap().starts_with("client_"), "{session}");
    assert_eq!(session["object"], "session");
    assert_eq!(session["user_id"], ada.as_str());
    assert_eq!(session["status"], "active");
    assert_eq!(session["last_active_organization_id"], engine.as_str());

    let token = api.ok(api.post(&format!("/sessions/{session_id}/tokens"), json!({}))).await;
    assert_eq!(token.as_object().unwrap().len(), 2, "{token}");
    assert_eq!(token["object"], "token");
    let (header, claims) = decode(token["jwt"].as_str().unwrap());
    assert_eq!(
        header,
        json!({"alg": "RS256", "cat": "cl_B7d4PD111AAA", "kid": api.standin.signing_key_id(), "typ": "JWT"})
    );
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(
        claims,
        json!({
            "exp": iat + 60,
            "iat": iat,
            "iss": "https://clerk.standin.invalid",
            "nbf": iat - 10,
            "o": {"id": engine, "rol": "admin", "slg": "analytical-engine"},
            "sid": session_id,
            "sts": "active",
            "sub": ada,
            "v": 2
        })
    );
}

#[tokio::test]
async fn expires_in_seconds_sets_the_lifetime_within_the_documented_bounds() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let session = api.ok(api.post("/sessions", json!({"user_id": ada}))).await;
    let tokens = format!("/sessions/{}/tokens", session["id"].as_str().unwrap());

    let token = api.ok(api.post(&tokens, json!({"expires_in_seconds": 3600}))).await;
    let (_, claims) = decode(token["jwt"].as_str().unwrap());
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    assert!(claims.get("o").is_none(), "no active organization: {claims}");

    let token = api.ok(api.post(&tokens, json!({"expires_in_seconds": null}))).await;
    let (_, claims) = decode(token["jwt"].as_str().unwrap());
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 60);

    for lifetime in [29, 315_360_001] {
        let code = api
            .fails(api.post(&tokens, json!({"expires_in_seconds": lifetime})), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        assert_eq!(code, "form_param_value_invalid");
    }
    let code = api.fails(api.post(&tokens, json!({"lifetime": 60})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_unknown");
}

#[tokio::test]
async fn sessions_need_a_user_and_a_membership_and_tokens_a_live_session() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let grace = api.user("grace", "grace@example.com").await;
    let compilers = api.organization("Compilers Inc", &grace).await;

    let code = api.fails(api.post("/sessions", json!({})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_missing");
    let code = api.fails(api.post("/sessions", json!({"user_id": "user_nobody"})), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
    let not_a_member = json!({"user_id": ada, "active_organization_id": compilers});
    let code = api.fails(api.post("/sessions", not_a_member), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");

    let session = api.ok(api.post("/sessions", json!({"user_id": ada}))).await;
    let session_id = session["id"].as_str().unwrap();
    api.ok(api.act(&format!("/sessions/{session_id}/revoke"))).await;
    let code = api.fails(api.post(&format!("/sessions/{session_id}/tokens"), json!({})), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn the_jwks_publishes_the_signing_key_under_the_instance_id() {
    let api = Api::start().await;
    let jwks = api.ok(api.get("/jwks")).await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{jwks}");
    let key = keys[0].as_object().unwrap();
    let fields: Vec<&str> = key.keys().map(String::as_str).collect();
    assert_eq!(fields, ["use", "kty", "kid", "alg", "n", "e"]);
    assert_eq!(key["kid"], api.standin.signing_key_id());
    assert!(key["kid"].as_str().unwrap().starts_with("ins_"));
    assert_eq!(
        (&key["use"], &key["kty"], &key["alg"], &key["e"]),
        (&json!("sig"), &json!("RSA"), &json!("RS256"), &json!("AQAB"))
    );
    assert_eq!(URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap().len(), 256, "a 2048-bit modulus");

    let unauthenticated = api.http.get(api.url("/jwks")).send().await.unwrap();
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
}
