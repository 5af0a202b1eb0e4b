//! `clerk-tools mcp --http` against clients that stall, idle, crowd it or send what is not a
//! message, and at shutdown: every bound the listener documents, measured from outside on
//! 127.0.0.1. The limits are the defaults: a request head within 10 s, a body within 10 s,
//! in-flight calls finish within 10 s of SIGTERM.

mod mcp_support;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use mcp_support::{Api, BEARER, HttpServer, KEY, TOKEN, call, initialize, request, stdout_lines};

/// What the listener documents.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);
/// Slack for a loaded machine on top of a documented bound.
const SLACK: Duration = Duration::from_secs(4);

/// `127.0.0.1:PORT` of a server.
fn address(server: &HttpServer) -> String {
    server.base().trim_start_matches("http://").to_string()
}

/// Connects and sends `bytes`, then nothing more.
fn stall(address: &str, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(bytes).unwrap();
    stream
}

/// How long after `since` the server closes `stream`, which sends nothing more; reads
/// whatever the server answers before closing. Fails the test past `limit` after `since`.
fn closed_after(mut stream: TcpStream, since: Instant, limit: Duration) -> (Duration, String) {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let left = limit.checked_sub(since.elapsed()).unwrap_or_else(|| panic!("still open after {limit:?}"));
        stream.set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == ErrorKind::ConnectionReset => break,
            Err(error) => panic!("still open after {:?}: {error}", since.elapsed()),
        }
    }
    (since.elapsed(), String::from_utf8_lossy(&answer).into_owned())
}

/// The raw bytes of a POST to `/mcp` with the token and a JSON `body`.
fn post_bytes(address: &str, body: &str, keep_alive: bool) -> Vec<u8> {
    format!(
        "POST /mcp HTTP/1.1\r\nHost: {address}\r\nAuthorization: {}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n{body}",
        BEARER.1,
        body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    )
    .into_bytes()
}

/// One request on a new connection; the status and the body as JSON (or text).
fn exchange(address: &str, request: &[u8]) -> (u16, Value) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    parse_response(&response)
}

fn parse_response(response: &str) -> (u16, Value) {
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head: {response:?}"));
    let status = head.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or_else(|| panic!("{head}"));
    let body = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()));
    (status, body)
}

fn ping(id: u64) -> String {
    request(id, "ping", json!({})).to_string()
}

#[test]
fn a_stalled_request_head_is_closed_within_the_header_timeout() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let address = address(&server);
    let connected = Instant::now();
    let stalled =
        [stall(&address, b"POST /mcp HT"), stall(&address, b""), stall(&address, b"GET /healthz HTTP/1.1\r\n")];
    std::thread::sleep(Duration::from_secs(2));
    // Meanwhile everyone else is served.
    assert_eq!(exchange(&address, &post_bytes(&address, &ping(1), false)).0, 200);
    for stream in stalled {
        let (elapsed, _) = closed_after(stream, connected, HEADER_TIMEOUT + SLACK);
        assert!(elapsed >= HEADER_TIMEOUT - Duration::from_secs(1), "closed early: {elapsed:?}");
    }
}

#[test]
fn a_stalled_body_is_answered_408_within_the_body_deadline() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let address = address(&server);
    let body = ping(1);
    let mut head = post_bytes(&address, &body, true);
    // The whole head, and half the body.
    head.truncate(head.len() - body.len() / 2);
    let (elapsed, answer) = closed_after(stall(&address, &head), Instant::now(), BODY_TIMEOUT + SLACK);
    assert!(elapsed >= BODY_TIMEOUT - Duration::from_secs(1), "closed early: {elapsed:?}");
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");

    // Without the token, the body is never waited for: 401 at once.
    let unauthorized = format!(
        "POST /mcp HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    let (elapsed, answer) =
        closed_after(stall(&address, unauthorized.as_bytes()), Instant::now(), Duration::from_secs(5));
    assert!(answer.starts_with("HTTP/1.1 401 "), "{answer}");
    assert!(elapsed < Duration::from_secs(5));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_within_the_header_timeout() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let address = address(&server);
    let mut stream = TcpStream::connect(&address).unwrap();
    stream.write_all(&post_bytes(&address, &ping(1), true)).unwrap();
    // Read the one answer (its Content-Length says where it ends), then go quiet.
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains("\"result\"") {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "closed before answering");
        answer.extend_from_slice(&buffer[..n]);
    }
    let (elapsed, rest) = closed_after(stream, Instant::now(), HEADER_TIMEOUT + SLACK);
    assert!(elapsed >= HEADER_TIMEOUT - Duration::from_secs(1), "closed early: {elapsed:?}");
    assert_eq!(rest, "");
}

/// With the process's open-file limit at 256, 250 peers that open a connection and stall
/// keep nobody out: a ping and `/healthz` are answered at once, each time.
#[test]
fn with_256_files_a_ping_is_answered_while_250_peers_stall() {
    let api = Api::start();
    // The limit is set by the shell the server runs in, for the server alone.
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 256 && exec \"$0\" mcp --http 127.0.0.1:0", env!("CARGO_BIN_EXE_clerk-tools")])
        .env_remove("CLERK_TOOLS_LOG")
        .env("CLERK_SECRET_KEY", KEY)
        .env("CLERK_API_URL", api.url())
        .env("CLERK_TOOLS_MCP_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stdout_lines(&mut child);
    let url = lines.recv_timeout(Duration::from_secs(30)).expect("the server prints its URL");
    let address = url.trim_start_matches("MCP_URL=http://").trim_end_matches("/mcp").to_string();
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap_or_default();
    if !limits.is_empty() {
        assert!(limits.lines().any(|l| l.starts_with("Max open files") && l.contains(" 256 ")), "{limits}");
    }

    let stalled: Vec<TcpStream> = (0..250).map(|_| stall(&address, b"POST /mcp HT")).collect();
    std::thread::sleep(Duration::from_millis(500));
    for n in 0..3 {
        let started = Instant::now();
        let (status, answer) = exchange(&address, &post_bytes(&address, &ping(n), false));
        assert_eq!((status, &answer["id"]), (200, &json!(n)), "{answer}");
        let (status, health) = exchange(
            &address,
            format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!((status, health), (200, Value::String("ok\n".into())));
        assert!(started.elapsed() < Duration::from_secs(3), "answered after {:?}", started.elapsed());
    }
    // A tool call still reaches the API: the cap leaves files for its connections.
    let (status, answer) =
        exchange(&address, &post_bytes(&address, &call(9, "clerk_list_users", json!({})).to_string(), false));
    assert_eq!(status, 200);
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    drop(stalled);
    let _ = child.kill();
    let _ = child.wait();
}

/// An API that accepts connections and never answers.
fn silent_api() -> (String, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    (format!("http://{}/v1", listener.local_addr().unwrap()), listener)
}

/// An API that answers every request 404, after `delay`.
fn slow_api(delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer);
                std::thread::sleep(delay);
                let body = r#"{"errors":[{"message":"not found","code":"resource_not_found"}]}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    url
}

fn terminate(server: &HttpServer) {
    let status = Command::new("kill").args(["-TERM", &server.pid().to_string()]).status().unwrap();
    assert!(status.success());
}

/// SIGTERM stops accepting at once and lets calls under way finish...
#[test]
fn shutdown_lets_a_call_under_way_finish() {
    let api = slow_api(Duration::from_secs(3));
    let mut server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api)]);
    let address = address(&server);
    let request = post_bytes(&address, &call(1, "clerk_get_user", json!({"userId": "user_1"})).to_string(), false);
    let caller = {
        let address = address.clone();
        std::thread::spawn(move || exchange(&address, &request))
    };
    std::thread::sleep(Duration::from_secs(1));
    let terminated = Instant::now();
    terminate(&server);
    std::thread::sleep(Duration::from_millis(300));
    assert!(TcpStream::connect(&address).is_err(), "still accepting after SIGTERM");
    let (status, answer) = caller.join().unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let exit = server.wait_timeout(SHUTDOWN_TIMEOUT + SLACK).expect("the server exits");
    assert!(exit.success(), "{exit:?}");
    assert!(terminated.elapsed() < Duration::from_secs(6), "{:?}", terminated.elapsed());
}

/// ...for at most the shutdown timeout.
#[test]
fn shutdown_waits_for_a_stuck_call_no_longer_than_the_deadline() {
    let (api, _listener) = silent_api();
    let mut server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api)]);
    let address = address(&server);
    let request = post_bytes(&address, &call(1, "clerk_get_user", json!({"userId": "user_1"})).to_string(), false);
    let _stuck = stall(&address, &request);
    let _idle = stall(&address, b"");
    std::thread::sleep(Duration::from_secs(1));
    let terminated = Instant::now();
    terminate(&server);
    let exit = server.wait_timeout(SHUTDOWN_TIMEOUT + SLACK).expect("the server exits within the deadline");
    let elapsed = terminated.elapsed();
    assert!(exit.success(), "{exit:?}");
    assert!(elapsed >= SHUTDOWN_TIMEOUT - Duration::from_secs(1), "did not wait for the call: {elapsed:?}");
}

/// What is not a message gets a JSON-RPC error, with HTTP 400; the server carries on.
#[test]
fn broken_messages_are_answered_in_json_rpc() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let address = address(&server);
    for (body, code, id) in [
        (r#"{"jsonrpc": "2.0", "id": 1, "method": "ping""#, -32700, Value::Null),
        ("not json at all", -32700, Value::Null),
        (
            r#"[{"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "ping"}]"#,
            -32600,
            Value::Null,
        ),
        (r#"{"jsonrpc": "2.0", "id": 7}"#, -32600, json!(7)),
        (r#""ping""#, -32600, Value::Null),
    ] {
        let (status, answer) = exchange(&address, &post_bytes(&address, body, false));
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        assert_eq!(answer.get("id"), Some(&id), "{body}: {answer}");
        if body.starts_with('[') {
            assert!(answer["error"]["message"].as_str().unwrap().contains("batch"), "{answer}");
        }
    }
    // Larger than the limit: 413, in JSON-RPC too, before any of it is read.
    let large = format!(
        "POST /mcp HTTP/1.1\r\nHost: {address}\r\nAuthorization: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        BEARER.1,
        (4 << 20) + 1
    );
    let (status, answer) = exchange(&address, large.as_bytes());
    assert_eq!((status, &answer["error"]["code"]), (413, &json!(-32600)), "{answer}");
    // Broken or not, nothing is read before the token.
    let unauthorized = format!(
        "POST /mcp HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{{{{{{"
    );
    assert_eq!(exchange(&address, unauthorized.as_bytes()).0, 401);
    // And the server carries on.
    let (status, answer) = exchange(&address, &post_bytes(&address, &ping(3), false));
    assert_eq!((status, &answer["id"]), (200, &json!(3)), "{answer}");
}

/// 2025-03-26, the one revision with batches, is not offered: a client asking for it is
/// offered another, the same over HTTP as over stdio (`tests/mcp.rs`).
#[test]
fn the_revision_with_batches_is_not_offered() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let address = address(&server);
    let mut asking = initialize(1);
    asking["params"]["protocolVersion"] = json!("2025-03-26");
    let (status, answer) = exchange(&address, &post_bytes(&address, &asking.to_string(), false));
    assert_eq!(status, 200, "{answer}");
    let offered = answer["result"]["protocolVersion"].as_str().unwrap_or_else(|| panic!("{answer}"));
    assert!(offered > "2025-03-26", "{answer}");
    let (_, answer) = exchange(&address, &post_bytes(&address, &initialize(2).to_string(), false));
    assert_eq!(answer["result"]["protocolVersion"], "2025-06-18", "{answer}");
}
