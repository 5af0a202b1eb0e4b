//! What the test files share: a stand-in with a user and a session, tokens it mints through
//! the Backend API, and forgeries of every kind.
// Each test file uses a different part of it.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use clerk_standin::StandIn;
use serde_json::{Value, json};

pub const SECRET_KEY: &str = "sk_test_clerk_auth_suite";

/// A key of nobody's instance, to sign forgeries with.
pub const FOREIGN_KEY_PEM: &str = include_str!("../resources/foreign-signing-key.pem");

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A client of the stand-in (plain HTTP, so no TLS provider is needed; the generated client's
/// constructor installs one anyway).
pub fn client(standin: &StandIn) -> clerk_api::Client {
    clerk_api::Client::from_secret_key_with_base_url(standin.secret_key(), &standin.base_url()).unwrap()
}

/// A stand-in with Ada, her organization, and a live session in it.
pub struct Instance {
    pub standin: StandIn,
    pub client: clerk_api::Client,
    pub user_id: String,
    pub session_id: String,
    pub organization_id: String,
}

impl Instance {
    pub async fn start() -> Instance {
        let standin = StandIn::start(SECRET_KEY).await.unwrap();
        let client = client(&standin);
        let user = client
            .create_user()
            .body(clerk_api::types::CreateUserBody {
                username: Some("ada".into()),
                email_address: vec!["ada@example.com".into()],
                ..Default::default()
            })
            .send()
            .await
            .unwrap()
            .into_inner();
        let user_id = user.id.unwrap();
        let organization = client
            .create_organization()
            .body(
                clerk_api::types::CreateOrganizationBody::builder()
                    .name("Analytical Engine")
                    .created_by(user_id.clone()),
            )
            .send()
            .await
            .unwrap()
            .into_inner();
        let organization_id = organization.id.unwrap();
        let session = client
            .create_session()
            .body(clerk_api::types::CreateSessionBody {
                user_id: user_id.clone(),
                active_organization_id: Some(organization_id.clone()),
            })
            .send()
            .await
            .unwrap()
            .into_inner();
        Instance { standin, client, user_id, session_id: session.id.unwrap(), organization_id }
    }

    /// A session token minted by the stand-in through `POST /sessions/{session_id}/tokens`.
    pub async fn token(&self, expires_in_seconds: Option<i64>) -> String {
        self.client
            .create_session_token()
            .session_id(&self.session_id)
            .body(clerk_api::types::CreateSessionTokenBody { expires_in_seconds })
            .send()
            .await
            .unwrap()
            .into_inner()
            .jwt
            .unwrap()
    }

    /// Claims as the stand-in's tokens have them, valid for a minute, with `changes` merged in
    /// (`null` removes a claim).
    pub fn claims(&self, changes: Value) -> Value {
        let now = now();
        let mut claims = json!({
            "exp": now + 60,
            "iat": now,
            "iss": "https://clerk.standin.invalid",
            "nbf": now - 10,
            "sid": self.session_id,
            "sts": "active",
            "sub": self.user_id,
            "v": 2,
        });
        for (name, value) in changes.as_object().unwrap() {
            if value.is_null() {
                claims.as_object_mut().unwrap().remove(name);
            } else {
                claims[name] = value.clone();
            }
        }
        claims
    }

    /// A token with `changes` to the usual claims, signed by the stand-in's key.
    pub fn signed(&self, changes: Value) -> String {
        self.standin.sign_session_token(&self.claims(changes))
    }

    /// `claims` under the session header with `changes`, signed by the stand-in's key: a
    /// token the instance signed that is still no session token.
    pub fn signed_with_header(&self, changes: Value, claims: &Value) -> String {
        self.standin.sign_token(&header(self.kid(), changes), claims)
    }

    pub fn kid(&self) -> &str {
        self.standin.signing_key_id()
    }
}

/// A compact JWT of `header` and `claims` with the given signature bytes.
pub fn compact(header: &Value, claims: &Value, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> String {
    let signing_input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let signature = sign(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// RS256 with another key than the instance's.
pub fn sign_with_foreign_key(message: &[u8]) -> Vec<u8> {
    let body: String = FOREIGN_KEY_PEM.lines().filter(|line| !line.starts_with("-----")).collect();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap();
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(&ring::signature::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), message, &mut signature).unwrap();
    signature
}

/// HS256 keyed with `secret`: the classic confusion attack when `secret` is the public key.
pub fn sign_hs256(secret: &[u8], message: &[u8]) -> Vec<u8> {
    ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret), message).as_ref().to_vec()
}

/// The header of the stand-in's session tokens, with `changes`.
pub fn header(kid: &str, changes: Value) -> Value {
    let mut header = json!({"alg": "RS256", "cat": "cl_B7d4PD111AAA", "kid": kid, "typ": "JWT"});
    for (name, value) in changes.as_object().unwrap() {
        if value.is_null() {
            header.as_object_mut().unwrap().remove(name);
        } else {
            header[name] = value.clone();
        }
    }
    header
}

/// `token` with its payload replaced by `claims`, the signature kept.
pub fn with_payload(token: &str, claims: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2])
}

/// The decoded payload of a compact JWT.
pub fn payload(token: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

/// Every kind of token the suite checks, by name: minted by the stand-in, signed by its key
/// with one claim wrong, and forged. The verdicts are in `forgeries.rs` and, for PyJWT, in
/// `pyjwt.rs`.
pub async fn corpus(instance: &Instance) -> Vec<(&'static str, String)> {
    let kid = instance.kid().to_owned();
    let now = now();
    let minted = instance.token(None).await;
    let public_pem = instance.standin.jwt_public_key_pem();
    let claims = instance.claims(json!({}));
    vec![
        ("minted", minted.clone()),
        ("minted for an hour", instance.token(Some(3600)).await),
        ("signed with an actor", instance.signed(json!({"act": {"sub": "user_admin"}}))),
        ("signed with azp", instance.signed(json!({"azp": "https://app.example.com"}))),
        ("expired", instance.signed(json!({"exp": now - 60, "iat": now - 120, "nbf": now - 130}))),
        ("expired within the skew", instance.signed(json!({"exp": now - 2}))),
        ("not yet valid", instance.signed(json!({"nbf": now + 60}))),
        ("not yet valid within the skew", instance.signed(json!({"nbf": now + 2}))),
        ("issued in the future", instance.signed(json!({"iat": now + 60}))),
        ("without exp", instance.signed(json!({"exp": null}))),
        ("without sub", instance.signed(json!({"sub": null}))),
        ("without sid", instance.signed(json!({"sid": null}))),
        ("exp as text", instance.signed(json!({"exp": "tomorrow"}))),
        ("wrong azp", instance.signed(json!({"azp": "https://evil.example.com"}))),
        ("an M2M token of the instance", instance.signed_with_header(json!({"cat": "cl_B7d4PD333AAA"}), &claims)),
        ("a token of another type", instance.signed_with_header(json!({"typ": "at+jwt"}), &claims)),
        ("critical extensions", instance.signed_with_header(json!({"crit": ["exp"]}), &claims)),
        ("alg none", compact(&header(&kid, json!({"alg": "none"})), &claims, |_| Vec::new())),
        ("alg none with the signature kept", {
            let parts: Vec<&str> = minted.split('.').collect();
            format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode(header(&kid, json!({"alg": "none"})).to_string()),
                parts[1],
                parts[2]
            )
        }),
        ("HS256 keyed with the public key", {
            compact(&header(&kid, json!({"alg": "HS256"})), &claims, |input| sign_hs256(public_pem.as_bytes(), input))
        }),
        ("ES256", compact(&header(&kid, json!({"alg": "ES256"})), &claims, |_| vec![7; 64])),
        ("a foreign key under the instance's kid", compact(&header(&kid, json!({})), &claims, sign_with_foreign_key)),
        ("an unknown kid", compact(&header("ins_forged", json!({})), &claims, sign_with_foreign_key)),
        ("tampered payload", with_payload(&minted, &json!({"sub": "user_admin", "exp": now + 3600, "sid": "sess_x"}))),
        ("truncated signature", minted[..minted.len() - 10].to_owned()),
        ("oversized", instance.signed(json!({"padding": "x".repeat(20_000)}))),
        ("two parts", minted.rsplit_once('.').unwrap().0.to_owned()),
        ("four parts", format!("{minted}.e30")),
        ("not base64", "!!!.@@@.###".to_owned()),
        ("header not JSON", format!("{}.e30.AAAA", URL_SAFE_NO_PAD.encode("not json"))),
        ("empty", String::new()),
    ]
}
