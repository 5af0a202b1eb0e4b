//! The official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned with the
//! Node.js it runs on in `tests/mcp_node/`) against `clerk-tools mcp --http`, backed by the
//! stand-in with its demo data.
//!
//! The suite runs every scenario it has (`--suite all`). Those that do not apply to a server of
//! tools only are listed, each with its reason, in `tests/mcp_node/conformance-baseline.yml`;
//! the suite's exit code fails the test on any other failure and on a listed scenario that
//! passes. The test then reads the checks the suite recorded, to make sure of what its exit
//! code does not say: that every listed scenario ran, that every other one passed at least one
//! check, and that the listed ones fail only for want of what they need.
//!
//! The suite cannot send an `Authorization` header, and the server accepts no request without
//! its bearer token, so the suite talks to a forwarder on 127.0.0.1 that adds the token and
//! passes everything else on unchanged, the `Host` and `Origin` headers of the DNS-rebinding
//! scenario included.

mod mcp_node;
mod mcp_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use mcp_support::{Api, BEARER, HttpServer, KEY, TOKEN, http_client, initialize, post};

const BASELINE: &str = include_str!("mcp_node/conformance-baseline.yml");
const BASELINE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp_node/conformance-baseline.yml");
/// How long the whole suite may take before the test fails instead of hanging.
const SUITE_TIMEOUT: Duration = Duration::from_secs(300);

/// Headers that describe one connection rather than the request or answer, which the
/// forwarder's own connections set for themselves.
const HOP_BY_HOP: [HeaderName; 5] =
    [header::CONNECTION, header::TRANSFER_ENCODING, header::TE, header::TRAILER, header::UPGRADE];

/// A loopback HTTP forwarder to `upstream` that adds the bearer token to every request, served
/// by a runtime of its own.
struct Forwarder {
    /// `http://127.0.0.1:PORT`.
    base: String,
    _runtime: tokio::runtime::Runtime,
}

impl Forwarder {
    fn start(upstream: &str) -> Forwarder {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let client = http_client();
        let upstream = upstream.to_string();
        let app = Router::new().fallback(move |request: Request| forward(client.clone(), upstream.clone(), request));
        runtime.spawn(async move { axum::serve(listener, app).await });
        Forwarder { base, _runtime: runtime }
    }
}

/// Sends `request` on to `upstream` with the token, and its answer back as it arrives.
async fn forward(client: reqwest::Client, upstream: String, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::BAD_REQUEST, "the forwarder could not read the body").into_response();
    };
    let path = parts.uri.path_and_query().map_or("/", |path| path.as_str());
    let mut headers = parts.headers;
    for name in &HOP_BY_HOP {
        headers.remove(name);
    }
    headers.insert(header::AUTHORIZATION, BEARER.1.parse().unwrap());
    let sent = client.request(parts.method, format!("{upstream}{path}")).headers(headers).body(body).send().await;
    let answer = match sent {
        Ok(answer) => answer,
        Err(err) => {
            return (StatusCode::BAD_GATEWAY, format!("the forwarder could not reach the server: {err}"))
                .into_response();
        }
    };
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if !HOP_BY_HOP.contains(name) {
            response = response.header(name, value);
        }
    }
    // Chunk by chunk, so that an event stream would be passed on as it is written.
    let chunks = futures_util::stream::unfold(Some(answer), |answer| async move {
        let mut answer = answer?;
        match answer.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(answer))),
            Ok(None) => None,
            Err(err) => Some((Err(err), None)),
        }
    });
    response.body(Body::from_stream(chunks)).unwrap()
}

/// The scenarios the baseline lists.
fn baseline() -> Vec<&'static str> {
    BASELINE.lines().filter_map(|line| line.trim().strip_prefix("- ")).map(str::trim).collect()
}

/// Each scenario's checks, by scenario name, as the suite recorded them under `results`: one
/// directory per scenario, `server-<scenario>-<timestamp>`, holding `checks.json`.
fn recorded_checks(results: &Path) -> BTreeMap<String, Vec<Value>> {
    let mut scenarios = BTreeMap::new();
    for entry in std::fs::read_dir(results).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        // The timestamp is an ISO 8601 instant with `-` for `:` and `.`: 24 characters.
        let scenario = name
            .strip_prefix("server-")
            .and_then(|rest| rest.get(..rest.len().checked_sub(25)?))
            .unwrap_or_else(|| panic!("not a scenario's results: {name}"));
        let checks: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("checks.json")).unwrap()).unwrap();
        assert!(scenarios.insert(scenario.to_string(), checks).is_none(), "{scenario} ran twice");
    }
    scenarios
}

/// What a listed scenario may fail with: the server lacks the method (JSON-RPC "method not
/// found"), the suite's own tool (the server's "unknown tool" error, or the suite not finding
/// it listed) or a session (the suite's warning).
fn fails_for_want_of_something(check: &Value) -> bool {
    let message = check["errorMessage"].as_str().or(check["details"]["message"].as_str()).unwrap_or_default();
    message.contains("MCP error -32601: ")
        || message.contains("MCP error -32602: unknown tool: test_")
        || message.starts_with("Tool 'json_schema_2020_12_tool' not found.")
        || message.starts_with("Server did not provide session ID")
}

fn failed(check: &Value) -> bool {
    matches!(check["status"].as_str(), Some("FAILURE" | "WARNING"))
}

#[test]
fn the_conformance_suite_passes_every_scenario_that_applies() {
    let node = mcp_node::packages();
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let forwarder = Forwarder::start(server.base());

    // The forwarder passes `Host` on as it came: a name that is not loopback's is refused by
    // the server, not hidden behind the forwarder's own.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let url = format!("{}/mcp", forwarder.base);
        let (status, body) = post(&http_client(), &url, &[], &initialize(1)).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = post(&http_client(), &url, &[("host", "evil.example")], &initialize(1)).await;
        assert_eq!(status, 403, "{body}");
    });

    let results = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mcp-conformance-results");
    let _ = std::fs::remove_dir_all(&results);
    std::fs::create_dir_all(&results).unwrap();
    let log = results.with_extension("log");
    let mut child = node
        .node()
        .arg(node.file("@modelcontextprotocol/conformance/dist/index.js"))
        .args(["server", "--url", &format!("{}/mcp", forwarder.base), "--suite", "all"])
        .args(["--expected-failures", BASELINE_PATH, "--output-dir"])
        .arg(&results)
        .env_remove("NODE_OPTIONS")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > SUITE_TIMEOUT {
            let _ = child.kill();
            panic!("the conformance suite took longer than {SUITE_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = std::fs::read_to_string(&log).unwrap();
    assert!(!output.contains(KEY) && !output.contains(TOKEN), "a secret reached the suite:\n{output}");
    assert!(status.success(), "the conformance suite failed ({status}):\n{output}");

    let scenarios = recorded_checks(&results);
    let baseline = baseline();
    for listed in &baseline {
        let checks = scenarios.get(*listed).unwrap_or_else(|| panic!("the baseline lists {listed}, which did not run"));
        let failures: Vec<&Value> = checks.iter().filter(|check| failed(check)).collect();
        assert!(!failures.is_empty(), "{listed} passed");
        for check in failures {
            assert!(fails_for_want_of_something(check), "{listed} failed for another reason: {check}");
        }
    }
    let passed: Vec<&str> =
        scenarios.keys().map(String::as_str).filter(|scenario| !baseline.contains(scenario)).collect();
    for scenario in &passed {
        let checks = &scenarios[*scenario];
        assert!(!checks.iter().any(failed), "{scenario}: {checks:?}");
        assert!(checks.iter().any(|check| check["status"] == "SUCCESS"), "{scenario} checked nothing: {checks:?}");
    }
    println!(
        "conformance: {} scenarios run, {} passed ({}), {} not applicable",
        scenarios.len(),
        passed.len(),
        passed.join(", "),
        baseline.len()
    );
}
