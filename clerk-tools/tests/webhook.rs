//! `clerk-tools webhook verify` and `clerk-tools serve --webhook-url` from the outside:
//! arguments, stdin and environment in; stdout, stderr and exit status out. No output may
//! contain the signing secret.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

/// A request as the receiver got it: headers (names in lower case) and body.
type Received = (Vec<(String, String)>, Vec<u8>);

/// A one-request-at-a-time HTTP receiver on 127.0.0.1: answers 204 and passes on each request.
fn receiver() -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let (sender, requests) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    headers.push((name.trim().to_lowercase(), value.trim().to_string()));
                }
            }
            let length = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").unwrap();
            if sender.send((headers, body)).is_err() {
                return;
            }
        }
    });
    (url, requests)
}

/// Ends the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// End to end: the stand-in (`serve --webhook-url`) delivers a signed `user.created` for a
/// user created with `call`, and `webhook verify` accepts what arrived.
#[test]
fn serve_delivers_webhooks_that_verify_accepts() {
    let (url, requests) = receiver();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_clerk-tools"))
            .args(["serve", "--no-demo-data", "--webhook-url", &url, "--webhook-secret", SECRET])
            .env_remove(SECRET_VAR)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stdout = BufReader::new(server.0.stdout.take().unwrap());
    let mut environment = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let (name, value) = line.trim().split_once('=').expect("NAME=value");
        environment.push((name.to_string(), value.to_string()));
    }
    let created = Command::new(env!("CARGO_BIN_EXE_clerk-tools"))
        .args(["call", "clerk_create_user", r#"{"emailAddress": "ada@example.com", "firstName": "Ada"}"#])
        .envs(environment.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .output()
        .unwrap();
    assert_eq!(created.status.code(), Some(0), "{}", String::from_utf8_lossy(&created.stderr));
    let user_id = serde_json::from_slice::<Value>(&created.stdout).unwrap()["id"].as_str().unwrap().to_string();

    let (headers, body) = requests.recv_timeout(Duration::from_secs(20)).expect("a webhook arrives");
    let args: Vec<String> = headers
        .iter()
        .filter(|(name, _)| name.starts_with("svix-"))
        .flat_map(|(name, value)| ["-H".to_string(), format!("{name}: {value}")])
        .collect();
    assert_eq!(args.len(), 6, "{headers:?}");
    let output = verify(&args, Some(SECRET), &body);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let event = stdout_json(&output);
    assert_eq!(event["type"], "user.created");
    assert_eq!(event["data"]["id"], user_id.as_str());
    assert_eq!(event["data"]["first_name"], "Ada");

    drop(stdout);
    let _ = server.0.kill();
    let mut stderr = String::new();
    server.0.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_no_secret(b"", stderr.as_bytes());
    assert!(stderr.contains("sending signed webhooks to"), "{stderr}");
    assert!(stderr.contains("webhook user.created (msg_"), "{stderr}");
    // The secret was an argument, which every user of the machine can read.
    assert!(
        stderr.contains("warning: --webhook-secret puts the secret in the process list") && stderr.contains(SECRET_VAR),
        "{stderr}"
    );
}

#[test]
fn serve_refuses_a_webhook_url_without_a_secret() {
    let output = Command::new(env!("CARGO_BIN_EXE_clerk-tools"))
        .args(["serve", "--webhook-url", "http://127.0.0.1:9/hook"])
        .env_remove(SECRET_VAR)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--webhook-secret"));
    let output = Command::new(env!("CARGO_BIN_EXE_clerk-tools"))
        .args(["serve", "--webhook-url", "https://example.com/hook", "--webhook-secret", SECRET])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_no_secret(&output.stdout, &output.stderr);
    // A secret too short to be one Clerk issued is refused before anything is sent.
    let output = Command::new(env!("CARGO_BIN_EXE_clerk-tools"))
        .args(["serve", "--webhook-url", "http://127.0.0.1:9/hook"])
        .env(SECRET_VAR, "whsec_b3RoZXIgc2VjcmV0")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("12 bytes long and needs at least 24"), "{stderr}");
    assert!(!stderr.contains("b3RoZXIgc2VjcmV0") && !stderr.contains("process list"), "{stderr}");
}
