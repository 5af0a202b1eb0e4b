//! Session tokens minted by the stand-in verify, with their claims typed; every forgery and
//! every wrong claim is refused with its own reason, with keys from the JWKS and from the PEM
//! alike.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use clerk_auth::{ActiveOrganization, Actor, SessionStatus, Verifier, VerifyError};
use common::{Instance, corpus, now};
use serde_json::json;

/// The verdict on each token of the corpus: `Ok(())` or the reason, with authorized parties
/// unset or set to `https://app.example.com`.
fn expected(name: &str, with_parties: bool) -> Result<(), &'static str> {
    let reason = match name {
        "minted"
        | "minted for an hour"
        | "signed with an actor"
        | "expired within the skew"
        | "not yet valid within the skew"
        | "wrong azp" => {
            return if with_parties { Err("token-invalid-authorized-parties") } else { Ok(()) };
        }
        "signed with azp" => return Ok(()),
        "expired" => "token-expired",
        "not yet valid" => "token-not-active-yet",
        "issued in the future" => "token-iat-in-the-future",
        "without exp" | "without sub" | "without sid" | "exp as text" => "token-invalid-claims",
        "an M2M token of the instance" | "a token of another type" => "token-not-a-session-token",
        "alg none" | "alg none with the signature kept" | "HS256 keyed with the public key" | "ES256" => {
            "token-invalid-algorithm"
        }
        "a foreign key under the instance's kid" | "tampered payload" | "truncated signature" => {
            "token-invalid-signature"
        }
        "an unknown kid" => "jwk-kid-mismatch",
        "oversized" => "token-too-large",
        "two parts" | "four parts" | "not base64" | "header not JSON" | "empty" | "critical extensions" => {
            "token-invalid"
        }
        other => panic!("no verdict for {other:?}"),
    };
    Err(reason)
}

async fn check_corpus(instance: &Instance, verifier: &Verifier, with_parties: bool, pem: bool) {
    // Judged at an instant taken before minting, so that the tokens within the skew of their
    // limits keep their verdict on a slow run.
    let at = UNIX_EPOCH + Duration::from_secs(now() as u64);
    for (name, token) in corpus(instance).await {
        let mut want = expected(name, with_parties);
        // With a PEM the key is the one given whatever the kid says, as in Clerk's SDKs: an
        // unknown kid is then a signature check against the instance's key.
        if pem && name == "an unknown kid" {
            want = Err("token-invalid-signature");
        }
        let got = verifier.verify_at(&token, at).await.map(|_| ()).map_err(|error| error.reason());
        assert_eq!(got, want, "{name} (authorized parties: {with_parties}, PEM: {pem})");
    }
}

#[tokio::test]
async fn every_token_of_the_corpus_gets_its_verdict_from_the_jwks() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_client(instance.client.clone());
    check_corpus(&instance, &verifier, false, false).await;
    let verifier = verifier.authorized_parties(["https://app.example.com"]);
    check_corpus(&instance, &verifier, true, false).await;
}

#[tokio::test]
async fn every_token_of_the_corpus_gets_its_verdict_from_the_pem() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_jwt_key(&instance.standin.jwt_public_key_pem()).unwrap();
    check_corpus(&instance, &verifier, false, true).await;
    let verifier = verifier.authorized_parties(["https://app.example.com"]);
    check_corpus(&instance, &verifier, true, true).await;
    assert_eq!(instance.standin.request_count("GET", "/v1/jwks"), 0, "networkless");
}

#[tokio::test]
async fn a_minted_token_becomes_a_typed_session() {
    let instance = Instance::start().await;
    let token = instance.token(Some(120)).await;
    let session = Verifier::from_client(instance.client.clone()).verify(&token).await.unwrap();
    assert_eq!(session.user_id, instance.user_id);
    assert_eq!(session.session_id, instance.session_id);
    assert_eq!(session.status, Some(SessionStatus::Active));
    assert_eq!(session.version, Some(2));
    assert_eq!(session.issuer.as_deref(), Some("https://clerk.standin.invalid"));
    assert_eq!(session.authorized_party, None);
    assert_eq!(session.actor, None);
    assert_eq!(session.factor_verification_age, None);
    let organization = session.organization.clone().unwrap();
    assert_eq!(organization.id, instance.organization_id);
    assert_eq!(organization.slug.as_deref(), Some("analytical-engine"));
    assert_eq!(organization.role.as_deref(), Some("org:admin"));
    assert_eq!(organization.permissions, Vec::<String>::new());
    let iat = session.issued_at.unwrap();
    assert!((now() - iat).abs() <= 2);
    assert_eq!(session.expires_at, iat + 120);
    assert_eq!(session.not_before, Some(iat - 10));
    assert_eq!(session.claims(), common::payload(&token).as_object().unwrap().clone());
    assert_eq!(session.claim::<String>("sts").as_deref(), Some("active"));
    assert_eq!(session.claim::<i64>("sts"), None);
}

#[tokio::test]
async fn version_2_and_original_claims_are_typed_alike() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_jwt_key(&instance.standin.jwt_public_key_pem()).unwrap();
    let v2 = instance.signed(json!({
        "sts": "pending",
        "act": {"sub": "user_support", "type": "agent"},
        "fva": [3, -1],
        "fea": "o:impersonation,u:billing,o:memberships",
        "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "1,3"},
        "plan": "pro"
    }));
    let session = verifier.verify(&v2).await.unwrap();
    assert_eq!(session.status, Some(SessionStatus::Pending));
    let actor = session.actor.clone().unwrap();
    assert_eq!((actor.subject.as_str(), actor.kind.as_deref()), ("user_support", Some("agent")));
    let age = session.factor_verification_age.unwrap();
    assert_eq!((age.first_factor, age.second_factor), (Some(Duration::from_secs(180)), None));
    let organization = session.organization.clone().unwrap();
    assert_eq!(
        (organization.id.as_str(), organization.slug.as_deref(), organization.role.as_deref()),
        ("org_1", Some("acme"), Some("org:admin"))
    );
    assert_eq!(organization.permissions, ["org:impersonation:read", "org:memberships:read", "org:memberships:manage"]);
    assert_eq!(session.claim::<String>("plan").as_deref(), Some("pro"));

    let original = instance.signed(json!({
        "v": null,
        "sts": "something new",
        "org_id": "org_1",
        "org_slug": "acme",
        "org_role": "org:admin",
        "org_permissions": ["org:impersonation:read", "org:memberships:read", "org:memberships:manage"]
    }));
    let session = verifier.verify(&original).await.unwrap();
    assert_eq!(session.version, None);
    assert_eq!(session.status, Some(SessionStatus::Other("something new".into())));
    assert_eq!(session.organization, Some(organization));
    let _: Option<Actor> = session.actor;
    let _: Option<ActiveOrganization> = None;
}

#[tokio::test]
async fn the_clock_skew_is_configurable() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_jwt_key(&instance.standin.jwt_public_key_pem()).unwrap();
    let just_expired = instance.signed(json!({"exp": now() - 20}));
    assert_eq!(verifier.verify(&just_expired).await.unwrap_err().reason(), "token-expired");
    let lenient = verifier.clone().clock_skew(Duration::from_secs(60));
    assert!(lenient.verify(&just_expired).await.is_ok());
    let strict = verifier.clock_skew(Duration::ZERO);
    let almost_expired = instance.signed(json!({"exp": now() - 1}));
    match strict.verify(&almost_expired).await.unwrap_err() {
        VerifyError::Expired { expired_at, now: at } => assert!(expired_at < at),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn errors_say_what_is_wrong_without_the_token() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_client(instance.client.clone()).authorized_parties(["https://app.example.com"]);
    for (name, token) in corpus(&instance).await {
        if let Err(error) = verifier.verify(&token).await {
            let message = error.to_string();
            assert!(!message.is_empty());
            if token.len() > 20 {
                assert!(!message.contains(&token[token.len() - 20..]), "{name}: {message}");
            }
            assert!(!message.contains(common::SECRET_KEY), "{name}: {message}");
        }
    }
    let expired = instance.signed(json!({"exp": 1_700_000_000, "iat": 1_699_999_000, "nbf": 1_699_999_000}));
    let message = verifier.verify(&expired).await.unwrap_err().to_string();
    assert!(message.starts_with("the token expired at 1700000000 (Unix time), "), "{message}");
    let forged = common::compact(&common::header(instance.kid(), json!({"alg": "HS256"})), &json!({}), |_| vec![1]);
    assert_eq!(
        verifier.verify(&forged).await.unwrap_err().to_string(),
        "the token's algorithm \"HS256\" is not accepted: Clerk session tokens are signed with RS256"
    );
}
