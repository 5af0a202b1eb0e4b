//! CLERK_JWT_KEY in each form it reaches programs in, and the keys that must be refused.

mod common;

use clerk_auth::{KeyError, RsaPublicKey, Verifier};
use common::Instance;

const EC_PUBLIC_KEY: &str = include_str!("resources/ec-public-key.pem");

#[tokio::test]
async fn every_form_of_the_pem_verifies_the_instances_tokens() {
    let instance = Instance::start().await;
    let token = instance.token(None).await;
    let pem = instance.standin.jwt_public_key_pem();
    let body: String = pem.lines().filter(|line| !line.starts_with("-----")).collect();
    let forms = [
        ("as printed", pem.clone()),
        ("with literal \\n, as .env files hold it", pem.replace('\n', "\\n")),
        ("with CRLF", pem.replace('\n', "\r\n")),
        ("on one line, as the dashboard shows it", format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----")),
        ("on one line with spaces", format!("-----BEGIN PUBLIC KEY----- {body} -----END PUBLIC KEY-----")),
        ("the body alone", body.clone()),
        ("indented, with blank lines", format!("\n\n  {}\n", pem.replace('\n', "\n  "))),
    ];
    for (form, pem) in forms {
        let verifier = Verifier::from_jwt_key(&pem).unwrap_or_else(|error| panic!("{form}: {error}"));
        let session = verifier.verify(&token).await.unwrap_or_else(|error| panic!("{form}: {error}"));
        assert_eq!(session.user_id, instance.user_id, "{form}");
    }
    assert_eq!(RsaPublicKey::from_pem(&pem).unwrap().bits(), 2048);
}

#[tokio::test]
async fn pkcs1_public_keys_are_read_too() {
    // Both written by OpenSSL from the foreign key (`openssl pkey -pubout`, `openssl rsa
    // -RSAPublicKey_out`).
    let spki = RsaPublicKey::from_pem(include_str!("resources/foreign-public-key.pem")).unwrap();
    let pkcs1 = RsaPublicKey::from_pem(include_str!("resources/foreign-public-key-pkcs1.pem")).unwrap();
    assert_eq!(spki, pkcs1);
    let instance = Instance::start().await;
    let token = common::compact(
        &common::header("ins_other", serde_json::json!({})),
        &instance.claims(serde_json::json!({})),
        common::sign_with_foreign_key,
    );
    let verifier = Verifier::from_jwt_key(include_str!("resources/foreign-public-key-pkcs1.pem")).unwrap();
    assert_eq!(verifier.verify(&token).await.unwrap().user_id, instance.user_id);
}

#[test]
fn keys_that_do_not_fit_rs256_are_refused() {
    assert_eq!(RsaPublicKey::from_pem(EC_PUBLIC_KEY), Err(KeyError::NotRsa));
    assert_eq!(RsaPublicKey::from_pem(common::FOREIGN_KEY_PEM), Err(KeyError::NotAPublicKey));
    let cases = [
        "",
        "not a key",
        "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ];
    for pem in cases {
        assert!(matches!(RsaPublicKey::from_pem(pem), Err(KeyError::Malformed(_))), "{pem:?}");
    }
    let error = Verifier::from_jwt_key(EC_PUBLIC_KEY).unwrap_err();
    assert_eq!(error.to_string(), "the key is not an RSA key; Clerk signs session tokens with RS256");
}
