//! Interoperability with an independent implementation: the Standard Webhooks reference
//! library for Python (`standardwebhooks`, the scheme Clerk's Svix signatures follow).
//!
//! The test installs the pinned release, checked against its sha256, once per target directory
//! (`pip install --no-deps --require-hashes --target <target>/tmp/...`; the library needs only
//! Python's standard library), then has it sign payloads that this crate verifies, and verify
//! signatures that this crate made. Needs `python3` with pip, and the package registry the
//! first time.

#[path = "../../tests/support/pip.rs"]
mod pip;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use clerk_webhooks::{Error, Event, Secret, Webhook, sign};
use serde_json::{Value, json};

const PACKAGE: &str = "standardwebhooks==1.1.0";
const WHEEL_SHA256: &str = "9a88d48a1f198be61517fc7ad328cf58ba02b73f0fbd8941d4213e9c0b6c2a61";

const SECRETS: [&str; 3] = [
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_dGhlIG90aGVyIHNpZ25pbmcgc2VjcmV0IQ==",
    "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
];

/// Signs `sign` cases and verifies `verify` cases with the reference library.
const SCRIPT: &str = r#"
import json, sys
from datetime import datetime, timezone
from standardwebhooks import Webhook, WebhookVerificationError

request = json.load(sys.stdin)
signed = []
for case in request["sign"]:
    hook = Webhook(case["secret"])
    when = datetime.fromtimestamp(case["timestamp"], tz=timezone.utc)
    signed.append(hook.sign(case["id"], when, case["body"]))
verified = []
for case in request["verify"]:
    try:
        Webhook(case["secret"]).verify(case["body"].encode(), case["headers"])
        verified.append("ok")
    except WebhookVerificationError as error:
        verified.append("refused: " + str(error))
json.dump({"signed": signed, "verified": verified}, sys.stdout)
"#;

/// The directory holding the installed library, installed on first use.
fn library() -> &'static PathBuf {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let requirements = format!("{PACKAGE} --hash=sha256:{WHEEL_SHA256}\n");
        pip::install(
            Path::new(env!("CARGO_TARGET_TMPDIR")),
            "standardwebhooks",
            &requirements,
            "standardwebhooks/webhooks.py",
        )
    })
}

/// Runs the script on `request` with the library on the path; returns its JSON answer.
fn python(request: &Value) -> Value {
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .env("PYTHONPATH", library())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the script failed:\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn bodies() -> Vec<String> {
    vec![
        json!({"type": "user.created", "object": "event", "data": {"id": "user_1", "first_name": "Ada"}}).to_string(),
        json!({"type": "session.revoked", "data": {"id": "sess_1", "status": "revoked"}, "instance_id": "ins_1"})
            .to_string(),
        // Non-ASCII text, escapes and odd spacing are signed as the exact bytes sent.
        "{\"type\": \"user.updated\",  \"data\": {\"first_name\": \"Zoë 🦀\", \"last_name\": \"O\\\"Brien\\n\"}}"
            .to_string(),
        json!({"type": "organization.created", "data": {"name": "x".repeat(100_000)}}).to_string(),
        r#"{"test": 2432232314}"#.to_string(),
    ]
}

/// Payloads signed by the reference library verify here, and the signatures agree byte for
/// byte with this crate's own.
#[test]
fn signatures_from_the_reference_library_verify() {
    let timestamp = now();
    let mut cases = Vec::new();
    for (s, secret) in SECRETS.iter().enumerate() {
        for (b, body) in bodies().iter().enumerate() {
            cases.push(json!({"secret": secret, "id": format!("msg_{s}_{b}"), "timestamp": timestamp, "body": body}));
        }
    }
    let answer = python(&json!({"sign": cases, "verify": []}));
    let signed = answer["signed"].as_array().unwrap();
    assert_eq!(signed.len(), cases.len());
    for (case, signature) in cases.iter().zip(signed) {
        let (secret, id, body) =
            (case["secret"].as_str().unwrap(), case["id"].as_str().unwrap(), case["body"].as_str().unwrap());
        let signature = signature.as_str().unwrap();
        assert_eq!(signature, sign(&Secret::new(secret).unwrap(), id, timestamp, body.as_bytes()), "{id}");
        let headers = [
            ("svix-id", id.to_string()),
            ("svix-timestamp", timestamp.to_string()),
            ("svix-signature", signature.to_string()),
        ];
        let webhook = Webhook::new(secret).unwrap();
        webhook.verify_signature(&headers, body.as_bytes()).unwrap_or_else(|err| panic!("{id}: {err}"));
        // The same headers under the Standard Webhooks names.
        let standard = headers.clone().map(|(name, value)| (name.replace("svix-", "webhook-"), value));
        webhook.verify_signature(&standard, body.as_bytes()).unwrap();
        // And under any other secret, refused.
        let other = SECRETS.iter().find(|other| *other != &secret).unwrap();
        assert_eq!(Webhook::new(other).unwrap().verify_signature(&headers, body.as_bytes()), Err(Error::BadSignature));
    }
    // A decoded event from a reference-signed body.
    let (case, signature) = (&cases[0], signed[0].as_str().unwrap());
    let headers = [
        ("svix-id", case["id"].as_str().unwrap()),
        ("svix-timestamp", &timestamp.to_string()),
        ("svix-signature", signature),
    ];
    let event = Webhook::new(SECRETS[0]).unwrap().verify(&headers, case["body"].as_str().unwrap().as_bytes()).unwrap();
    assert!(matches!(event.data, Event::UserCreated(ref user) if user.first_name.as_deref() == Some("Ada")));
}

/// Signatures made here verify with the reference library: alone, among several while a
/// secret rotates, and not once the body, timestamp, id or secret changes.
#[test]
fn signatures_from_this_crate_verify_with_the_reference_library() {
    let timestamp = now();
    let mut cases = Vec::new();
    let mut expected = Vec::new();
    let mut case = |secret: &str, headers: Value, body: &str, ok: bool| {
        cases.push(json!({"secret": secret, "headers": headers, "body": body}));
        expected.push(ok);
    };
    for (s, secret_text) in SECRETS.iter().enumerate() {
        let secret = Secret::new(secret_text).unwrap();
        let other = Secret::new(SECRETS[(s + 1) % SECRETS.len()]).unwrap();
        for (b, body) in bodies().iter().enumerate() {
            let id = format!("msg_rust_{s}_{b}");
            let signature = sign(&secret, &id, timestamp, body.as_bytes());
            let headers = |id: &str, timestamp: i64, signature: &str| json!({"webhook-id": id, "webhook-timestamp": timestamp.to_string(), "webhook-signature": signature});
            case(secret_text, headers(&id, timestamp, &signature), body, true);
            // Rotation: the old secret's signature beside the new one, in either order.
            let rotated = format!("{} {signature}", sign(&other, &id, timestamp, body.as_bytes()));
            case(secret_text, headers(&id, timestamp, &rotated), body, true);
            // Tampering with anything signed.
            case(secret_text, headers(&id, timestamp, &signature), &format!("{body} "), false);
            case(secret_text, headers(&id, timestamp - 1, &signature), body, false);
            case(secret_text, headers(&format!("{id}x"), timestamp, &signature), body, false);
            case(SECRETS[(s + 1) % SECRETS.len()], headers(&id, timestamp, &signature), body, false);
            // Stale: a good signature, ten minutes old.
            let old = sign(&secret, &id, timestamp - 600, body.as_bytes());
            case(secret_text, headers(&id, timestamp - 600, &old), body, false);
        }
    }
    let answer = python(&json!({"sign": [], "verify": cases}));
    let verified = answer["verified"].as_array().unwrap();
    assert_eq!(verified.len(), expected.len());
    for ((case, outcome), ok) in cases.iter().zip(verified).zip(expected) {
        assert_eq!(outcome == "ok", ok, "{outcome}: {}", case["headers"]);
    }
}
