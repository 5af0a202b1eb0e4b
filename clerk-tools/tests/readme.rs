//! The README's Rust program is `examples/quickstart.rs`, verbatim, with the dependencies it
//! names, and it runs against the stand-in with the two variables exported; the host
//! configurations of the README and of `docs/mcp-hosts.md` select tools that exist.

mod mcp_support;

use std::process::Command;

use clerk_standin::{DEMO_SECRET_KEY, StandIn};
use mcp_support::StdioServer;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).expect("README.md")
}

fn example() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/quickstart.rs")).expect("the example")
}

#[test]
fn the_readme_shows_the_example_verbatim_with_its_dependencies() {
    let readme = readme();
    assert!(
        readme.contains(&format!("```rust,no_run\n{}```", example())),
        "README.md's ```rust,no_run block differs from examples/quickstart.rs"
    );
    let toml = readme.split("```toml\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a ```toml block");
    for dependency in ["clerk-tools = ", "tokio = ", "serde_json = "] {
        assert!(toml.contains(dependency), "the toml block names {dependency}");
    }
    assert!(toml.contains("\"macros\"") && toml.contains("\"rt-multi-thread\""), "tokio's features for #[tokio::main]");
    for used in ["tokio::main", "serde_json::json!", "clerk_tools::"] {
        assert!(example().contains(used), "the example uses {used}");
    }
}

#[test]
fn the_example_runs_against_the_standin() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let standin = runtime.block_on(StandIn::start_with_demo_data(DEMO_SECRET_KEY)).expect("stand-in starts");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--package", "clerk-tools", "--example", "quickstart"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CLERK_API_URL", standin.base_url())
        .env("CLERK_SECRET_KEY", DEMO_SECRET_KEY)
        .output()
        .expect("cargo runs the example");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the example failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].ends_with(" users") && lines[0].contains(" of "), "{stdout}");
    assert!(lines.iter().any(|line| line.contains("verified email address")), "{stdout}");
    assert_eq!(lines.last().copied(), Some("JSON: success=true totalCount=1"), "{stdout}");
    runtime.block_on(standin.shutdown());
}

/// The host configurations of the README and of `docs/mcp-hosts.md` are JSON, and the
/// servers they describe start with those arguments and list their tools.
#[test]
fn the_readme_host_configurations_select_tools_that_exist() {
    let hosts = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/mcp-hosts.md")).expect("the doc");
    let documents = readme() + &hosts;
    let mut servers = 0;
    for block in documents.split("```json\n").skip(1).filter_map(|rest| rest.split("```").next()) {
        let config: serde_json::Value =
            serde_json::from_str(block).unwrap_or_else(|err| panic!("not JSON ({err}):\n{block}"));
        for (name, server) in config["mcpServers"].as_object().into_iter().flatten() {
            servers += 1;
            let Some(args) = server["args"].as_array() else {
                assert!(server["url"].as_str().is_some_and(|url| url.ends_with("/mcp")), "{name}: {server}");
                continue;
            };
            let args: Vec<&str> = args.iter().map(|arg| arg.as_str().unwrap()).collect();
            assert_eq!(args.first(), Some(&"mcp"), "{name}");
            // The server as the host starts it, asked for its tools over stdio.
            let mut started = StdioServer::spawn_with(&args[1..], &[("CLERK_SECRET_KEY", "sk_test_readme")]);
            started.initialize();
            assert!(!started.list_tools().is_empty(), "{name}: no tools listed");
            assert!(started.finish().success(), "{name}: the server failed");
        }
    }
    assert!(servers >= 4, "stdio, read-only, --tools and HTTP configurations");
}
