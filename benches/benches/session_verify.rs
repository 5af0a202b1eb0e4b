//! Session token verification with a warm key cache, beside a bare `jsonwebtoken` decode of the
//! same token with the same key and checks (the floor).
//!
//! clerk-auth verifies RS256 with ring. So that the two differ only in what is around the
//! signature check, jsonwebtoken runs on a ring provider too (installed here, as a program
//! may); the floor is then jsonwebtoken's own parsing, key handling and validation.

use clerk_standin::StandIn;
use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey, Validation};
use serde::Deserialize;

/// RS256 on ring, for jsonwebtoken.
struct RingRs256 {
    n: Vec<u8>,
    e: Vec<u8>,
}

impl signature::Verifier<Vec<u8>> for RingRs256 {
    fn verify(&self, message: &[u8], signature: &Vec<u8>) -> Result<(), signature::Error> {
        ring::signature::RsaPublicKeyComponents { n: &self.n, e: &self.e }
            .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, message, signature)
            .map_err(|_| signature::Error::new())
    }
}

impl JwtVerifier for RingRs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

static RING_PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: |_: &Algorithm, _: &EncodingKey| -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
        Err(jsonwebtoken::errors::ErrorKind::InvalidAlgorithm.into())
    },
    verifier_factory: |algorithm: &Algorithm,
                       key: &DecodingKey|
     -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
        match (algorithm, key.kind()) {
            (Algorithm::RS256, DecodingKeyKind::RsaModulusExponent { n, e }) => {
                Ok(Box::new(RingRs256 { n: n.clone(), e: e.clone() }))
            }
            _ => Err(jsonwebtoken::errors::ErrorKind::InvalidAlgorithm.into()),
        }
    },
    key_utils: KeyUtils::new_unimplemented(),
};

/// The claims a session check reads.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Claims {
    sub: String,
    sid: String,
    exp: i64,
    iat: Option<i64>,
    nbf: Option<i64>,
    azp: Option<String>,
}

fn session_verify(c: &mut Criterion) {
    let _ = RING_PROVIDER.install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let standin = runtime.block_on(StandIn::start_with_demo_data("sk_test_bench")).unwrap();
    let client = clerk_api::Client::from_secret_key_with_base_url("sk_test_bench", &standin.base_url()).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    // A token as the stand-in mints them, valid for the whole run.
    let token = standin.sign_session_token(&serde_json::json!({
        "exp": now + 3600, "iat": now, "iss": "https://clerk.standin.invalid", "nbf": now - 10,
        "o": {"id": "org_2xhFjEI5X2qWRvtV13BzSj8H6Dk", "rol": "admin", "slg": "analytical-engine"},
        "sid": "sess_2xhFjEI5X2qWRvtV13BzSj8H6Dk", "sts": "active", "sub": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk", "v": 2
    }));
    let jwks = runtime.block_on(client.get_jwks().send()).unwrap().into_inner();
    let jwk = &jwks.keys.as_ref().unwrap()[0];
    let key = DecodingKey::from_rsa_components(jwk.n.as_deref().unwrap(), jwk.e.as_deref().unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 5;
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp", "sub"]);

    let from_jwks = clerk_auth::Verifier::from_client(client);
    let from_pem = clerk_auth::Verifier::from_jwt_key(&standin.jwt_public_key_pem()).unwrap();
    // Warm the cache: the one fetch happens here.
    runtime.block_on(from_jwks.verify(&token)).unwrap();
    assert!(jsonwebtoken::decode::<Claims>(&token, &key, &validation).is_ok());

    let mut group = c.benchmark_group("session_verify");
    group.bench_function("jsonwebtoken_decode", |b| {
        b.iter(|| jsonwebtoken::decode::<Claims>(std::hint::black_box(&token), &key, &validation).unwrap())
    });
    group.bench_function("clerk_auth_jwks_warm", |b| {
        b.to_async(&runtime).iter(|| async { from_jwks.verify(std::hint::black_box(&token)).await.unwrap() })
    });
    group.bench_function("clerk_auth_pem", |b| {
        b.to_async(&runtime).iter(|| async { from_pem.verify(std::hint::black_box(&token)).await.unwrap() })
    });
    group.finish();
}

criterion_group!(benches, session_verify);
criterion_main!(benches);
