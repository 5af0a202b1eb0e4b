//! `clerk-tools mcp` as an MCP client sees it: newline-delimited JSON-RPC 2.0 over the
//! child's stdin and stdout, against a stand-in of Clerk's API.

mod mcp_support;

use std::process::Stdio;

use clerk_tools::ToolSelection;
use serde_json::{Value, json};

use mcp_support::{Api, KEY, StdioServer, assert_listed, mcp_command, text_content};

/// Asserts a failed call as clients expect it: `isError`, the error JSON as text, and no
/// `structuredContent` (which would contradict the output schema); returns the error JSON.
fn assert_tool_error(result: &Value) -> Value {
    assert_eq!(result["isError"], true, "{result}");
    assert!(result.get("structuredContent").is_none(), "an error carries structuredContent: {result}");
    let output = text_content(result);
    assert_eq!(output["success"], false, "{output}");
    output
}

#[test]
fn tools_list_and_call_over_stdio() {
    let api = Api::start();
    let mut server = StdioServer::spawn(&api.url(), &[]);

    let initialized = server.initialize();
    let result = &initialized["result"];
    assert_eq!(result["protocolVersion"], "2025-06-18", "{initialized}");
    assert_eq!(result["serverInfo"]["name"], "clerk-tools");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(result["capabilities"]["tools"].is_object(), "{initialized}");

    let tools = server.list_tools();
    assert_listed(&tools, &clerk_tools::tools().iter().collect::<Vec<_>>());

    // The key comes from the server's environment: the model sends none.
    let result = server.call_tool("clerk_list_users", json!({}));
    assert_eq!(result["isError"], false, "{result}");
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
    let output = assert_tool_error(&server.call_tool("clerk_get_user", json!({"userId": "../admin"})));
    assert_eq!(output["kind"], "invalid_input");
    assert_eq!(output["field"], "userId");
    assert_eq!(api.standin.request_count("GET", "/v1/users/{user_id}"), 0);

    // Clerk's refusal carries its HTTP status as `httpStatus`.
    let output = assert_tool_error(&server.call_tool("clerk_get_user", json!({"userId": "user_missing"})));
    assert_eq!(output["kind"], "not_found");
    assert_eq!(output["httpStatus"], 404);
    assert!(output.get("status").is_none(), "{output}");

    // A key sent by the model is ignored in favour of the server's own.
    let result = server.call_tool("clerk_list_organizations", json!({"secretKey": "sk_test_from_the_model"}));
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(text_content(&result)["totalCount"], 2);

    // An unknown tool is a protocol error.
    let response = server.request("tools/call", json!({"name": "clerk_fly", "arguments": {}}));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    assert_eq!(response["error"]["message"], "unknown tool: clerk_fly", "{response}");
}

/// `--read-only` and `--tools` narrow what is listed, and a call to a tool left out fails
/// exactly as a call to a tool that does not exist.
#[test]
fn selected_tools_only_over_stdio() {
    let api = Api::start();
    for args in [
        &["--read-only"][..],
        &["--read-only", "--allow-credentials"],
        &["--tools", "clerk_get_*,clerk_list_users"],
        &["--read-only", "--tools", "*_user*"],
    ] {
        let mut selection = ToolSelection::all();
        let mut given = args.iter();
        while let Some(arg) = given.next() {
            match *arg {
                "--read-only" => selection = selection.read_only(true),
                "--allow-credentials" => selection = selection.allow_credentials(true),
                "--tools" => selection = selection.patterns(given.next().unwrap()),
                other => panic!("{other}"),
            }
        }
        let expected = selection.resolve().unwrap();
        assert!(!expected.is_empty() && expected.len() < clerk_tools::tools().len(), "{args:?}");

        let mut server = StdioServer::spawn(&api.url(), args);
        server.initialize();
        assert_listed(&server.list_tools(), &expected);

        let unknown = server.request("tools/call", json!({"name": "clerk_fly", "arguments": {}}));
        for hidden in clerk_tools::tools().iter().filter(|tool| !selection.admits(tool)) {
            let response = server.request("tools/call", json!({"name": hidden.name, "arguments": {}}));
            assert_eq!(response["error"]["code"], unknown["error"]["code"], "{response}");
            assert_eq!(response["error"]["message"], format!("unknown tool: {}", hidden.name), "{response}");
            assert!(response.get("result").is_none(), "{response}");
        }
        if args.contains(&"--read-only") {
            assert!(expected.iter().all(|tool| tool.nature.read_only));
            // Credentials only when allowed.
            let credentials = expected.iter().any(|tool| tool.name == "clerk_get_user_oauth_token");
            assert_eq!(credentials, args.contains(&"--allow-credentials"), "{args:?}");
        }
    }
    // Nothing hidden reached Clerk.
    for (method, route) in [("DELETE", "/v1/users/{user_id}"), ("POST", "/v1/users"), ("POST", "/v1/organizations")] {
        assert_eq!(api.standin.request_count(method, route), 0, "{method} {route}");
    }
}

/// Without a key the server still starts and lists its tools, and every call explains which
/// variable to set.
#[test]
fn without_a_key_every_call_says_how_to_set_it() {
    let api = Api::start();
    let mut server = StdioServer::spawn_with(&[], &[("CLERK_API_URL", &api.url())]);
    let initialized = server.initialize();
    assert_eq!(initialized["result"]["serverInfo"]["name"], "clerk-tools", "{initialized}");
    let tools = server.list_tools();
    assert_listed(&tools, &clerk_tools::tools().iter().collect::<Vec<_>>());
    for tool in clerk_tools::tools() {
        let output = assert_tool_error(&server.call_tool(tool.name, json!({})));
        assert_eq!(output["error"], clerk_tools::Error::MissingSecretKey.to_string(), "{output}");
        assert!(output["error"].as_str().unwrap().contains("CLERK_SECRET_KEY"), "{output}");
        assert_eq!(output["kind"], "config", "{output}");
    }
    // A key from the model is no way around it.
    let output = assert_tool_error(&server.call_tool("clerk_list_users", json!({"secretKey": KEY})));
    assert!(output["error"].as_str().unwrap().contains("CLERK_SECRET_KEY"), "{output}");
    assert_eq!(api.standin.request_count("GET", "/v1/users"), 0);
}

/// A selection that names no tool stops the server before it speaks, naming the pattern.
#[test]
fn a_pattern_that_matches_nothing_stops_the_server() {
    for (args, pattern) in [
        (&["--tools", "clerk_get_*,clerk_fly_*"][..], "clerk_fly_*"),
        (&["--read-only", "--tools", "clerk_delete_*"], "clerk_delete_*"),
    ] {
        let output = mcp_command(args, &[("CLERK_SECRET_KEY", KEY)]).stdin(Stdio::null()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: ") && stderr.contains(&format!("`{pattern}`")), "{stderr}");
    }
}

/// A line that is not a message is answered with a JSON-RPC error, as over HTTP, and the
/// session goes on; a batch is refused, since no revision offered has them.
#[test]
fn broken_lines_are_answered_and_the_session_goes_on() {
    let api = Api::start();
    let mut server = StdioServer::spawn(&api.url(), &[]);
    // Before the handshake too.
    server.send_line("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\"");
    let answer = server.next_message();
    assert_eq!(answer["error"]["code"], -32700, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().starts_with("Parse error: "), "{answer}");
    assert_eq!(answer.as_object().unwrap().keys().collect::<Vec<_>>(), ["jsonrpc", "id", "error"]);
    server.initialize();
    for (line, code, id) in [
        ("not json at all", -32700, Value::Null),
        (
            "{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"ping\", \"params\": {\"password\": \"hunter2\"",
            -32700,
            Value::Null,
        ),
        (
            r#"[{"jsonrpc": "2.0", "id": 3, "method": "ping"}, {"jsonrpc": "2.0", "id": 4, "method": "ping"}]"#,
            -32600,
            Value::Null,
        ),
        (r#"{"jsonrpc": "2.0", "id": 7}"#, -32600, json!(7)),
        ("42", -32600, Value::Null),
    ] {
        server.send_line(line);
        let answer = server.next_message();
        assert_eq!(answer["error"]["code"], code, "{line}: {answer}");
        assert_eq!(answer.get("id"), Some(&id), "{line}: {answer}");
        assert!(!answer.to_string().contains("hunter2"), "{answer}");
        if line.starts_with('[') {
            assert!(answer["error"]["message"].as_str().unwrap().contains("batch"), "{answer}");
        }
    }
    // A notification that cannot be read gets no answer; the next request does.
    server.send_line(r#"{"jsonrpc": "2.0", "method": "notifications/cancelled", "params": 5}"#);
    server.send_line("");
    let pong = server.request("ping", json!({}));
    assert_eq!(pong["result"], json!({}), "{pong}");
    let tools = server.list_tools();
    assert_eq!(tools.len(), clerk_tools::tools().len());
}

/// 2025-03-26, the one revision with batches, is not offered: a client asking for it is
/// offered another, as over HTTP.
#[test]
fn the_revision_with_batches_is_not_offered_over_stdio() {
    let api = Api::start();
    let mut server = StdioServer::spawn(&api.url(), &[]);
    let initialized = server.request(
        "initialize",
        json!({"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "old", "version": "0"}}),
    );
    let offered = initialized["result"]["protocolVersion"].as_str().unwrap_or_else(|| panic!("{initialized}"));
    assert!(offered > "2025-03-26", "{initialized}");
}
