//! Whatever arrives, verification answers with an error and never panics: arbitrary bytes,
//! arbitrary JWT-shaped text, real tokens with bytes changed, and arbitrary PEM text.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_auth::{RsaPublicKey, Verifier};
use proptest::prelude::*;

/// A verifier with the stand-in's public key and a token it accepts, made once: proptest runs
/// the cases on one thread with a runtime of its own.
fn fixture() -> &'static (Verifier, String, tokio::runtime::Runtime) {
    static FIXTURE: std::sync::OnceLock<(Verifier, String, tokio::runtime::Runtime)> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let (verifier, token) = runtime.block_on(async {
            let instance = common::Instance::start().await;
            let verifier = Verifier::from_jwt_key(&instance.standin.jwt_public_key_pem()).unwrap();
            let token = instance.token(Some(3600)).await;
            // The stand-in may stop: the PEM verifier needs nothing from it.
            (verifier, token)
        });
        (verifier, token, runtime)
    })
}

fn verify(token: &str) -> Result<clerk_auth::Session, clerk_auth::VerifyError> {
    let (verifier, _, runtime) = fixture();
    runtime.block_on(verifier.verify(token))
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(verify(&text).is_err());
    }

    #[test]
    fn arbitrary_jwt_shaped_text_is_refused(
        header in proptest::collection::vec(any::<u8>(), 0..256),
        payload in proptest::collection::vec(any::<u8>(), 0..512),
        signature in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let token = format!("{}.{}.{}", b64(&header), b64(&payload), b64(&signature));
        prop_assert!(verify(&token).is_err());
    }

    #[test]
    fn json_headers_of_any_shape_are_refused(
        alg in prop_oneof![Just("RS256".to_owned()), Just("none".to_owned()), Just("HS256".to_owned()), ".*"],
        kid in proptest::option::of(".*"),
        extra in "[a-z]{0,8}",
        payload in "\\PC*",
    ) {
        let header = serde_json::json!({"alg": alg, "kid": kid, extra: 1});
        let token = format!("{}.{}.{}", b64(header.to_string().as_bytes()), b64(payload.as_bytes()), b64(&[0; 256]));
        prop_assert!(verify(&token).is_err());
    }

    #[test]
    fn a_real_token_with_any_byte_changed_is_refused(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let (_, token, _) = fixture();
        let mut bytes = token.clone().into_bytes();
        let at = position.index(bytes.len());
        prop_assume!(bytes[at] != byte);
        bytes[at] = byte;
        let changed = String::from_utf8_lossy(&bytes).into_owned();
        // A change that decodes to the same bytes (the unused low bits of the last base64url
        // character) leaves the token what it was; any other change is refused.
        let same = changed.split('.').map(|part| URL_SAFE_NO_PAD.decode(part).ok()).collect::<Vec<_>>()
            == token.split('.').map(|part| URL_SAFE_NO_PAD.decode(part).ok()).collect::<Vec<_>>();
        prop_assert_eq!(verify(&changed).is_ok(), same);
    }

    #[test]
    fn arbitrary_pem_text_never_panics(text in "(-----BEGIN [A-Z ]{0,20}-----)?[A-Za-z0-9+/=\\\\n \n]{0,600}(-----END [A-Z ]{0,20}-----)?") {
        let _ = RsaPublicKey::from_pem(&text);
    }

    #[test]
    fn arbitrary_der_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----", base64::engine::general_purpose::STANDARD.encode(&bytes));
        prop_assert!(RsaPublicKey::from_pem(&pem).is_err());
    }
}

#[test]
fn the_real_token_itself_verifies() {
    let (_, token, _) = fixture();
    assert!(verify(token).is_ok());
}
