//! Interoperability with the official MCP TypeScript SDK (`@modelcontextprotocol/sdk`, pinned
//! with the Node.js it runs on in `tests/mcp_node/`) as the client of `clerk-tools mcp`, over
//! stdio (the SDK starts the program) and over Streamable HTTP (with the bearer token), against
//! the stand-in with its demo data.
//!
//! The script (`tests/mcp_node/client.mjs`) connects, lists the tools, makes the calls it is
//! given and reports what the SDK saw; the SDK itself checks each structured result against the
//! tool's output schema.

mod mcp_node;
mod mcp_support;

use serde_json::{Value, json};

use mcp_support::{Api, HttpServer, KEY, TOKEN, run_client, text_content};

const SCRIPT: &str = include_str!("mcp_node/client.mjs");

/// Runs the client script on `request`; returns its report.
fn typescript(request: &Value) -> Value {
    let mut node = mcp_node::packages().node();
    node.args(["--input-type=module", "--eval", SCRIPT]).env_remove("NODE_OPTIONS").env_remove("CLERK_TOOLS_MCP_TOKEN");
    run_client(&mut node, request)
}

/// `connection` with the calls every run makes: two reads of the demo data, two calls with
/// invalid input and a call to a tool that does not exist.
fn with_calls(connection: Value) -> Value {
    let mut request = connection;
    request["calls"] = json!([
        ["clerk_list_users", {"limit": 2, "orderBy": "+username"}],
        ["clerk_get_organization", {"organizationId": "analytical-engine"}],
        ["clerk_get_user", {"userId": "../admin"}],
        ["clerk_list_users", {"limit": "two"}],
    ]);
    request["unknownTool"] = json!("clerk_fly");
    request
}

/// Checks the report of a run of [`with_calls`] against the server's tools and the demo data;
/// returns the summary line to print.
fn check_report(report: &Value) -> String {
    assert_eq!(report["server"]["name"], "clerk-tools", "{report}");
    assert_eq!(report["protocolVersion"], "2025-11-25", "{report}");

    let listed = report["tools"].as_array().unwrap();
    let names: Vec<&str> = listed.iter().map(|tool| tool["name"].as_str().unwrap()).collect();
    let expected: Vec<&str> = clerk_tools::tools().iter().map(|tool| tool.name).collect();
    assert_eq!(names, expected);
    for (tool, library) in listed.iter().zip(clerk_tools::tools()) {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert_eq!(tool["outputSchema"]["type"], "object", "{tool}");
        assert_eq!(tool["inputSchema"], library.input_schema_without_secret, "{}", library.name);
        assert_eq!(Some(&tool["outputSchema"]), library.output_schema.as_ref(), "{}", library.name);
    }

    let calls = report["calls"].as_array().unwrap();
    let [users, organization, path_escape, wrong_type] = calls.as_slice() else { panic!("{report}") };
    for read in [users, organization] {
        let result = &read["result"];
        assert_eq!(result["isError"], false, "{read}");
        assert_eq!(result["structuredContent"], text_content(result), "{read}");
        assert_eq!(result["structuredContent"]["success"], true, "{read}");
    }
    let users = &users["result"]["structuredContent"];
    assert_eq!(users["totalCount"], 3, "{users}");
    let usernames: Vec<&Value> = users["users"].as_array().unwrap().iter().map(|user| &user["username"]).collect();
    assert_eq!(usernames, ["ada", "alan"], "{users}");
    let organization = &organization["result"]["structuredContent"];
    assert_eq!(organization["name"], "Analytical Engine", "{organization}");
    assert_eq!(organization["slug"], "analytical-engine", "{organization}");
    assert_eq!(organization["maxAllowedMemberships"], 5, "{organization}");
    assert_eq!(organization["publicMetadata"], json!({"founded": 1837}), "{organization}");

    for (invalid, field) in [(path_escape, "userId"), (wrong_type, "limit")] {
        let result = &invalid["result"];
        assert_eq!(result["isError"], true, "{invalid}");
        assert!(result.get("structuredContent").is_none(), "{invalid}");
        let error = text_content(result);
        assert_eq!(error["success"], false, "{invalid}");
        assert_eq!(error["kind"], "invalid_input", "{invalid}");
        assert_eq!(error["field"], field, "{invalid}");
    }

    let unknown = &report["unknownTool"];
    assert_eq!(unknown["code"], -32602, "{unknown}");
    assert_eq!(unknown["message"], "MCP error -32602: unknown tool: clerk_fly", "{unknown}");

    format!(
        "{} tools listed with input and output schemas; {} calls: 2 reads as structured content equal to \
         their text, 2 invalid inputs as isError results; an unknown tool as JSON-RPC error {}",
        names.len(),
        calls.len(),
        unknown["code"]
    )
}

#[test]
fn the_typescript_sdk_over_stdio() {
    let api = Api::start();
    let report = typescript(&with_calls(json!({
        "transport": "stdio",
        "command": env!("CARGO_BIN_EXE_clerk-tools"),
        "args": ["mcp"],
        "env": {"CLERK_SECRET_KEY": KEY, "CLERK_API_URL": api.url()},
    })));
    println!("TypeScript SDK over stdio: {}", check_report(&report));
}

#[test]
fn the_typescript_sdk_over_streamable_http() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let report = typescript(&with_calls(json!({"transport": "http", "url": server.url, "token": TOKEN})));
    println!("TypeScript SDK over Streamable HTTP: {}", check_report(&report));
}
