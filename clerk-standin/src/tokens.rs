//! Session tokens as Clerk mints them: RS256 JWTs signed by the stand-in's key, whose public
//! half `GET /v1/jwks` publishes under the instance's id as `kid`, as Clerk does.
//!
//! The key is a fixed demo key (`keys/demo-signing-key.pem`), the same for every stand-in:
//! ring, which signs here, cannot generate RSA keys, and generating them with other crates
//! takes seconds in debug builds. It is public, so tokens it signs prove nothing outside tests
//! and demos.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::rsa::PublicKeyComponents;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

/// The demo signing key, PKCS#8. Public: never use it for anything real.
const DEMO_SIGNING_KEY_PEM: &str = include_str!("../keys/demo-signing-key.pem");

/// The `cat` header value of Clerk's session tokens, which tells them from the other JWTs an
/// instance signs with the same key.
const SESSION_TOKEN_CATEGORY: &str = "cl_B7d4PD111AAA";

/// A key that signs RS256, with its `kid`.
pub(crate) struct SigningKey {
    kid: String,
    pair: RsaKeyPair,
    rng: SystemRandom,
}

impl SigningKey {
    /// The demo key, published under `kid`.
    pub(crate) fn demo(kid: &str) -> Self {
        let body: String = DEMO_SIGNING_KEY_PEM.lines().filter(|line| !line.starts_with("-----")).collect();
        // The key is a constant of this crate, checked by its tests.
        let der = STANDARD.decode(body).expect("the demo signing key is base64");
        let pair = RsaKeyPair::from_pkcs8(&der).expect("the demo signing key is an RSA PKCS#8 key");
        SigningKey { kid: kid.to_owned(), pair, rng: SystemRandom::new() }
    }

    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// Clerk's JWKS: the public key as a JWK.
    pub(crate) fn jwks(&self) -> Value {
        let public: PublicKeyComponents<Vec<u8>> = self.pair.public().into();
        json!({"keys": [{
            "use": "sig",
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "n": URL_SAFE_NO_PAD.encode(&public.n),
            "e": URL_SAFE_NO_PAD.encode(&public.e),
        }]})
    }

    /// A session token with `claims`: the header Clerk's session tokens have, signed.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "cat": SESSION_TOKEN_CATEGORY, "kid": self.kid, "typ": "JWT"});
        let mut token =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut signature = vec![0; self.pair.public().modulus_len()];
        // Signing fails only for a key ring refused to load, which `demo` would have caught.
        self.pair.sign(&RSA_PKCS1_SHA256, &self.rng, token.as_bytes(), &mut signature).expect("RS256 signing");
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_the_published_key() {
        let key = SigningKey::demo("ins_test");
        let token = key.sign(&json!({"sub": "user_1"}));
        let (signed, signature) = token.rsplit_once('.').unwrap();
        let jwk = &key.jwks()["keys"][0];
        let decode = |field: &str| URL_SAFE_NO_PAD.decode(jwk[field].as_str().unwrap()).unwrap();
        let public = ring::signature::RsaPublicKeyComponents { n: decode("n"), e: decode("e") };
        public
            .verify(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                signed.as_bytes(),
                &URL_SAFE_NO_PAD.decode(signature).unwrap(),
            )
            .unwrap();
        assert_eq!(jwk["kid"], "ins_test");
    }
}
