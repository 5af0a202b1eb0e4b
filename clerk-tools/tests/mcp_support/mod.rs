//! What the MCP tests share: a stand-in of Clerk's API, `clerk-tools mcp --http` started on a
//! free loopback port, and a plain JSON-RPC client for it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use clerk_standin::StandIn;
use serde_json::{Value, json};

/// A key distinctive enough that finding it in any output can only be a leak.
pub const KEY: &str = "sk_test_mcp_leakcheck_93c1d07a5b";
/// The bearer token of the HTTP tests, as distinctive.
pub const TOKEN: &str = "mcp-token-leakcheck-5e0c2a9f7d41b6";
/// The `Authorization` header that carries it.
pub const BEARER: (&str, &str) = ("authorization", "Bearer mcp-token-leakcheck-5e0c2a9f7d41b6");
/// How long any one answer may take before the test fails instead of hanging.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// A stand-in with the demo data, served by its own runtime while the test does what it
/// likes. Field order matters: the stand-in stops before its runtime goes away.
pub struct Api {
    pub standin: StandIn,
    _runtime: tokio::runtime::Runtime,
}

impl Api {
    pub fn start() -> Api {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let standin = runtime.block_on(StandIn::start_with_demo_data(KEY)).unwrap();
        Api { standin, _runtime: runtime }
    }

    pub fn url(&self) -> String {
        self.standin.base_url()
    }
}

/// `clerk-tools mcp ARGS` with only the given environment of its own: no Clerk or token
/// variable is inherited.
pub fn mcp_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-tools"));
    command
        .arg("mcp")
        .args(args)
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("CLERK_API_URL")
        .env_remove("CLERK_TOOLS_MCP_TOKEN")
        .envs(env.iter().copied());
    command
}

/// The lines `child` prints, read on a thread of their own so that a test can wait for one
/// with a timeout.
pub fn stdout_lines(child: &mut Child) -> Receiver<String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (sender, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// `clerk-tools mcp` over stdio, as a test's MCP client. Its stdout is read by a thread into a channel, so every read can
/// time out; the child is killed on drop, whatever the test's outcome.
pub struct StdioServer {
    child: Child,
    /// `None` once [`StdioServer::finish`] has closed it.
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl StdioServer {
    /// `clerk-tools mcp ARGS` with the key and the stand-in's URL.
    pub fn spawn(api_url: &str, args: &[&str]) -> StdioServer {
        StdioServer::spawn_with(args, &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", api_url)])
    }

    /// `clerk-tools mcp ARGS` with only the given Clerk variables.
    pub fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> StdioServer {
        let mut child = mcp_command(args, env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let lines = stdout_lines(&mut child);
        StdioServer { child, stdin: Some(stdin), lines, next_id: 1 }
    }

    pub fn send(&mut self, message: Value) {
        self.send_line(&message.to_string());
    }

    pub fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// The next line the server writes, as JSON.
    pub fn next_message(&mut self) -> Value {
        let line = self.lines.recv_timeout(ANSWER_TIMEOUT).unwrap_or_else(|_| panic!("no answer"));
        serde_json::from_str(&line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"))
    }

    /// Sends a request and returns its response, checking that every line the server wrote
    /// is a JSON-RPC message (nothing else may be on stdout).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self.lines.recv_timeout(ANSWER_TIMEOUT).unwrap_or_else(|_| panic!("no answer to {method}"));
            assert!(!line.contains(KEY), "the secret key was sent to the client: {line}");
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"));
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            // Server-to-client notifications or requests may come first; skip them.
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// The handshake; returns the `initialize` result.
    pub fn initialize(&mut self) -> Value {
        let initialized = self.request("initialize", initialize_params());
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        initialized
    }

    pub fn list_tools(&mut self) -> Vec<Value> {
        let listed = self.request("tools/list", json!({}));
        listed["result"]["tools"].as_array().unwrap_or_else(|| panic!("{listed}")).clone()
    }

    pub fn call_tool(&mut self, name: &str, arguments: Value) -> Value {
        let response = self.request("tools/call", json!({"name": name, "arguments": arguments}));
        response["result"].clone()
    }

    /// Closes stdin, as a host does when it is done, and waits for the server to exit.
    pub fn finish(mut self) -> ExitStatus {
        drop(self.stdin.take());
        self.child.wait().unwrap()
    }
}

impl Drop for StdioServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `clerk-tools mcp --http 127.0.0.1:0` with the given arguments and environment (no Clerk or
/// token variable is inherited; the token is [`TOKEN`] unless `env` names another), killed on
/// drop.
pub struct HttpServer {
    child: Child,
    /// `http://127.0.0.1:PORT/mcp`, as the server printed it.
    pub url: String,
}

impl HttpServer {
    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> HttpServer {
        let env = [&[("CLERK_TOOLS_MCP_TOKEN", TOKEN)], env].concat();
        let mut command = mcp_command(&[&["--http", "127.0.0.1:0"], args].concat(), &env);
        let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let lines = stdout_lines(&mut child);
        let line = lines.recv_timeout(ANSWER_TIMEOUT).unwrap_or_else(|_| panic!("the server printed no URL"));
        let url = line.strip_prefix("MCP_URL=").unwrap_or_else(|| panic!("not the URL line: {line}")).to_string();
        assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"), "{url}");
        HttpServer { child, url }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        self.url.trim_end_matches("/mcp")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to exit by itself, for at most `limit`.
    pub fn wait_timeout(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A reqwest client for plain HTTP to 127.0.0.1.
pub fn http_client() -> reqwest::Client {
    clerk_api::install_default_tls_provider();
    reqwest::Client::builder().timeout(ANSWER_TIMEOUT).no_proxy().build().unwrap()
}

/// One JSON-RPC message POSTed to `/mcp` as a Streamable HTTP client sends it: the status and
/// the answer (JSON, or the text of an error page).
pub async fn post(client: &reqwest::Client, url: &str, headers: &[(&str, &str)], message: &Value) -> (u16, Value) {
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(message.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert!(!text.contains(KEY) && !text.contains(TOKEN), "a secret was sent to the client: {text}");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

pub fn initialize(id: u64) -> Value {
    request(id, "initialize", initialize_params())
}

fn initialize_params() -> Value {
    json!({
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "clerk-tools-test", "version": "0.0.0"},
    })
}

pub fn request(id: u64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

pub fn call(id: u64, name: &str, arguments: Value) -> Value {
    request(id, "tools/call", json!({"name": name, "arguments": arguments}))
}

/// The JSON a tool result carries in its text content.
pub fn text_content(result: &Value) -> Value {
    let text = result["content"][0]["text"].as_str().unwrap_or_else(|| panic!("no text content: {result}"));
    serde_json::from_str(text).unwrap()
}

/// The property names of a schema, in order.
pub fn property_names(schema: &Value) -> Vec<String> {
    schema["properties"].as_object().map(|properties| properties.keys().cloned().collect()).unwrap_or_default()
}

/// Checks a `tools/list` answer against the library's tools `expected`, in order: names,
/// titles, hints, input schemas (property order included) and output schemas.
pub fn assert_listed(listed: &[Value], expected: &[&clerk_tools::Tool]) {
    let names: Vec<&str> = listed.iter().map(|tool| tool["name"].as_str().unwrap()).collect();
    let expected_names: Vec<&str> = expected.iter().map(|tool| tool.name).collect();
    assert_eq!(names, expected_names);
    for (tool, library) in listed.iter().zip(expected) {
        assert_eq!(tool["description"], library.description, "{tool}");
        assert_eq!(tool["title"], library.title, "{tool}");
        assert_eq!(tool["inputSchema"], library.input_schema_without_secret, "{}", library.name);
        assert_eq!(property_names(&tool["inputSchema"]), property_names(&library.input_schema_without_secret));
        assert!(!tool["inputSchema"].to_string().contains("secretKey"), "{tool}");
        assert_eq!(tool.get("outputSchema"), library.output_schema.as_ref(), "{}", library.name);
        let hints = &tool["annotations"];
        assert_eq!(hints.get("title"), None, "the title is the tool's own: {tool}");
        assert_eq!(hints["readOnlyHint"], library.nature.read_only, "{tool}");
        assert_eq!(hints["destructiveHint"], library.nature.destructive, "{tool}");
        assert_eq!(hints["idempotentHint"], library.nature.idempotent, "{tool}");
        assert_eq!(hints["openWorldHint"], true, "{tool}");
    }
}

/// Runs an MCP client program nobody here wrote (`command`, set up for its language) on
/// `request`, given as JSON on its stdin, with no Clerk variable of this process; returns the
/// JSON report it prints, after checking that it succeeded and that neither the key nor the
/// token reached it.
pub fn run_client(command: &mut Command, request: &Value) -> Value {
    let mut child = command
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("CLERK_API_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the client starts");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the client failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains(KEY) && !stdout.contains(TOKEN), "a secret reached the client: {stdout}");
    serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {stdout}\n{stderr}"))
}
