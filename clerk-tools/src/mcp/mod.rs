//! The tools as a Model Context Protocol server (feature `mcp`).
//!
//! [`McpServer`] is an rmcp [`ServerHandler`]: mount it in an rmcp server of your own, serve
//! it on stdin/stdout with [`stdio::serve`], or put [`http::router`] in an axum app and run
//! that with [`http::serve`], which bounds what a slow or stalled client can hold. The
//! `clerk-tools mcp` program is those calls and its command line.
//!
//! The model sees the input schemas without `secretKey`: the key is the one the
//! [`ClerkTools`] client was built with, and a `secretKey` a model sends is dropped, so the
//! model can neither read nor choose it. A client without a key still lists its tools, and
//! every call answers the missing-key error.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_tools::mcp::McpServer;
//! use clerk_tools::{ClerkTools, ToolSelection};
//!
//! let server = McpServer::new(ClerkTools::from_env()?, &ToolSelection::all().read_only(true))?;
//! clerk_tools::mcp::stdio::serve(server).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Logging: rmcp records whole requests and results (tool arguments with passwords, results
//! with access tokens) at debug level and below. A program that installs a `tracing`
//! subscriber should filter with [`may_log`].

mod dynamic;
pub mod http;
mod listener;
mod message;
pub mod stdio;
mod token;

use std::borrow::Cow;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ProtocolVersion, ServerCapabilities, ServerConfig, Tool as ListedTool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Value;

use crate::budget::{DEFAULT_MAX_OUTPUT_BYTES, call_offset, fit_output};
use crate::client::ClerkTools;
use crate::error::Error;
use crate::registry::Tool;
use crate::selection::{ALL_TOOLSETS, SelectionError, ToolSelection};

pub use message::MAX_MESSAGE_BYTES;
pub use token::{BearerToken, MIN_TOKEN_CHARS, TokenError};

/// What the server tells the client about itself in `initialize`. It describes the areas
/// rather than the tools, which `tools/list` gives and which a selection may narrow.
const INSTRUCTIONS: &str = "Tools for one Clerk application: its users, organizations, sessions and \
the other resources of Clerk's Backend API, as tools/list shows them. Each tool's annotations say whether \
it only reads, and whether it removes or revokes something. The secret key is configured on the \
server; never ask for it or pass it.";

/// The one protocol revision the server does not offer: 2025-03-26 is the only one whose
/// messages may come in JSON-RPC batches (2025-06-18 removed them), and the server answers a
/// batch with an error on every transport rather than half-support it. A client asking for
/// 2025-03-26 is offered the newest revision with an `initialize` handshake instead, as
/// version negotiation provides.
const WITHOUT_BATCHES: ProtocolVersion = ProtocolVersion::V_2025_03_26;

/// The Clerk tools as an MCP server: one client (and so one connection pool and one key) for
/// every call, and the tools a [`ToolSelection`] keeps. Cheap to clone; every clone serves
/// the same tools with the same client.
#[derive(Clone)]
pub struct McpServer {
    shared: Arc<Shared>,
}

struct Shared {
    tools: ClerkTools,
    /// The tools as listed to the client, built once: the selected tools, or in dynamic mode
    /// the three that search, describe and call them. A call to any other name is answered as
    /// a call to an unknown tool.
    listed: Vec<ListedTool>,
    /// The selected tools, which calls may reach.
    selected: Vec<&'static Tool>,
    options: McpOptions,
}

/// How the server offers the selected tools.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct McpOptions {
    /// Offer three tools that search, describe and call the selected tools instead of the
    /// tools themselves, so that the model's context holds three definitions whatever the
    /// selection. Without toolsets in the selection, dynamic mode reaches every toolset.
    pub dynamic: bool,
    /// The most bytes of JSON a successful output may have (0: no limit): a longer one is cut
    /// at whole items of its list, or refused with an error saying how to narrow the call
    /// ([`crate::fit_output`]).
    pub max_output_bytes: usize,
}

impl Default for McpOptions {
    fn default() -> Self {
        McpOptions { dynamic: false, max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES }
    }
}

impl McpOptions {
    /// See [`McpOptions::dynamic`].
    pub fn dynamic(mut self, dynamic: bool) -> Self {
        self.dynamic = dynamic;
        self
    }

    /// See [`McpOptions::max_output_bytes`].
    pub fn max_output_bytes(mut self, max_output_bytes: usize) -> Self {
        self.max_output_bytes = max_output_bytes;
        self
    }
}

impl McpServer {
    /// A server of the tools `selection` keeps, calling Clerk with `tools` and its key, with
    /// the default [`McpOptions`].
    ///
    /// # Errors
    ///
    /// The selection's, when a pattern selects nothing: a host should refuse to start rather
    /// than serve fewer tools than its configuration names.
    pub fn new(tools: ClerkTools, selection: &ToolSelection) -> Result<McpServer, SelectionError> {
        McpServer::with_options(tools, selection, McpOptions::default())
    }

    /// [`McpServer::new`] with `options`.
    ///
    /// # Errors
    ///
    /// As [`McpServer::new`].
    pub fn with_options(
        tools: ClerkTools,
        selection: &ToolSelection,
        options: McpOptions,
    ) -> Result<McpServer, SelectionError> {
        let selected = if options.dynamic && !selection.has_toolsets() {
            selection.clone().toolsets(ALL_TOOLSETS).resolve()?
        } else {
            selection.resolve()?
        };
        let listed =
            if options.dynamic { dynamic::listed() } else { selected.iter().copied().map(listed_tool).collect() };
        Ok(McpServer { shared: Arc::new(Shared { tools, listed, selected, options }) })
    }

    /// The selected tool called `name`, if the server offers it.
    fn selected(&self, name: &str) -> Option<&'static Tool> {
        self.shared.selected.iter().copied().find(|tool| tool.name == name)
    }

    /// Runs a selected tool on the model's arguments, and fits its output to the budget.
    async fn run(&self, tool: &'static Tool, mut arguments: JsonObject) -> Result<Value, Error> {
        // The key is the server's; one the model sends is not used.
        arguments.shift_remove("secretKey");
        let input = Value::Object(arguments);
        let offset = call_offset(tool, &input);
        let output = self.shared.tools.try_call(tool.name, input).await?;
        fit_output(output, self.shared.options.max_output_bytes, offset)
    }
}

/// A tool as listed to the client: the input schema without `secretKey`, the output schema of
/// a success, the title and the hints.
///
/// A failure is answered with `isError: true` and the error JSON as text only, without
/// `structuredContent`: it has another shape than the output schema, and clients validate
/// structured content against that schema (they skip the check for errors, but some would
/// still reject content that contradicts it).
fn listed_tool(tool: &Tool) -> ListedTool {
    let object = |schema: &Value| match schema {
        Value::Object(schema) => schema.clone(),
        // The library's schemas are always objects; an empty one would still be valid.
        _ => JsonObject::new(),
    };
    // Hosts read these hints to decide what to confirm; by the protocol's defaults a tool
    // without them is treated as possibly destructive and open-world.
    // The title is the tool's own (`title`); every protocol revision offered has it, so the
    // annotations do not repeat it.
    let annotations = ToolAnnotations::new()
        .read_only(tool.nature.read_only)
        .destructive(tool.nature.destructive)
        .idempotent(tool.nature.idempotent)
        .open_world(true);
    let listed =
        ListedTool::new(tool.name, tool.description.clone(), Arc::new(object(&tool.input_schema_without_secret)))
            .with_title(tool.title)
            .annotate(annotations);
    match &tool.output_schema {
        Some(schema) => listed.with_raw_output_schema(Arc::new(object(schema))),
        None => listed,
    }
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("clerk-tools", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        ProtocolVersion::KNOWN_VERSIONS.iter().filter(|version| **version != WITHOUT_BATCHES).cloned().collect()
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.shared.listed.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<ListedTool> {
        self.shared.listed.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        // An unknown tool is a protocol error (the request cannot be routed); everything
        // else, invalid arguments included, is a tool result the model can read and fix. A
        // tool this server does not offer is unknown to it, whatever the library has.
        let arguments = request.arguments.unwrap_or_default();
        let outcome = if self.shared.options.dynamic {
            match dynamic::call(self, &request.name, arguments) {
                Some(outcome) => outcome.await,
                None => return Err(ErrorData::invalid_params(format!("unknown tool: {}", request.name), None)),
            }
        } else {
            match self.selected(&request.name) {
                Some(tool) => self.run(tool, arguments).await,
                None => return Err(ErrorData::invalid_params(format!("unknown tool: {}", request.name), None)),
            }
        };
        let result = match outcome {
            Ok(output) => CallToolResult::structured(output),
            Err(error) => CallToolResult::error(vec![ContentBlock::text(error.to_json().to_string())]),
        };
        Ok(CallToolResponse::Complete(result))
    }
}

/// Fields of rmcp's events that hold a whole message, request, result or the error answered
/// to one: a tool's arguments (passwords) or its output (access tokens) could be in them.
const MESSAGE_FIELDS: [&str; 7] = ["request", "result", "notification", "evt", "error", "peer_info", "id"];

/// Whether a `tracing` event or span may be recorded without risking tool arguments or
/// results: rmcp's below warning level (where it records every request and result) are not,
/// nor its warnings about one message; everything else is. For a subscriber's filter, as
/// `tracing_subscriber::filter::filter_fn(clerk_tools::mcp::may_log)`.
pub fn may_log(metadata: &tracing::Metadata<'_>) -> bool {
    if !metadata.target().starts_with("rmcp") {
        return true;
    }
    *metadata.level() <= tracing::Level::WARN
        && !metadata.fields().iter().any(|field| MESSAGE_FIELDS.contains(&field.name()))
}
