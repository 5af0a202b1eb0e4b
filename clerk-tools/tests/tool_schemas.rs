//! `tool-schemas.json`: the whole tool surface (every tool's title, description, nature,
//! operations and input and output schemas), committed so that every change to it is reviewed
//! in a diff, and read by `cargo xtask generate` to tell which operations the tools need from a
//! new Clerk document without compiling them.
//!
//! This test derives the file from the library and compares. When they differ it rewrites the
//! file (unless `CI` is set) and fails: review `git diff clerk-tools/tool-schemas.json`, then
//! run the test again. With `UPDATE_TOOL_SCHEMAS` set, as `cargo xtask generate` runs it, it
//! rewrites the file and passes.

use serde_json::{Map, Value, json};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tool-schemas.json");

/// The file as the library describes its tools.
fn derived() -> String {
    let tools: Map<String, Value> = clerk_tools::tools()
        .iter()
        .map(|tool| {
            let entry = json!({
                "title": tool.title,
                "description": tool.description,
                "nature": tool.nature,
                "returnsCredentials": tool.returns_credentials,
                "operations": tool.operations,
                "input": tool.input_schema_without_secret,
                "output": tool.output_schema,
            });
            (tool.name.to_string(), entry)
        })
        .collect();
    let document = json!({
        "$comment": "The tools as clerk-tools describes them, written by `cargo test -p clerk-tools --test tool_schemas` (which `cargo xtask generate` runs); do not edit.",
        "tools": tools,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialize");
    text.push('\n');
    text
}

#[test]
fn tool_schemas_json_is_current() {
    let derived = derived();
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    if committed == derived {
        return;
    }
    let updating = std::env::var_os("UPDATE_TOOL_SCHEMAS").is_some();
    let rewritten = (updating || std::env::var_os("CI").is_none()) && std::fs::write(PATH, &derived).is_ok();
    if updating && rewritten {
        return;
    }
    panic!(
        "clerk-tools/tool-schemas.json is stale{}: review `git diff clerk-tools/tool-schemas.json` and commit it",
        if rewritten { " and has been rewritten" } else { "; run `cargo test -p clerk-tools --test tool_schemas`" }
    );
}
