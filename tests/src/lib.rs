//! Shared helpers for the workspace-level tests.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// Reads a file relative to the workspace root.
pub fn read(relative: &str) -> Vec<u8> {
    let path = workspace_root().join(relative);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// The Backend API document the client is generated from, relative to the workspace root.
pub fn spec_path() -> String {
    xtask::default_spec(&workspace_root()).unwrap_or_else(|err| panic!("{err}"))
}

/// Runs the generator on the committed spec and overlay, exactly as `cargo xtask generate` does.
pub fn generate_from_committed_spec() -> Vec<xtask::GeneratedFile> {
    let spec_path = spec_path();
    let spec = read(&spec_path);
    let overlay = read(xtask::OVERLAY_PATH);
    xtask::generate(
        xtask::Source { label: &spec_path, bytes: &spec },
        xtask::Source { label: xtask::OVERLAY_PATH, bytes: &overlay },
    )
    .unwrap_or_else(|err| panic!("generation failed: {err}"))
}

/// The contents of one generated file.
pub fn generated(files: &[xtask::GeneratedFile], path: &str) -> String {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.clone())
        .unwrap_or_else(|| panic!("{path} was not generated"))
}

/// The end-to-end runs: the tools pointed at a local Clerk stand-in, called through the JSON
/// interface as an agent runtime calls them.
pub mod end_to_end {
    use clerk_standin::StandIn;
    use clerk_tools::ClerkTools;
    use serde_json::{Value, json};

    /// A client for `standin`, calling with `key`.
    pub fn tools_for(standin: &StandIn, key: &str) -> ClerkTools {
        ClerkTools::builder().secret_key(key).base_url(standin.base_url()).build().expect("client builds")
    }

    /// A fresh stand-in that accepts `key`, and a client for it.
    pub async fn start(key: &str) -> (StandIn, ClerkTools) {
        let standin = StandIn::start(key).await.expect("stand-in starts");
        let tools = tools_for(&standin, key);
        (standin, tools)
    }

    /// Calls a tool with `key` as its `secretKey`, checking that no output repeats the key.
    pub async fn call(tools: &ClerkTools, key: &str, name: &str, mut input: Value) -> Value {
        input["secretKey"] = json!(key);
        let output = tools.call(name, input).await;
        assert!(!output.to_string().contains(key), "the key leaked: {output}");
        output
    }
}
