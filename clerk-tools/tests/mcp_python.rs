//! Interoperability with an independent implementation: the official MCP Python SDK as the
//! client of `clerk-tools mcp`, over stdio and over Streamable HTTP, against the stand-in.
//!
//! The SDK validates `structuredContent` against the tool's `outputSchema` itself, and the
//! script (`tests/mcp_python/client.py`) checks the schemas and results again with
//! `jsonschema`. The test installs the SDK with every package it needs, each pinned to a
//! version and the sha256 of its file (`tests/mcp_python/requirements.txt`), once per target
//! directory (`pip install --require-hashes --target <target>/tmp/...`). Needs `python3` with
//! pip, and the package registry the first time.

mod mcp_support;
#[path = "../../tests/support/pip.rs"]
mod pip;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use clerk_tools::{TOOL_NAMES, ToolSelection};
use serde_json::{Value, json};

use mcp_support::{Api, HttpServer, KEY, TOKEN, property_names, run_client};

const REQUIREMENTS: &str = include_str!("mcp_python/requirements.txt");
const SCRIPT: &str = include_str!("mcp_python/client.py");

/// The directory holding the installed SDK, installed on first use.
fn library() -> &'static PathBuf {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        pip::install(Path::new(env!("CARGO_TARGET_TMPDIR")), "mcp-python-sdk", REQUIREMENTS, "mcp/__init__.py")
    })
}

/// Runs the client script on `request`; returns its report.
fn python(request: &Value) -> Value {
    let mut python = Command::new("python3");
    python
        .arg("-c")
        .arg(SCRIPT)
        .env("PYTHONPATH", library())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONNOUSERSITE", "1");
    run_client(&mut python, request)
}

/// The calls every run makes: a read that succeeds, a call Clerk refuses (404) and one that
/// is invalid before anything is sent.
fn calls(request: Value, unknown: &[&str]) -> Value {
    let mut request = request;
    request["readTool"] = json!("clerk_list_users");
    request["readArguments"] = json!({"limit": 2, "orderBy": "+username"});
    request["failingCalls"] =
        json!([["clerk_get_user", {"userId": "user_missing"}], ["clerk_get_user", {"userId": "../admin"}]]);
    request["unknownTools"] = json!(unknown);
    request
}

/// Checks a report against what the server offers (`expected`).
fn check_report(report: &Value, expected: &[&clerk_tools::Tool]) {
    assert_eq!(report["serverName"], "clerk-tools", "{report}");
    let names: Vec<&str> = report["names"].as_array().unwrap().iter().map(|name| name.as_str().unwrap()).collect();
    let expected_names: Vec<&str> = expected.iter().map(|tool| tool.name).collect();
    assert_eq!(names, expected_names);
    for tool in expected {
        let seen = &report["tools"][tool.name];
        // The order of the properties survives the SDK's parsing of the listing.
        let properties: Vec<String> =
            seen["properties"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
        assert_eq!(properties, property_names(&tool.input_schema_without_secret), "{}", tool.name);
        assert_eq!(seen["title"], tool.title);
        assert_eq!(seen["readOnly"], tool.nature.read_only);
        assert_eq!(seen["hasOutputSchema"], tool.output_schema.is_some(), "{}", tool.name);
    }
    let read = &report["read"];
    assert_eq!(read["success"], true, "{read}");
    assert_eq!(read["totalCount"], 3, "{read}");
    assert_eq!(read["users"][0]["username"], "ada", "{read}");

    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures[0]["kind"], "not_found", "{report}");
    assert_eq!(failures[0]["httpStatus"], 404, "{report}");
    assert_eq!(failures[1]["kind"], "invalid_input", "{report}");
    assert_eq!(failures[1]["field"], "userId", "{report}");

    for unknown in report["unknown"].as_array().unwrap() {
        assert_eq!(unknown["code"], -32602, "{report}");
        assert!(unknown["message"].as_str().unwrap().starts_with("unknown tool: "), "{report}");
    }

    if expected.iter().any(|tool| tool.name == "clerk_list_sessions") {
        let rule = &report["listSessionsSchema"];
        assert_eq!(rule, &json!({"empty": false, "userId": true, "clientId": true, "both": true, "statusOnly": false}));
    }
}

#[test]
fn the_python_sdk_over_stdio() {
    let api = Api::start();
    let all: Vec<&clerk_tools::Tool> = clerk_tools::tools().iter().collect();
    let stdio = |args: &[&str]| {
        let mut command = vec!["mcp"];
        command.extend_from_slice(args);
        json!({
            "transport": "stdio",
            "command": env!("CARGO_BIN_EXE_clerk-tools"),
            "args": command,
            "env": {"CLERK_SECRET_KEY": KEY, "CLERK_API_URL": api.url()},
            "mode": "legacy",
        })
    };
    let mut request = calls(stdio(&[]), &["clerk_fly"]);
    request["everyTool"] = json!(true);
    let report = python(&request);
    assert_eq!(report["protocolVersion"], "2025-11-25", "{report}");
    check_report(&report, &all);
    // Every tool succeeded, its output valid for its schema.
    let validated: Vec<&str> = report["validated"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    for name in TOOL_NAMES {
        assert!(validated.contains(&name), "{name} was not called: {validated:?}");
    }

    // Read-only: the hidden tools are unknown to the client.
    let read_only = ToolSelection::all().read_only(true).resolve().unwrap();
    let hidden: Vec<&str> =
        TOOL_NAMES.iter().copied().filter(|name| !read_only.iter().any(|t| t.name == *name)).collect();
    let report = python(&calls(stdio(&["--read-only"]), &hidden));
    check_report(&report, &read_only);
    assert_eq!(report["unknown"].as_array().unwrap().len(), hidden.len());
}

#[test]
fn the_python_sdk_over_streamable_http() {
    let api = Api::start();
    let server = HttpServer::spawn(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())]);
    let all: Vec<&clerk_tools::Tool> = clerk_tools::tools().iter().collect();
    // "legacy": the initialize handshake; "auto": the SDK's own choice, which tries the newer
    // discovery first and is answered in kind.
    for mode in ["legacy", "auto"] {
        let request = json!({"transport": "http", "url": server.url, "token": TOKEN, "mode": mode});
        let report = python(&calls(request, &["clerk_fly"]));
        check_report(&report, &all);
    }

    let selected = HttpServer::spawn(
        &["--tools", "clerk_get_*,clerk_list_users"],
        &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())],
    );
    let selection = ToolSelection::all().patterns("clerk_get_*,clerk_list_users");
    let expected = selection.resolve().unwrap();
    let hidden: Vec<&str> = clerk_tools::tools().iter().filter(|t| !selection.admits(t)).map(|t| t.name).collect();
    let request = json!({"transport": "http", "url": selected.url, "token": TOKEN, "mode": "legacy"});
    let report = python(&calls(request, &hidden));
    check_report(&report, &expected);
}

/// The calls of a run against generated tools: a read, the same failures as [`calls`], and
/// tools the server does not offer.
fn generated_calls(request: Value, read: (&str, Value), failing: Value, unknown: &[&str], extra: Value) -> Value {
    let mut request = request;
    request["readTool"] = json!(read.0);
    request["readArguments"] = read.1;
    request["failingCalls"] = failing;
    request["unknownTools"] = json!(unknown);
    request["extraCalls"] = extra;
    request
}

/// Checks what a run against generated tools reports: the listed names, the read (Clerk's
/// users as the client decodes them), and the failures.
fn check_generated(report: &Value, names: &[&str]) {
    let listed: Vec<&str> = report["names"].as_array().unwrap().iter().map(|name| name.as_str().unwrap()).collect();
    assert_eq!(listed, names);
    for name in names {
        let declares = clerk_tools::find_tool(name).is_none_or(|tool| tool.output_schema.is_some());
        assert_eq!(report["tools"][name]["hasOutputSchema"], declares, "{name}");
    }
    let read = &report["read"];
    assert_eq!((&read["success"], &read["result"][0]["username"]), (&json!(true), &json!("ada")), "{read}");
    let failures = report["failures"].as_array().unwrap();
    assert_eq!((&failures[0]["kind"], &failures[0]["httpStatus"]), (&json!("not_found"), &json!(404)), "{report}");
    for unknown in report["unknown"].as_array().unwrap() {
        assert_eq!(unknown["code"], -32602, "{report}");
    }
}

#[test]
fn the_python_sdk_with_toolsets_and_in_dynamic_mode_over_stdio_and_http() {
    let api = Api::start();
    let url = api.url();
    let env = [("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", url.as_str())];
    let stdio = |args: &[&str]| {
        let mut command = vec!["mcp"];
        command.extend_from_slice(args);
        json!({
            "transport": "stdio",
            "command": env!("CARGO_BIN_EXE_clerk-tools"),
            "args": command,
            "env": {"CLERK_SECRET_KEY": KEY, "CLERK_API_URL": api.url()},
            "mode": "legacy",
        })
    };
    let list_users = json!({"limit": 2, "order_by": "+username"});

    // --toolsets users: the curated tools and the generated tools of the group.
    let selected = ToolSelection::all().toolsets("users").resolve().unwrap();
    let names: Vec<&str> = selected.iter().map(|tool| tool.name).collect();
    let failing = json!([
        ["clerk_api_get_user", {"user_id": "user_missing"}],
        ["clerk_api_get_user", {"user_id": "../admin"}]
    ]);
    let http = HttpServer::spawn(&["--toolsets", "users", "--max-output-bytes", "2500"], &env);
    let over_http = json!({"transport": "http", "url": http.url, "token": TOKEN, "mode": "legacy"});
    for (request, cut) in [(stdio(&["--toolsets", "users"]), false), (over_http, true)] {
        let extra = json!([["clerk_api_get_user_list", {"order_by": "+username", "offset": 1}]]);
        let request = generated_calls(
            request,
            ("clerk_api_get_user_list", list_users.clone()),
            failing.clone(),
            &["clerk_api_list_domains"],
            extra,
        );
        let report = python(&request);
        check_generated(&report, &names);
        for tool in &selected {
            let properties: Vec<String> = report["tools"][tool.name]["properties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_string())
                .collect();
            assert_eq!(properties, property_names(&tool.input_schema_without_secret), "{}", tool.name);
        }
        assert_eq!(report["failures"][1]["field"], "user_id", "{report}");
        // The output budget: a list cut at whole items, saying where to continue.
        let page = &report["extra"][0];
        if cut {
            let kept = page["result"].as_array().unwrap().len();
            assert!(page.to_string().len() <= 2500, "{page}");
            assert_eq!((&page["truncated"], &page["returnedItems"]), (&json!(true), &json!(kept)), "{page}");
            assert_eq!(page["nextOffset"], json!(1 + kept), "{page}");
        } else {
            assert_eq!(page["result"].as_array().unwrap().len(), 2, "{page}");
            assert!(page.get("truncated").is_none(), "{page}");
        }
    }

    // --dynamic: three tools reaching the selection; a hidden operation is refused exactly like
    // an unknown one.
    let dynamic = ["clerk_search_operations", "clerk_describe_operation", "clerk_call_operation"];
    let http = HttpServer::spawn(&["--dynamic", "--toolsets", "users"], &env);
    let over_http = json!({"transport": "http", "url": http.url, "token": TOKEN, "mode": "legacy"});
    for request in [stdio(&["--dynamic", "--toolsets", "users"]), over_http] {
        let failing = json!([
            ["clerk_call_operation", {"name": "clerk_api_get_user", "input": {"user_id": "user_missing"}}],
            ["clerk_call_operation", {"name": "clerk_api_list_domains", "input": {}}],
            ["clerk_call_operation", {"name": "clerk_api_list_domainz", "input": {}}]
        ]);
        let extra = json!([
            ["clerk_search_operations", {"query": "list users"}],
            ["clerk_search_operations", {"query": "domains"}],
            ["clerk_describe_operation", {"name": "clerk_api_get_user"}]
        ]);
        let read = ("clerk_call_operation", json!({"name": "clerk_api_get_user_list", "input": list_users}));
        let report = python(&generated_calls(request, read, failing, &["clerk_api_get_user_list"], extra));
        check_generated(&report, &dynamic);
        let (hidden, unknown) = (&report["failures"][1], &report["failures"][2]);
        assert_eq!((&hidden["kind"], &hidden["field"]), (&unknown["kind"], &unknown["field"]), "{report}");
        assert!(hidden["error"].as_str().unwrap().contains("no tool is called `clerk_api_list_domains`"), "{report}");
        let found: Vec<&str> =
            report["extra"][0]["operations"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(found[0], "clerk_list_users", "{found:?}");
        assert!(found.contains(&"clerk_api_get_user_list"), "{found:?}");
        assert_eq!(report["extra"][1]["operations"], json!([]), "{report}");
        let described = &report["extra"][2];
        let tool = clerk_tools::find_tool("clerk_api_get_user").unwrap();
        assert_eq!(described["inputSchema"], tool.input_schema_without_secret);
        assert_eq!((&described["method"], &described["path"]), (&json!("GET"), &json!("/users/{user_id}")));
        assert_eq!(described["annotations"]["readOnlyHint"], true);
    }
}
