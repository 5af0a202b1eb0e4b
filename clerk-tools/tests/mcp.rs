//! `clerk-tools mcp` as an MCP client sees it: newline-delimited JSON-RPC 2.0 over the
//! child's stdin and stdout, against a stand-in of Clerk's API.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use clerk_standin::StandIn;
use clerk_tools::TOOL_NAMES;
use serde_json::{Value, json};

const KEY: &str = "sk_test_mcp_leakcheck_93c1d07a5b";
/// How long any one answer may take before the test fails instead of hanging.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// The server under test. Its stdout is read by a thread into a channel, so every read can
/// time out; the child is killed on drop, whatever the test's outcome.
struct Server {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    next_id: u64,
}

impl Server {
    fn spawn(api_url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-tools"))
            .arg("mcp")
            .env("CLERK_SECRET_KEY", KEY)
            .env("CLERK_API_URL", api_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Server { child, stdin, lines, next_id: 1 }
    }

    fn send(&mut self, message: Value) {
        writeln!(self.stdin, "{message}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and returns its response, checking that every line the server wrote
    /// is a JSON-RPC message (nothing else may be on stdout).
    fn request(&mut self, method: &str, params: Value) -> Value {
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

    fn call_tool(&mut self, name: &str, arguments: Value) -> Value {
        let response = self.request("tools/call", json!({"name": name, "arguments": arguments}));
        response["result"].clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The JSON a tool result carries in its text content.
fn text_content(result: &Value) -> Value {
    let text = result["content"][0]["text"].as_str().unwrap_or_else(|| panic!("no text content: {result}"));
    serde_json::from_str(text).unwrap()
}

#[test]
fn tools_list_and_call_over_stdio() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let standin = runtime.block_on(StandIn::start_with_demo_data(KEY)).unwrap();
    let mut server = Server::spawn(&standin.base_url());

    let initialized = server.request(
        "initialize",
        json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "clerk-tools-test", "version": "0.0.0"},
        }),
    );
    let result = &initialized["result"];
    assert_eq!(result["protocolVersion"], "2025-06-18", "{initialized}");
    assert_eq!(result["serverInfo"]["name"], "clerk-tools");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(result["capabilities"]["tools"].is_object(), "{initialized}");
    server.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    let listed = server.request("tools/list", json!({}));
    let tools = listed["result"]["tools"].as_array().unwrap_or_else(|| panic!("{listed}"));
    let names: Vec<&str> = tools.iter().map(|tool| tool["name"].as_str().unwrap()).collect();
    assert_eq!(names, TOOL_NAMES);
    for tool in tools {
        assert!(!tool["description"].as_str().unwrap().is_empty());
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert!(!tool["inputSchema"].to_string().contains("secretKey"), "{tool}");
        assert!(tool["title"].as_str().is_some_and(|title| !title.is_empty()), "{tool}");
        let hints = &tool["annotations"];
        let name = tool["name"].as_str().unwrap();
        let reads = name.starts_with("clerk_list_") || name.starts_with("clerk_get_");
        let removes = ["clerk_delete_", "clerk_revoke_", "clerk_remove_", "clerk_ban_", "clerk_lock_"]
            .iter()
            .any(|verb| name.starts_with(verb));
        assert_eq!(hints["readOnlyHint"], reads, "{tool}");
        assert_eq!(hints["destructiveHint"], removes, "{tool}");
        assert_eq!(hints["openWorldHint"], true, "{tool}");
        assert!(hints["idempotentHint"].is_boolean(), "{tool}");
    }

    // The key comes from the server's environment: the model sends none.
    let result = server.call_tool("clerk_list_users", json!({}));
    assert_ne!(result["isError"], true, "{result}");
    let output = text_content(&result);
    assert_eq!(output["success"], true, "{output}");
    let mut emails: Vec<&str> = output["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["emailAddresses"][0]["emailAddress"].as_str().unwrap())
        .collect();
    emails.sort();
    assert_eq!(emails, ["ada@example.com", "alan@example.com", "grace@example.com"]);
    assert_eq!(result["structuredContent"], output);

    // Invalid input is a tool error the model can read, and nothing is sent to Clerk.
    let result = server.call_tool("clerk_get_user", json!({"userId": "../admin"}));
    assert_eq!(result["isError"], true, "{result}");
    let output = text_content(&result);
    assert_eq!(output["success"], false);
    assert_eq!(output["kind"], "invalid_input");
    assert_eq!(output["field"], "userId");
    assert_eq!(standin.request_count("GET", "/v1/users/{user_id}"), 0);

    // A key sent by the model is ignored in favour of the server's own.
    let result = server.call_tool("clerk_list_organizations", json!({"secretKey": "sk_test_from_the_model"}));
    assert_ne!(result["isError"], true, "{result}");
    assert_eq!(text_content(&result)["totalCount"], 2);

    // An unknown tool is a protocol error.
    let response = server.request("tools/call", json!({"name": "clerk_fly", "arguments": {}}));
    assert!(response["error"]["code"].is_i64(), "{response}");

    drop(server);
    runtime.block_on(standin.shutdown());
}
