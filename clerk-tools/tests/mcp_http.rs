//! `clerk-tools mcp --http`: MCP over Streamable HTTP as a client sees it, with the bearer
//! token, the Origin and Host checks, selection, the missing key and many calls at once.
//! Every server is started on a free port of 127.0.0.1.

mod mcp_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use clerk_tools::ToolSelection;
use futures_util::future::join_all;
use serde_json::{Value, json};

use mcp_support::{
    Api, BEARER, HttpServer, KEY, TOKEN, assert_listed, call, http_client, initialize, mcp_command, post, request,
    text_content,
};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// The request headers: `extra` and the token.
fn headers<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    [extra, &[BEARER]].concat()
}

#[test]
fn serves_mcp_with_the_token_and_health_without() {
    assert_eq!(BEARER.1, format!("Bearer {TOKEN}"));
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    runtime().block_on(async {
        let client = http_client();
        let health = client.get(format!("{}/healthz", server.base())).send().await.unwrap();
        assert_eq!(health.status().as_u16(), 200);

        // No token, a wrong one, another scheme: 401, and the answer names no token.
        for headers in [
            &[][..],
            &[("authorization", "Bearer mcp-token-wrong")],
            &[("authorization", "Basic bWNwOnRva2Vu")],
            &[("authorization", &BEARER.1[..BEARER.1.len() - 1])],
        ] {
            let (status, body) = post(&client, &server.url, headers, &initialize(1)).await;
            assert_eq!(status, 401, "{headers:?}: {body}");
        }
        let response = client.post(&server.url).body("{}").send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");

        let auth = [BEARER];
        let (status, initialized) = post(&client, &server.url, &auth, &initialize(1)).await;
        assert_eq!(status, 200, "{initialized}");
        assert_eq!(initialized["result"]["serverInfo"]["name"], "clerk-tools", "{initialized}");
        assert!(initialized["result"]["capabilities"]["tools"].is_object(), "{initialized}");

        let (status, listed) = post(&client, &server.url, &auth, &request(2, "tools/list", json!({}))).await;
        assert_eq!(status, 200, "{listed}");
        let tools = listed["result"]["tools"].as_array().unwrap_or_else(|| panic!("{listed}"));
        assert_listed(tools, &clerk_tools::tools().iter().collect::<Vec<_>>());

        let (_, answer) = post(&client, &server.url, &auth, &call(3, "clerk_list_users", json!({"limit": 2}))).await;
        let result = &answer["result"];
        assert_eq!(result["isError"], false, "{answer}");
        assert_eq!(result["structuredContent"]["success"], true, "{answer}");
        assert_eq!(result["structuredContent"]["totalCount"], 3, "{answer}");
        assert_eq!(text_content(result), result["structuredContent"]);

        let (_, answer) =
            post(&client, &server.url, &auth, &call(4, "clerk_get_user", json!({"userId": "user_missing"}))).await;
        let result = &answer["result"];
        assert_eq!(result["isError"], true, "{answer}");
        assert!(result.get("structuredContent").is_none(), "{answer}");
        assert_eq!(text_content(result)["httpStatus"], 404, "{answer}");

        let (_, answer) = post(&client, &server.url, &auth, &call(5, "clerk_fly", json!({}))).await;
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
    });
}

#[test]
fn foreign_origins_and_hosts_are_forbidden() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    runtime().block_on(async {
        let client = http_client();
        for origin in ["http://evil.example", "https://127.0.0.1.evil.example", "null", "http://192.0.2.7:8788"] {
            let (status, body) = post(&client, &server.url, &headers(&[("origin", origin)]), &initialize(1)).await;
            assert_eq!(status, 403, "{origin}: {body}");
        }
        // A foreign origin is refused even without the token: the origin is checked first.
        let (status, _) = post(&client, &server.url, &[("origin", "http://evil.example")], &initialize(1)).await;
        assert_eq!(status, 403);
        let port = server.base().rsplit(':').next().unwrap().to_string();
        let own = format!("http://127.0.0.1:{port}");
        for origin in ["http://localhost:5173", "http://127.0.0.1", own.as_str(), "http://[::1]:3000"] {
            let (status, body) = post(&client, &server.url, &headers(&[("origin", origin)]), &initialize(1)).await;
            assert_eq!(status, 200, "{origin}: {body}");
        }
        let (status, body) = post(&client, &server.url, &headers(&[]), &initialize(1)).await;
        assert_eq!(status, 200, "no Origin: {body}");
        // A name that resolves to this machine only through DNS rebinding.
        let (status, body) = post(&client, &server.url, &headers(&[("host", "evil.example")]), &initialize(1)).await;
        assert_eq!(status, 403, "{body}");
    });
}

/// Without a token of at least 32 characters the server refuses to start, on loopback as
/// beyond it, before it binds anything.
#[test]
fn every_http_server_needs_a_long_token() {
    for (addr, token, says) in [
        ("127.0.0.1:0", None, "CLERK_TOOLS_MCP_TOKEN"),
        ("0.0.0.0:0", None, "CLERK_TOOLS_MCP_TOKEN"),
        ("[::]:0", None, "CLERK_TOOLS_MCP_TOKEN"),
        ("127.0.0.1:0", Some("   "), "CLERK_TOOLS_MCP_TOKEN"),
        ("127.0.0.1:0", Some("x"), "has 1 characters and needs at least 32"),
        ("0.0.0.0:0", Some(&TOKEN[..31]), "has 31 characters and needs at least 32"),
    ] {
        let token = token.map(|token| ("CLERK_TOOLS_MCP_TOKEN", token));
        let env: Vec<(&str, &str)> = [("CLERK_SECRET_KEY", KEY)].into_iter().chain(token).collect();
        let mut command = mcp_command(&["--http", addr], &env);
        command.stdin(Stdio::null());
        let started = Instant::now();
        let output = command.output().unwrap();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(output.status.code(), Some(2), "{addr}");
        assert!(output.stdout.is_empty(), "it printed a URL, so it listened");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: ") && stderr.contains(says), "{stderr}");
        assert!(!stderr.contains(&TOKEN[..31]), "{stderr}");
    }
}

/// A hundred tool calls at once, each answered with its own result.
#[test]
fn a_hundred_concurrent_calls_are_each_answered() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    runtime().block_on(async {
        let client = http_client();
        let auth = [BEARER];
        let (_, listed) = post(&client, &server.url, &auth, &call(1, "clerk_list_users", json!({}))).await;
        let users: Vec<(String, String)> = listed["result"]["structuredContent"]["users"]
            .as_array()
            .unwrap_or_else(|| panic!("{listed}"))
            .iter()
            .map(|user| (user["id"].as_str().unwrap().to_string(), user["username"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(users.len(), 3);

        let calls = (0..100u64).map(|n| {
            let (client, url, users) = (&client, &server.url, &users);
            async move {
                let id = 1000 + n;
                let (user_id, username) = &users[n as usize % users.len()];
                // Every fifth call fails, so failures and successes interleave.
                let arguments = if n % 5 == 4 {
                    json!({"userId": format!("user_missing_{n}")})
                } else {
                    json!({"userId": user_id})
                };
                let (status, answer) = post(client, url, &auth, &call(id, "clerk_get_user", arguments)).await;
                (n, id, username.clone(), status, answer)
            }
        });
        let answers = join_all(calls).await;
        assert_eq!(answers.len(), 100);
        for (n, id, username, status, answer) in answers {
            assert_eq!(status, 200, "{answer}");
            assert_eq!(answer["id"], id, "{answer}");
            let result = &answer["result"];
            if n % 5 == 4 {
                assert_eq!(result["isError"], true, "{answer}");
                assert_eq!(text_content(result)["httpStatus"], 404, "{answer}");
            } else {
                assert_eq!(result["isError"], false, "{answer}");
                assert_eq!(result["structuredContent"]["username"], username.as_str(), "{answer}");
            }
        }
    });
    assert_eq!(api.standin.request_count("GET", "/v1/users/{user_id}"), 100);
}

/// Selection and the missing key behave over HTTP as over stdio.
#[test]
fn selection_and_missing_key_over_http() {
    let api = Api::start();
    let server = HttpServer::spawn(&["--read-only", "--tools", "clerk_list_*"], &[("CLERK_API_URL", &api.url())]);
    let selection = ToolSelection::all().read_only(true).patterns("clerk_list_*");
    let expected = selection.resolve().unwrap();
    runtime().block_on(async {
        let client = http_client();
        let (_, listed) = post(&client, &server.url, &[BEARER], &request(1, "tools/list", json!({}))).await;
        let tools: Vec<Value> = listed["result"]["tools"].as_array().unwrap_or_else(|| panic!("{listed}")).clone();
        assert_listed(&tools, &expected);
        for tool in &expected {
            let (_, answer) = post(&client, &server.url, &[BEARER], &call(2, tool.name, json!({}))).await;
            let result = &answer["result"];
            assert_eq!(result["isError"], true, "{answer}");
            assert!(result.get("structuredContent").is_none(), "{answer}");
            let message = text_content(result)["error"].as_str().unwrap().to_string();
            assert!(message.contains("CLERK_SECRET_KEY"), "{message}");
        }
        let (_, unknown) = post(&client, &server.url, &[BEARER], &call(3, "clerk_fly", json!({}))).await;
        for hidden in clerk_tools::tools().iter().filter(|tool| !selection.admits(tool)) {
            let (_, answer) = post(&client, &server.url, &[BEARER], &call(3, hidden.name, json!({}))).await;
            assert_eq!(answer["error"]["code"], unknown["error"]["code"], "{answer}");
            assert_eq!(answer["error"]["message"], format!("unknown tool: {}", hidden.name), "{answer}");
        }
    });
    assert_eq!(api.standin.request_count("GET", "/v1/users"), 0);
}

/// An API that counts what it is sent: connections opened, requests in flight at once.
struct CountingApi {
    url: String,
    counts: std::sync::Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    connections: std::sync::atomic::AtomicUsize,
    requests: std::sync::atomic::AtomicUsize,
    in_flight: std::sync::atomic::AtomicUsize,
    most_in_flight: std::sync::atomic::AtomicUsize,
}

impl CountingApi {
    /// Answers every request 404 (Clerk's format) after `delay`, keeping connections alive.
    fn start(delay: Duration) -> CountingApi {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::Ordering::SeqCst;

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let counts = std::sync::Arc::new(Counts::default());
        let shared = std::sync::Arc::clone(&counts);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                shared.connections.fetch_add(1, SeqCst);
                let counts = std::sync::Arc::clone(&shared);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut writer = stream;
                    loop {
                        // A GET: the head ends at the first empty line.
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        while line.trim_end() != "" {
                            line.clear();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                        }
                        counts.requests.fetch_add(1, SeqCst);
                        let now = counts.in_flight.fetch_add(1, SeqCst) + 1;
                        counts.most_in_flight.fetch_max(now, SeqCst);
                        std::thread::sleep(delay);
                        counts.in_flight.fetch_sub(1, SeqCst);
                        let body = r#"{"errors":[{"message":"not found","code":"resource_not_found"}]}"#;
                        let answer = format!(
                            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if writer.write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        CountingApi { url, counts }
    }
}

/// A burst of tool calls queues for the API: no more requests in flight than the bound, about
/// as many connections, and every call is answered.
#[test]
fn a_burst_of_calls_queues_within_the_outbound_bound() {
    use std::sync::atomic::Ordering::SeqCst;

    for (args, bound) in
        [(&["--max-concurrent-requests", "4"][..], 4), (&[], clerk_tools::DEFAULT_MAX_CONCURRENT_REQUESTS)]
    {
        let api = CountingApi::start(Duration::from_millis(100));
        let server = HttpServer::spawn(args, &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url)]);
        let calls = 3 * bound as u64;
        runtime().block_on(async {
            let client = http_client();
            let answers = join_all((0..calls).map(|n| {
                let (client, url) = (&client, &server.url);
                async move {
                    post(client, url, &[BEARER], &call(n, "clerk_get_user", json!({"userId": format!("user_{n}")})))
                        .await
                }
            }))
            .await;
            for (status, answer) in answers {
                assert_eq!(status, 200, "{answer}");
                assert_eq!(text_content(&answer["result"])["httpStatus"], 404, "{answer}");
            }
        });
        assert_eq!(api.counts.requests.load(SeqCst), calls as usize);
        let most = api.counts.most_in_flight.load(SeqCst);
        assert!(most <= bound && most >= bound / 2, "{most} in flight at once, bound {bound}");
        // A request's turn ends when its answer is read, a moment before its connection is back
        // in the pool: the next request may open one more. A few, never one per call.
        let connections = api.counts.connections.load(SeqCst);
        assert!(connections <= bound + bound / 4 + 1, "{connections} connections opened, bound {bound}");
    }
}

/// `examples/mcp_axum.rs`: the server mounted under `/clerk` in an app with routes of its own,
/// serving the read-only tools to clients with the token.
#[test]
fn the_axum_example_mounts_the_server_in_an_app() {
    let api = Api::start();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut child = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--package", "clerk-tools", "--features", "mcp", "--example", "mcp_axum"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CLERK_SECRET_KEY", KEY)
        .env("CLERK_API_URL", api.url())
        .env("CLERK_TOOLS_MCP_TOKEN", TOKEN)
        .env("PORT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let lines = mcp_support::stdout_lines(&mut child);
    let _child = Kill(child);
    let line = lines.recv_timeout(Duration::from_secs(300)).expect("the example prints its URL");
    let url = line.strip_prefix("MCP_URL=").unwrap_or_else(|| panic!("{line}")).to_string();
    assert!(url.ends_with("/clerk/mcp"), "{url}");
    runtime().block_on(async {
        let client = http_client();
        let page = client.get(url.trim_end_matches("clerk/mcp")).send().await.unwrap();
        assert_eq!(page.text().await.unwrap(), "the app's own page\n");
        let (status, _) = post(&client, &url, &[], &initialize(1)).await;
        assert_eq!(status, 401);
        let (_, listed) = post(&client, &url, &[BEARER], &request(2, "tools/list", json!({}))).await;
        let tools = listed["result"]["tools"].as_array().unwrap_or_else(|| panic!("{listed}"));
        assert_listed(tools, &ToolSelection::all().read_only(true).resolve().unwrap());
        let (_, answer) = post(&client, &url, &[BEARER], &call(3, "clerk_list_users", json!({"limit": 1}))).await;
        assert_eq!(answer["result"]["structuredContent"]["totalCount"], 3, "{answer}");
    });
}
