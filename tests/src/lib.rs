//! Shared helpers for the workspace-level tests.

/// The Rust blocks of the READMEs, compiled (and those not marked `no_run` run) as doctests
/// with the dependencies the READMEs give for them. clerk-auth's README is its crate's
/// documentation, tested there.
#[cfg(doctest)]
pub mod readmes {
    #[doc = include_str!("../../README.md")]
    pub struct Workspace;
    #[doc = include_str!("../../clerk-api/README.md")]
    pub struct ClerkApi;
    #[doc = include_str!("../../clerk-api-types/README.md")]
    pub struct ClerkApiTypes;
    #[doc = include_str!("../../clerk-tools/README.md")]
    pub struct ClerkTools;
    #[doc = include_str!("../../clerk-webhooks/README.md")]
    pub struct ClerkWebhooks;
}

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

/// Installing the pinned Python packages of the interoperability tests.
#[path = "../support/pip.rs"]
pub mod pip;

/// Clerk's Backend API document as the judge of the stand-in's answers: recorded exchanges
/// are checked by openapi-core, an OpenAPI 3.0 validator nobody here wrote, installed by pip
/// from pinned requirements (`tests/tests/standin_document/requirements.txt`). The known gaps
/// of the document, with their reasons, are listed once, in `validate.py` beside them.
pub mod document {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Stdio};

    use clerk_standin::Exchange;
    use serde::Deserialize;
    use serde_json::json;

    const REQUIREMENTS: &str = include_str!("../tests/standin_document/requirements.txt");
    const SCRIPT: &str = include_str!("../tests/standin_document/validate.py");

    /// The outcome for one exchange.
    #[derive(Debug, Deserialize)]
    pub struct Checked {
        /// `GET`, `POST`, ...
        pub method: String,
        /// The stand-in's route template; `None` for an answer no route gave.
        pub route: Option<String>,
        /// The path as requested.
        pub path: String,
        /// The query string as sent.
        pub query: Option<String>,
        /// The status answered.
        pub status: u16,
        /// The document's `operationId` for the method and route.
        pub operation: Option<String>,
        /// `valid`, `invalid`, or the name of the known gap it was checked under.
        pub outcome: String,
        /// What the validator found wrong.
        pub errors: Vec<String>,
    }

    /// Every exchange's outcome, with the known gaps and their reasons.
    #[derive(Debug, Deserialize)]
    pub struct Verdict {
        /// The known gaps of the document, by name, with the reason each is one.
        pub gaps: BTreeMap<String, String>,
        /// One outcome per exchange, in order.
        pub checked: Vec<Checked>,
    }

    /// Checks `exchanges` against the committed document, installing openapi-core under
    /// `packages` (a test's `CARGO_TARGET_TMPDIR`) the first time.
    pub fn check(exchanges: &[Exchange], packages: &Path) -> Verdict {
        let library = crate::pip::install(packages, "openapi-core", REQUIREMENTS, "openapi_core/__init__.py");
        let document = crate::workspace_root().join(crate::spec_path());
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(SCRIPT)
            .env("PYTHONPATH", library)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONNOUSERSITE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let input = json!({"document": document, "exchanges": exchanges});
        child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "the validator failed:\n{stderr}");
        serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("not a verdict ({err}):\n{stderr}"))
    }

    impl Verdict {
        /// Panics with every answer that does not follow the document, and what is wrong.
        pub fn assert_valid(&self) {
            let invalid: Vec<String> = self
                .checked
                .iter()
                .filter(|checked| checked.outcome == "invalid")
                .map(|checked| {
                    let query = checked.query.as_deref().map(|query| format!("?{query}")).unwrap_or_default();
                    format!(
                        "{} {}{query} ({}) answered {}:\n  {}",
                        checked.method,
                        checked.path,
                        checked.operation.as_deref().unwrap_or("no operation"),
                        checked.status,
                        checked.errors.join("\n  ")
                    )
                })
                .collect();
            assert!(
                invalid.is_empty(),
                "{} answers do not follow the document:\n{}",
                invalid.len(),
                invalid.join("\n")
            );
        }

        /// The (operation, status) pairs checked, each with the outcomes it was checked under.
        pub fn operations_by_status(&self) -> BTreeMap<(String, u16), BTreeSet<String>> {
            let mut pairs: BTreeMap<(String, u16), BTreeSet<String>> = BTreeMap::new();
            for checked in &self.checked {
                if let Some(operation) = &checked.operation {
                    pairs.entry((operation.clone(), checked.status)).or_default().insert(checked.outcome.clone());
                }
            }
            pairs
        }

        /// A report: how many operations x statuses were checked, how, and the gaps' reasons.
        pub fn summary(&self) -> String {
            let pairs = self.operations_by_status();
            let operations: BTreeSet<&str> = pairs.keys().map(|(operation, _)| operation.as_str()).collect();
            let declared = pairs.values().filter(|outcomes| outcomes.contains("valid")).count();
            let mut report = format!(
                "{} exchanges checked: {} operations x statuses over {} operations ({} against the response the document declares)\n",
                self.checked.len(),
                pairs.len(),
                operations.len(),
                declared
            );
            for ((operation, status), outcomes) in &pairs {
                let outcomes: Vec<&str> = outcomes.iter().map(String::as_str).collect();
                report.push_str(&format!("  {operation} {status}: {}\n", outcomes.join(", ")));
            }
            for (gap, reason) in &self.gaps {
                report.push_str(&format!("gap {gap}: {reason}\n"));
            }
            report
        }
    }
}
