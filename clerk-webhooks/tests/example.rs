//! `examples/webhook_endpoint.rs` runs as documented: a verified event is handled once however often it
//! is delivered, and a forged one is refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_webhooks::{Secret, sign};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_dGhlIG90aGVyIHNpZ25pbmcgc2VjcmV0IQ==";
const WAIT: Duration = Duration::from_secs(120);

struct Example {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the example on a free port; returns it and its address.
fn start() -> (Example, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut child = Command::new(cargo)
        .args(["run", "--quiet", "--package", "clerk-webhooks", "--example", "webhook_endpoint"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CLERK_WEBHOOK_SIGNING_SECRET", SECRET)
        .env("PORT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs the example");
    let stderr = child.stderr.take().unwrap();
    let (sender, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let example = Example { child, lines };
    let line = example.lines.recv_timeout(WAIT).expect("the example says where it listens");
    let address = line
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix("/webhooks/clerk"))
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    (example, address)
}

/// POSTs a webhook; returns the status.
fn deliver(address: &str, secret: &str, id: &str, body: &str) -> u16 {
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let signature = sign(&Secret::new(secret).unwrap(), id, timestamp, body.as_bytes());
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "POST /webhooks/clerk HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nsvix-id: {id}\r\n\
         svix-timestamp: {timestamp}\r\nsvix-signature: {signature}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or_else(|| panic!("{response}"))
}

#[test]
fn the_example_handles_each_delivery_once() {
    let (example, address) = start();
    let body = r#"{"type": "user.created", "object": "event", "data": {"id": "user_1", "object": "user"}}"#;
    assert_eq!(deliver(&address, SECRET, "msg_1", body), 204);
    assert_eq!(example.lines.recv_timeout(WAIT).unwrap(), "user created: user_1");
    // The same delivery again (as a replayer or a retry sends it): acknowledged, not handled.
    assert_eq!(deliver(&address, SECRET, "msg_1", body), 204);
    assert_eq!(example.lines.recv_timeout(WAIT).unwrap(), "already received: msg_1");
    assert_eq!(deliver(&address, OTHER_SECRET, "msg_2", body), 400);
    assert_eq!(deliver(&address, SECRET, "msg_2", body), 204);
    assert_eq!(example.lines.recv_timeout(WAIT).unwrap(), "user created: user_1");
}
