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

    /// The public key as PEM (SubjectPublicKeyInfo), the form Clerk's dashboard shows for
    /// `CLERK_JWT_KEY`.
    pub(crate) fn public_key_pem(&self) -> String {
        // SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }
        const RSA_ALGORITHM: &[u8] =
            &[0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
        let mut bit_string = vec![0];
        bit_string.extend_from_slice(self.pair.public().as_ref());
        let mut spki_body = RSA_ALGORITHM.to_vec();
        spki_body.extend(der(0x03, &bit_string));
        let base64 = STANDARD.encode(der(0x30, &spki_body));
        let lines: Vec<&str> =
            base64.as_bytes().chunks(64).map(|line| std::str::from_utf8(line).unwrap_or_default()).collect();
        format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", lines.join("\n"))
    }

    /// The header of Clerk's session tokens.
    pub(crate) fn session_header(&self) -> Value {
        json!({"alg": "RS256", "cat": SESSION_TOKEN_CATEGORY, "kid": self.kid, "typ": "JWT"})
    }

    /// A session token with `claims`.
    pub(crate) fn sign_session_token(&self, claims: &Value) -> String {
        self.sign(&self.session_header(), claims)
    }

    /// `header` and `claims` as a compact JWT, signed RS256 whatever the header says.
    pub(crate) fn sign(&self, header: &Value, claims: &Value) -> String {
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

/// A DER element: the tag, the length (short or long form), the contents.
fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut element = vec![tag];
    match contents.len() {
        length @ 0..=0x7f => element.push(length as u8),
        length => {
            let bytes: Vec<u8> = length.to_be_bytes().into_iter().skip_while(|byte| *byte == 0).collect();
            element.push(0x80 | bytes.len() as u8);
            element.extend(bytes);
        }
    }
    element.extend_from_slice(contents);
    element
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_the_published_key() {
        let key = SigningKey::demo("ins_test");
        let token = key.sign_session_token(&json!({"sub": "user_1"}));
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

    /// The PEM carries the key that signs: the same as OpenSSL derives from the private key
    /// (`openssl pkey -in keys/demo-signing-key.pem -pubout`).
    #[test]
    fn the_public_pem_is_the_signing_keys() {
        let pem = SigningKey::demo("ins_test").public_key_pem();
        assert!(
            pem.starts_with(
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuQYEgXotu1RwrHbUodf3\n"
            ),
            "{pem}"
        );
        assert!(pem.ends_with("\n-----END PUBLIC KEY-----\n"), "{pem}");
        assert_eq!(pem.lines().count(), 9);
    }
}
