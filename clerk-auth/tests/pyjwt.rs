//! PyJWT, with cryptography's RSA, checks every token of the corpus and agrees with
//! clerk-auth on each verdict, and on the claims of the valid ones. Installed by the test with
//! pip from pinned hashes (`tests/pyjwt/requirements.txt`).

mod common;

#[path = "../../tests/support/pip.rs"]
mod pip;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, UNIX_EPOCH};

use clerk_auth::{DEFAULT_CLOCK_SKEW, MAX_TOKEN_BYTES, Verifier};
use common::{Instance, corpus, now};
use serde_json::{Value, json};

const REQUIREMENTS: &str = include_str!("pyjwt/requirements.txt");
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pyjwt/verify.py");
const AUTHORIZED_PARTY: &str = "https://app.example.com";

/// PyJWT's verdicts, by the names of the script.
fn pyjwt(request: &Value) -> Vec<Value> {
    let packages = pip::install(Path::new(env!("CARGO_TARGET_TMPDIR")), "pyjwt", REQUIREMENTS, "jwt/__init__.py");
    let mut child = Command::new("python3")
        .arg(SCRIPT)
        .env("PYTHONPATH", packages)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// clerk-auth's reasons in the script's terms. PyJWT raises one error for a future `nbf` and
/// a future `iat`.
fn in_pyjwt_terms(reason: &str) -> &'static str {
    match reason {
        "token-invalid" => "malformed",
        "token-too-large" => "too-large",
        "token-invalid-algorithm" => "algorithm",
        "token-not-a-session-token" => "not-session",
        "jwk-kid-mismatch" => "unknown-key",
        "token-invalid-signature" => "signature",
        "token-expired" => "expired",
        "token-not-active-yet" | "token-iat-in-the-future" => "not-yet-valid",
        "token-invalid-claims" => "claims",
        "token-invalid-authorized-parties" => "unauthorized-party",
        other => panic!("no PyJWT counterpart for {other}"),
    }
}

/// Checks the corpus both ways; `valid_tokens` of them are valid.
async fn agree(instance: &Instance, verifier: &Verifier, authorized_parties: &[&str], valid_tokens: usize) {
    // Both verifiers judge the tokens at the same instant, taken before the corpus is minted:
    // the tokens within the clock skew of their limits keep their verdict however long the
    // run takes.
    let at = now();
    let tokens = corpus(instance).await;
    let jwks = serde_json::to_value(instance.client.get_jwks().send().await.unwrap().into_inner()).unwrap();
    let answers = pyjwt(&json!({
        "jwks": jwks,
        "tokens": tokens,
        "authorized_parties": authorized_parties,
        "leeway": DEFAULT_CLOCK_SKEW.as_secs(),
        "max_token_bytes": MAX_TOKEN_BYTES,
        "session_categories": ["cl_B7d4PD111AAA", "cl_I7d4PD111III"],
        "now": at,
    }));
    assert_eq!(answers.len(), tokens.len());
    let mut valid = 0;
    for ((name, token), answer) in tokens.iter().zip(&answers) {
        assert_eq!(answer["name"], *name);
        let ours = verifier.verify_at(token, UNIX_EPOCH + Duration::from_secs(at as u64)).await;
        let verdict = match &ours {
            Ok(_) => "valid",
            Err(error) => in_pyjwt_terms(error.reason()),
        };
        assert_eq!(verdict, answer["verdict"], "{name}: clerk-auth {ours:?}, PyJWT {}", answer["verdict"]);
        if let Ok(session) = ours {
            assert_eq!(Value::Object(session.claims()), answer["claims"], "{name}");
            valid += 1;
        }
    }
    assert_eq!(valid, valid_tokens);
}

#[tokio::test]
async fn pyjwt_agrees_on_every_verdict() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_client(instance.client.clone());
    agree(&instance, &verifier, &[], 7).await;
}

#[tokio::test]
async fn pyjwt_agrees_on_every_verdict_with_authorized_parties() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_client(instance.client.clone()).authorized_parties([AUTHORIZED_PARTY]);
    agree(&instance, &verifier, &[AUTHORIZED_PARTY], 1).await;
}
