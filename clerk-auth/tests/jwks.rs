//! The JWKS cache: one fetch serves every verification, an unknown `kid` refetches at most once
//! per interval however many arrive at once, old keys are refreshed and dropped keys refused,
//! and a failed fetch keeps the keys at hand and reports itself.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_auth::{Jwks, RefreshPolicy, Verifier, VerifyError};
use common::{Instance, compact, header, sign_with_foreign_key};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn forged_with_kid(instance: &Instance, kid: &str) -> String {
    compact(&header(kid, json!({})), &instance.claims(json!({})), sign_with_foreign_key)
}

#[tokio::test]
async fn one_fetch_serves_every_verification_of_known_keys() {
    let instance = Instance::start().await;
    let jwks = Jwks::new(instance.client.clone());
    let verifier = Verifier::from_jwks(jwks.clone());
    let token = instance.token(None).await;
    for _ in 0..100 {
        verifier.verify(&token).await.unwrap();
    }
    assert_eq!(jwks.fetches(), 1);
    assert_eq!(instance.standin.request_count("GET", "/v1/jwks"), 1);
}

#[tokio::test]
async fn concurrent_verifications_share_one_fetch() {
    let instance = Instance::start().await;
    let jwks = Jwks::new(instance.client.clone());
    let verifier = Verifier::from_jwks(jwks.clone());
    let token = Arc::new(instance.token(None).await);
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let verifier = verifier.clone();
            let token = Arc::clone(&token);
            let forged = forged_with_kid(&instance, &format!("ins_forged_{i}"));
            tokio::spawn(async move {
                // Half the tasks bring a known kid, half a made-up one, all before any key is
                // cached.
                if i % 2 == 0 {
                    verifier.verify(&token).await.map(|_| ())
                } else {
                    verifier.verify(&forged).await.map(|_| ())
                }
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let outcome = task.await.unwrap();
        if i % 2 == 0 {
            outcome.unwrap();
        } else {
            assert_eq!(outcome.unwrap_err().reason(), "jwk-kid-mismatch");
        }
    }
    assert_eq!(jwks.fetches(), 1);
    assert_eq!(instance.standin.request_count("GET", "/v1/jwks"), 1);
}

/// A flood of tokens with made-up kids, from many tasks for 2.5 s, with a 1 s interval: the
/// instance sees the first fetch and at most one per interval after it.
#[tokio::test]
async fn a_flood_of_unknown_kids_fetches_at_most_once_per_interval() {
    let instance = Instance::start().await;
    let policy = RefreshPolicy::default().min_interval(Duration::from_secs(1));
    let jwks = Jwks::with_policy(instance.client.clone(), policy);
    let verifier = Verifier::from_jwks(jwks.clone());
    let token = instance.token(None).await;
    verifier.verify(&token).await.unwrap();
    let forged: Arc<Vec<String>> =
        Arc::new((0..256).map(|i| forged_with_kid(&instance, &format!("ins_flood_{i}"))).collect());
    let started = Instant::now();
    let flood = Duration::from_millis(2500);
    let tasks: Vec<_> = (0..8)
        .map(|worker| {
            let verifier = verifier.clone();
            let forged = Arc::clone(&forged);
            tokio::spawn(async move {
                let mut refused = 0;
                let mut i = worker;
                while started.elapsed() < flood {
                    let error = verifier.verify(&forged[i % forged.len()]).await.unwrap_err();
                    assert_eq!(error.reason(), "jwk-kid-mismatch");
                    refused += 1;
                    i += 8;
                }
                refused
            })
        })
        .collect();
    let mut refused = 0;
    for task in tasks {
        refused += task.await.unwrap();
    }
    assert!(refused > 100, "the flood ran: {refused}");
    let fetches = instance.standin.request_count("GET", "/v1/jwks");
    assert!((2..=4).contains(&fetches), "{fetches} fetches for {refused} forged tokens in 2.5 s");
    assert_eq!(jwks.fetches() as usize, fetches);
    // The real token still verifies from the cache throughout.
    verifier.verify(&token).await.unwrap();
}

/// The stand-in's JWKS, and one with the foreign key under another kid.
async fn two_key_sets(instance: &Instance) -> (Value, Value) {
    let jwks = instance.client.get_jwks().send().await.unwrap().into_inner();
    let standin = serde_json::to_value(jwks).unwrap();
    let body: String = common::FOREIGN_KEY_PEM.lines().filter(|line| !line.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let public: ring::rsa::PublicKeyComponents<Vec<u8>> = pair.public().into();
    let foreign = json!({"keys": [{
        "use": "sig", "kty": "RSA", "kid": "ins_rotated", "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(&public.n), "e": URL_SAFE_NO_PAD.encode(&public.e)
    }]});
    (standin, foreign)
}

fn client_of(server: &MockServer) -> clerk_api::Client {
    clerk_api::Client::from_secret_key_with_base_url("sk_test_mock", &server.uri()).unwrap()
}

#[tokio::test]
async fn old_keys_are_refreshed_and_a_dropped_key_is_refused() {
    let instance = Instance::start().await;
    let (standin_keys, rotated_keys) = two_key_sets(&instance).await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&standin_keys))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&rotated_keys))
        .mount(&server)
        .await;
    let policy = RefreshPolicy::default().min_interval(Duration::ZERO).max_age(Duration::from_millis(200));
    let jwks = Jwks::with_policy(client_of(&server), policy);
    let verifier = Verifier::from_jwks(jwks.clone());
    let token = instance.token(None).await;
    verifier.verify(&token).await.unwrap();
    verifier.verify(&token).await.unwrap();
    assert_eq!(jwks.fetches(), 1, "fresh keys are not refetched");

    tokio::time::sleep(Duration::from_millis(250)).await;
    // Too old: refetched, and the instance no longer has that key.
    assert_eq!(verifier.verify(&token).await.unwrap_err().reason(), "jwk-kid-mismatch");
    assert_eq!(jwks.fetches(), 2);
    // The new key is there.
    let rotated = compact(&header("ins_rotated", json!({})), &instance.claims(json!({})), sign_with_foreign_key);
    verifier.verify(&rotated).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer sk_test_mock");
        assert!(request.headers.get("clerk-api-version").is_some());
    }
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_keys_at_hand() {
    let instance = Instance::start().await;
    let (standin_keys, _) = two_key_sets(&instance).await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&standin_keys))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/jwks")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RefreshPolicy::default()
        .min_interval(Duration::ZERO)
        .retry_after_failure(Duration::ZERO)
        .max_age(Duration::ZERO);
    let jwks = Jwks::with_policy(client_of(&server), policy);
    let verifier = Verifier::from_jwks(jwks.clone());
    let token = instance.token(None).await;
    for _ in 0..3 {
        verifier.verify(&token).await.unwrap();
    }
    assert_eq!(jwks.fetches(), 3, "each too-old verification tried to refresh");
}

#[tokio::test]
async fn keys_that_cannot_be_fetched_are_reported_as_such() {
    let instance = Instance::start().await;
    let token = instance.token(None).await;

    // A wrong secret key: the stand-in answers 401.
    let wrong_key =
        clerk_api::Client::from_secret_key_with_base_url("sk_test_wrong", &instance.standin.base_url()).unwrap();
    let error = Verifier::from_client(wrong_key).verify(&token).await.unwrap_err();
    assert_eq!(error.reason(), "jwk-remote-failed-to-load");
    assert!(error.is_server_side());
    assert!(!error.to_string().contains("sk_test_wrong"), "{error}");

    // Nobody listening.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let nowhere =
        clerk_api::Client::from_secret_key_with_base_url("sk_test_x", &format!("http://{closed}/v1")).unwrap();
    let policy = RefreshPolicy::default().retry_after_failure(Duration::from_secs(60));
    let jwks = Jwks::with_policy(nowhere, policy);
    let verifier = Verifier::from_jwks(jwks.clone());
    assert!(matches!(verifier.verify(&token).await, Err(VerifyError::KeysUnavailable(_))));
    // Within the retry interval the failure is reported again without another attempt.
    assert!(matches!(verifier.verify(&token).await, Err(VerifyError::KeysUnavailable(_))));
    assert_eq!(jwks.fetches(), 1);

    // A JWKS without any RS256 signing key.
    let server = MockServer::start().await;
    let unusable = json!({"keys": [
        {"kty": "EC", "kid": instance.kid(), "alg": "ES256", "crv": "P-256", "x": "AA", "y": "AA", "use": "sig"},
        {"kty": "RSA", "kid": instance.kid(), "alg": "RS256", "use": "enc", "n": "AQAB", "e": "AQAB"},
        {"kty": "oct", "kid": instance.kid(), "alg": "HS256", "k": "c2VjcmV0"}
    ]});
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(unusable))
        .mount(&server)
        .await;
    let error = Verifier::from_client(client_of(&server)).verify(&token).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the instance's signing keys could not be loaded: the instance's JWKS holds no RS256 signing key"
    );
}

#[tokio::test]
async fn a_token_without_kid_is_an_unknown_key_and_fetches_nothing() {
    let instance = Instance::start().await;
    let jwks = Jwks::new(instance.client.clone());
    let claims = instance.claims(json!({}));
    let token = instance.standin.sign_token(&header("x", json!({"kid": null})), &claims);
    let error = Verifier::from_jwks(jwks.clone()).verify(&token).await.unwrap_err();
    assert!(matches!(error, VerifyError::UnknownKey { kid: None }), "{error:?}");
    assert_eq!(jwks.fetches(), 0);
}
