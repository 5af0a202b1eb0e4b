//! Generation of the `clerk-api` client from Clerk's OpenAPI document.
//!
//! Generation is a pure function of the spec bytes and the overlay bytes ([`generate`]); the
//! `cargo xtask generate` binary and the snapshot tests both call it. Each stage is public so
//! the benches can time it alone.

pub mod adopt;
pub mod bench_report;
pub mod builders;
pub mod changes;
pub mod features;
pub mod files;
pub mod inventory;
pub mod lenient;
pub mod load;
pub mod normalize;
pub mod operation_tools;
pub mod operations;
pub mod overlay;
pub mod report;
pub mod revisions;
pub mod runtime;
pub mod streams;
pub mod surface;
pub mod tool_schemas;
pub mod webhooks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

pub use load::LoadError;

/// Where Clerk's documents are kept, relative to the workspace root.
pub const SPEC_DIR: &str = "spec";
/// The start of the name of a Backend API document there: `clerk-bapi-<revision>.yml`.
pub const SPEC_PREFIX: &str = "clerk-bapi-";

/// The Backend API document the client is generated from, relative to the workspace root: the
/// one `spec/clerk-bapi-*` file (`.yml`, `.yaml` or `.json`; earlier revisions are in
/// `spec/revisions/`). `cargo xtask adopt` replaces it.
pub fn default_spec(root: &Path) -> Result<String, String> {
    let dir = root.join(SPEC_DIR);
    let entries =
        std::fs::read_dir(&dir).map_err(|err| format!("{}: cannot list the documents: {err}", dir.display()))?;
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.starts_with(SPEC_PREFIX)
                && [".yml", ".yaml", ".json"].iter().any(|extension| name.ends_with(extension))
        })
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(format!("{SPEC_DIR}/{one}")),
        [] => Err(format!("{}: no {SPEC_PREFIX}*.yml document to generate from", dir.display())),
        many => Err(format!(
            "{}: several documents to generate from ({}); keep one, and earlier revisions in spec/revisions/",
            dir.display(),
            many.join(", ")
        )),
    }
}

/// Where cargo builds the workspace at `root`: `CARGO_TARGET_DIR` when it is set (relative to
/// the current directory, as cargo reads it), else `target/` at the root. What the commands
/// write besides the workspace's own files goes there.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => std::env::current_dir().map(|cwd| cwd.join(&dir)).unwrap_or_else(|_| PathBuf::from(dir)),
        None => root.join("target"),
    }
}

/// The pre-versioning document the project started from, kept byte for byte as a regression
/// input: it must still generate a client that compiles.
pub const SEED_SPEC_PATH: &str = "spec/clerk-backend-api.json";
/// Our reviewed fixes.
pub const OVERLAY_PATH: &str = "spec/overlay.yaml";
/// The generated client module.
pub const GENERATED_PATH: &str = "clerk-api/src/generated.rs";
/// The generated types, a crate of their own (`clerk_api::types` re-exports it).
pub const TYPES_PATH: &str = "clerk-api-types/src/generated.rs";
/// The manifest of the types crate, whose `[features]` table has a generated region.
pub const TYPES_MANIFEST_PATH: &str = "clerk-api-types/Cargo.toml";
/// The inventory of the generated API.
pub const INVENTORY_PATH: &str = "clerk-api/API.md";
/// The report of what the fixes changed.
pub const REPORT_PATH: &str = "spec/FIXES.md";
/// The manifest of the client, whose `[features]` table has a generated region.
pub const MANIFEST_PATH: &str = "clerk-api/Cargo.toml";
/// Every file (or manifest region) generated from the Backend API document.
pub const API_PATHS: [&str; 8] = [
    GENERATED_PATH,
    TYPES_PATH,
    INVENTORY_PATH,
    REPORT_PATH,
    MANIFEST_PATH,
    TYPES_MANIFEST_PATH,
    runtime::PATH_PARAMETERS_TEST_PATH,
    operation_tools::PATH,
];
/// The command that regenerates every generated file.
pub const COMMAND: &str = "cargo xtask generate";

/// One input document: its name for messages and headers, and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file as it should be named in messages and headers.
    pub label: &'a str,
    /// The raw contents.
    pub bytes: &'a [u8],
}

/// A generated file, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: &'static str,
    /// Full contents, or with `region` only the region.
    pub contents: String,
    /// Set when `contents` replaces only the region between the `# @generated NAME begin` and
    /// `# @generated NAME end` lines of a hand-written file ([`files::splice_region`]).
    pub region: Option<&'static str>,
}

/// Why generation failed. Nothing is written when it does.
#[derive(Debug)]
pub enum GenerateError {
    /// A document could not be read or parsed.
    Load(LoadError),
    /// The overlay is not a valid set of actions.
    Overlay {
        /// The overlay file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The (fixed) document is not a valid OpenAPI 3.0 document.
    Spec {
        /// The spec file.
        file: String,
        /// What is wrong, with the JSON path of the offending node.
        message: String,
    },
    /// progenitor refused the document.
    Progenitor(String),
    /// The generated tokens are not valid Rust.
    Format(String),
    /// An operation of the document and the generated code do not match up.
    Unplaced(String),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Load(err) => write!(f, "{err}"),
            GenerateError::Overlay { file, message } => write!(f, "{file}: {message}"),
            GenerateError::Spec { file, message } => write!(f, "{file}: not a usable OpenAPI 3.0 document: {message}"),
            GenerateError::Progenitor(message) => write!(f, "progenitor could not generate the client: {message}"),
            GenerateError::Format(message) => write!(f, "generated code does not parse as Rust: {message}"),
            GenerateError::Unplaced(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<LoadError> for GenerateError {
    fn from(err: LoadError) -> Self {
        GenerateError::Load(err)
    }
}

/// The document after our fixes, with the record of what changed.
#[derive(Debug, Clone)]
pub struct FixedSpec {
    /// The fixed document, as JSON.
    pub document: Value,
    /// The document after the overlay only: the constraints the generic rules relax for the
    /// client (enums, patterns) are still there, for what describes requests to a model.
    pub overlaid: Value,
    /// What each overlay action did.
    pub actions: Vec<overlay::ActionOutcome>,
    /// What the generic rules did.
    pub normalizations: normalize::Normalizations,
    /// How many operations the document declared before any fix.
    pub source_operations: usize,
}

/// Hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Stage 1: parses the spec and the overlay.
pub fn parse(spec: Source<'_>, overlay: Source<'_>) -> Result<(Value, Value), GenerateError> {
    Ok((load::parse_document(spec.label, spec.bytes)?, load::parse_document(overlay.label, overlay.bytes)?))
}

/// Stage 2: applies the overlay, then the generic rules.
pub fn fix(mut document: Value, overlay_document: &Value, overlay_label: &str) -> Result<FixedSpec, GenerateError> {
    let source_operations = normalize::count_operations(&document);
    let actions = overlay::apply_overlay(&mut document, overlay_document)
        .map_err(|message| GenerateError::Overlay { file: overlay_label.to_string(), message })?;
    let overlaid = document.clone();
    let normalizations = normalize::normalize(&mut document);
    Ok(FixedSpec { document, overlaid, actions, normalizations, source_operations })
}

/// Stage 3: reads the fixed document as OpenAPI 3.0, naming the JSON path of any problem.
pub fn to_openapi(document: &Value, spec_label: &str) -> Result<openapiv3::OpenAPI, GenerateError> {
    let version = document.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0") {
        return Err(GenerateError::Spec {
            file: spec_label.to_string(),
            message: format!("`openapi` is `{version}`; only OpenAPI 3.0.x documents are supported"),
        });
    }
    serde_path_to_error::deserialize(document).map_err(|err| GenerateError::Spec {
        file: spec_label.to_string(),
        message: format!("at `{}`: {}", err.path(), err.inner()),
    })
}

/// Stage 4: runs progenitor (builder interface). progenitor reports some unsupported shapes by
/// panicking; those become errors too.
pub fn run_progenitor(spec: &openapiv3::OpenAPI) -> Result<proc_macro2::TokenStream, GenerateError> {
    let mut settings = progenitor::GenerationSettings::default();
    // The inner state carries per-client authentication; `clerk-api/src/lib.rs` implements the
    // hooks that use it, so the generated code never needs editing.
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::ClientState))
        // Schemas marked `x-rust-type` by the fixes name a hand-written type of clerk-api
        // (`Page`) instead of having one generated.
        .with_crate("clerk-api", progenitor::CrateVers::Any, None);
    let mut generator = progenitor::Generator::new(&settings);
    match catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(spec))) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(err)) => Err(GenerateError::Progenitor(err.to_string())),
        Err(panic) => Err(GenerateError::Progenitor(panic_message(panic.as_ref()))),
    }
}

/// The message of a panic caught from a generator (progenitor and typify report some shapes
/// they cannot handle by panicking).
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "it panicked".to_string())
}

/// The `Clerk-API-Version` every request carries: the document's `info.version` when it is a
/// dated revision (`2026-05-12`), none for a document that predates Clerk's API versions.
pub fn api_version_item(spec: &openapiv3::OpenAPI) -> proc_macro2::TokenStream {
    let version = spec.info.version.trim();
    let value = if is_dated(version) { quote::quote!(Some(#version)) } else { quote::quote!(None) };
    let doc = format!(
        " The Clerk API version this client was generated from (the document's `info.version`, `{version}`), \
         sent as `Clerk-API-Version` with every request; `None` when the document predates dated versions."
    );
    quote::quote! {
        #[doc = #doc]
        pub const CLERK_API_VERSION: ::std::option::Option<&str> = #value;
    }
}

/// Whether a document's `info.version` is a dated revision (`2026-05-12`).
pub fn is_dated(version: &str) -> bool {
    version.len() == 10
        && version.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

/// Stage 5: formats the tokens with prettyplease and returns the parsed file too (the
/// inventory reads it).
pub fn format_code(tokens: proc_macro2::TokenStream) -> Result<(syn::File, String), GenerateError> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| GenerateError::Format(err.to_string()))?;
    let code = prettyplease::unparse(&file);
    Ok((file, code))
}

/// The preamble of the generated module.
fn generated_header(spec: Source<'_>, overlay: Source<'_>) -> String {
    format!(
        "// @generated by `{COMMAND}`: do not edit. Change the spec or the overlay, then run it again.\n\
         // Spec: {} (sha256 {})\n\
         // Fixes: {} (sha256 {})\n\
         // Generator: progenitor {}, builder interface, formatted by prettyplease.\n\n",
        spec.label,
        sha256_hex(spec.bytes),
        overlay.label,
        sha256_hex(overlay.bytes),
        PROGENITOR_VERSION,
    )
}

/// The progenitor release the generated code comes from, as the lockfile pins it.
pub const PROGENITOR_VERSION: &str = env!("PROGENITOR_VERSION");

/// Runs every stage and returns the generated client, its inventory, the fixes report and the
/// features region of the client's manifest.
pub fn generate(spec: Source<'_>, overlay: Source<'_>) -> Result<Vec<GeneratedFile>, GenerateError> {
    let (document, overlay_document) = parse(spec, overlay)?;
    let fixed = fix(document, &overlay_document, overlay.label)?;
    let openapi = to_openapi(&fixed.document, spec.label)?;
    let mut tokens = run_progenitor(&openapi)?;
    tokens.extend(api_version_item(&openapi));
    let mut file = syn::parse2(tokens).map_err(|err| GenerateError::Format(err.to_string()))?;
    let placed = operations::operations(&openapi, &file)?;
    let path_parameters = runtime::use_clerk_runtime(&mut file, &placed)?;
    let streams = streams::add_streams(&mut file, &placed)?;
    let gated = features::gate(&placed, file)?;
    let api = inventory::Inventory::new(&placed, &gated.file);
    let (mut client, mut types) = split_types(gated.file);
    builders::document_request_builders(&mut client)?;
    builders::improve_body_builders(&mut types)?;
    client.items.push(syn::parse2(operations::table(&placed)).map_err(|err| GenerateError::Format(err.to_string()))?);
    let header = generated_header(spec, overlay);
    let operation_tools = operation_tools::generate(&fixed.overlaid, &placed, &client, &header)?;
    Ok(vec![
        GeneratedFile {
            path: GENERATED_PATH,
            contents: format!("{header}{}", prettyplease::unparse(&client)),
            region: None,
        },
        GeneratedFile {
            path: TYPES_PATH,
            contents: format!("{header}{}", prettyplease::unparse(&types)),
            region: None,
        },
        GeneratedFile { path: INVENTORY_PATH, contents: api.render(spec, &gated.summary, &streams), region: None },
        GeneratedFile { path: REPORT_PATH, contents: report::render(spec, overlay, &fixed, &api), region: None },
        GeneratedFile {
            path: MANIFEST_PATH,
            contents: features::cargo_region(&gated.summary, Some(TYPES_CRATE)),
            region: Some(features::REGION),
        },
        GeneratedFile {
            path: TYPES_MANIFEST_PATH,
            contents: features::cargo_region(&gated.summary, None),
            region: Some(features::REGION),
        },
        GeneratedFile {
            path: runtime::PATH_PARAMETERS_TEST_PATH,
            contents: runtime::path_parameters_test(&path_parameters),
            region: None,
        },
        operation_tools,
    ])
}

/// The package the generated types live in.
pub const TYPES_CRATE: &str = "clerk-api-types";

/// Moves progenitor's `types` module into a file of its own, the types crate, and leaves in
/// its place `pub use ::clerk_api_types as types;`, so every path to a type is unchanged.
///
/// Why a crate: the types (serde's derives above all) are most of the client's compile time,
/// and they need serde alone. As a crate of their own they compile while reqwest and TLS
/// still do, instead of after them, and the client proper that follows is small.
pub fn split_types(mut client: syn::File) -> (syn::File, syn::File) {
    let mut types = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
    for item in &mut client.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = module.content.take()
        {
            types.items = items;
            *item = syn::parse_quote! {
                /// Types used as operation parameters and responses (the `clerk-api-types` crate).
                #[doc(inline)]
                pub use ::clerk_api_types as types;
            };
        }
    }
    (client, types)
}
