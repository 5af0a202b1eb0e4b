//! `clerk-tools webhook verify` from the outside:
//! arguments, stdin and environment in; stdout, stderr and exit status out. No output may
//! contain the signing secret.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use clerk_webhooks::{Secret, sign};
use serde_json::{Value, json};

/// A secret distinctive enough that finding it (or its base64 part) in any output is a leak.
const SECRET: &str = "whsec_bGVha2NoZWNrIHNpZ25pbmcgc2VjcmV0IDdmM2E5YzUxZTI=";
const SECRET_BASE64: &str = "bGVha2NoZWNrIHNpZ25pbmcgc2VjcmV0IDdmM2E5YzUxZTI=";
const SECRET_VAR: &str = "CLERK_WEBHOOK_SIGNING_SECRET";

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "data": {"id": "user_29w83sxmDNGwOuEthce5gg56FcC", "object": "user", "first_name": "Ada", "email_addresses": []},
        "instance_id": "ins_1",
        "object": "event",
        "timestamp": 1_750_000_000_000_i64,
        "type": "user.created",
    }))
    .unwrap()
}

/// `-H name: value` arguments for a message signed with `secret` at `timestamp`.
fn header_args(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Vec<String> {
    let signature = sign(&Secret::new(secret).unwrap(), id, timestamp, body);
    vec![
        "-H".into(),
        format!("svix-id: {id}"),
        "-H".into(),
        format!("svix-timestamp: {timestamp}"),
        "--header".into(),
        format!("svix-signature: {signature}"),
    ]
}

/// Runs `clerk-tools webhook verify ARGS` with `secret` in the environment (if any) and `body`
/// on stdin; checks that the secret appears nowhere in what it printed.
fn verify(args: &[String], secret: Option<&str>, body: &[u8]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-tools"));
    command.args(["webhook", "verify"]).args(args).env_remove(SECRET_VAR);
    if let Some(secret) = secret {
        command.env(SECRET_VAR, secret);
    }
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // The program may refuse before reading stdin (no secret): a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(body);
    let output = child.wait_with_output().unwrap();
    assert_no_secret(&output.stdout, &output.stderr);
    output
}

fn assert_no_secret(stdout: &[u8], stderr: &[u8]) {
    for text in [stdout, stderr] {
        let text = String::from_utf8_lossy(text);
        assert!(!text.contains(SECRET_BASE64), "the signing secret was printed:\n{text}");
    }
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("stdout is not JSON ({err}): {}", String::from_utf8_lossy(&output.stdout)))
}

/// Exit 2, the error JSON of `kind` on stdout, one `error:` line on stderr.
fn assert_refused(output: &Output, kind: &str) -> Value {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    let json = stdout_json(output);
    assert_eq!(json["success"], false, "{json}");
    assert_eq!(json["kind"], kind, "{json}");
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    json
}

#[test]
fn a_valid_webhook_prints_its_event_and_exits_0() {
    let body = body();
    let output = verify(&header_args(SECRET, "msg_1", now(), &body), Some(SECRET), &body);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let event = stdout_json(&output);
    assert_eq!(event["type"], "user.created");
    assert_eq!(event["object"], "event");
    assert_eq!(event["instance_id"], "ins_1");
    assert_eq!(event["timestamp"], 1_750_000_000_000_i64);
    assert_eq!(event["data"]["first_name"], "Ada");
    assert_eq!(event["data"]["id"], "user_29w83sxmDNGwOuEthce5gg56FcC");
    let keys: Vec<&str> = event.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["type", "object", "data", "timestamp", "instance_id"]);
}

#[test]
fn a_tampered_body_exits_2_with_the_error_json() {
    let body = body();
    let headers = header_args(SECRET, "msg_1", now(), &body);
    let tampered = String::from_utf8(body).unwrap().replace("Ada", "Eve");
    let json = assert_refused(&verify(&headers, Some(SECRET), tampered.as_bytes()), "bad_signature");
    assert!(json["error"].as_str().unwrap().contains("no signature matches"), "{json}");
    // So does another secret.
    let other = "whsec_dGhlIG90aGVyIHNpZ25pbmcgc2VjcmV0IQ==";
    assert_refused(
        &verify(&header_args(other, "msg_1", now(), tampered.as_bytes()), Some(SECRET), tampered.as_bytes()),
        "bad_signature",
    );
}

#[test]
fn an_old_webhook_is_stale_unless_the_tolerance_allows_it() {
    let body = body();
    let headers = header_args(SECRET, "msg_1", now() - 3600, &body);
    let json = assert_refused(&verify(&headers, Some(SECRET), &body), "stale_timestamp");
    assert!(json["error"].as_str().unwrap().contains("beyond the tolerance of 300 seconds"), "{json}");
    let mut lenient = headers.clone();
    lenient.extend(["--tolerance".to_string(), "7200".to_string()]);
    assert_eq!(verify(&lenient, Some(SECRET), &body).status.code(), Some(0));
}

#[test]
fn missing_or_malformed_headers_exit_2() {
    let body = body();
    let headers = header_args(SECRET, "msg_1", now(), &body);
    let json = assert_refused(&verify(&headers[2..], Some(SECRET), &body), "missing_header");
    assert_eq!(json["error"], "the `svix-id` header is missing");
    let mut malformed = headers.clone();
    malformed.extend(["-H".to_string(), "no colon here".to_string()]);
    assert_refused(&verify(&malformed, Some(SECRET), &body), "invalid_input");
}

#[test]
fn a_missing_or_malformed_secret_exits_2() {
    let body = body();
    let headers = header_args(SECRET, "msg_1", now(), &body);
    let json = assert_refused(&verify(&headers, None, &body), "missing_secret");
    assert!(json["error"].as_str().unwrap().contains(SECRET_VAR), "{json}");
    assert_refused(&verify(&headers, Some("  "), &body), "missing_secret");
    let json = assert_refused(&verify(&headers, Some("whsec_%%%notbase64"), &body), "malformed_secret");
    assert!(!json.to_string().contains("%%%notbase64"), "{json}");
    // "other secret": 12 bytes, too short to be one Clerk issued.
    let json = assert_refused(&verify(&headers, Some("whsec_b3RoZXIgc2VjcmV0"), &body), "secret_too_short");
    assert!(json["error"].as_str().unwrap().contains("at least 24"), "{json}");
}

#[test]
fn a_body_that_carries_the_secret_is_printed_without_it() {
    // A verified body that happens to hold the secret (an echo, a misconfigured sender): the
    // event is printed, redacted.
    let body = serde_json::to_vec(
        &json!({"type": "user.created", "data": {"first_name": SECRET, "last_name": SECRET_BASE64}}),
    )
    .unwrap();
    let output = verify(&header_args(SECRET, "msg_1", now(), &body), Some(SECRET), &body);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout_json(&output)["data"]["first_name"], "[redacted]");
    // An unreadable body is refused after the signature checks out.
    let body = b"\xff\xfe not json";
    assert_refused(&verify(&header_args(SECRET, "msg_1", now(), body), Some(SECRET), body), "unreadable_body");
}
