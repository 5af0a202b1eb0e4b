//! `clerk-tools mcp`: the tools as a Model Context Protocol server, over stdio or (with
//! `--http ADDR`) over Streamable HTTP.
//!
//! The model sees the input schemas without `secretKey`; the key comes from the server's
//! own configuration (`CLERK_SECRET_KEY` or `--secret-key`) and is added to each call by
//! `call_with_secret`, so the model can neither read nor choose it. Over stdio, stdout carries
//! protocol messages only: diagnostics go to stderr.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use clerk_tools::{ClerkTools, SecretKey};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

use crate::config::{ApiArgs, SECRET_KEY_VAR, SelectionArgs, redact_json, redact_text};
use crate::http::{self, TOKEN_VAR, Token};
use crate::{EXIT_API_ERROR, EXIT_INVALID_INPUT, EXIT_OK, runtime};

/// What the server tells the client about itself in `initialize`. It describes the areas
/// rather than the tools, which `tools/list` gives and which a selection may narrow.
const INSTRUCTIONS: &str = "Tools for one Clerk application: its users, organizations, sessions and \
the other resources of Clerk's Backend API, as tools/list shows them. Each tool's annotations say whether \
it only reads, and whether it removes or revokes something. The secret key is configured on the \
server; never ask for it or pass it.";

#[derive(Args)]
pub struct McpArgs {
    #[command(flatten)]
    api: ApiArgs,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Serve MCP over Streamable HTTP at http://ADDR/mcp (and GET /healthz) instead of
    /// stdin/stdout, e.g. 127.0.0.1:8788 (port 0 picks a free one). An address that is not
    /// loopback needs a bearer token in $CLERK_TOOLS_MCP_TOKEN, which every request must then
    /// carry, as it must whenever the variable is set
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
}

pub fn run(args: McpArgs) -> ExitCode {
    let selected = match args.selection.resolve() {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    let token = Token::from_env();
    if let Some(addr) = args.http
        && !addr.ip().is_loopback()
        && token.is_none()
    {
        // Refused before binding: the port is never open without the token.
        eprintln!(
            "error: --http {addr} is not a loopback address, and serving the tools beyond this machine needs a \
             bearer token: set {TOKEN_VAR} to a long random secret (clients send it as `Authorization: Bearer \
             ...`), or serve on 127.0.0.1"
        );
        return ExitCode::from(EXIT_INVALID_INPUT);
    }
    let secret_key = args.api.secret_key();
    let redact_keys: Vec<SecretKey> = secret_key.iter().cloned().collect();
    if secret_key.is_none() {
        // The server still starts, so that the host shows it and its tools, and every call
        // explains what to set; this line is for whoever reads the host's server log.
        eprintln!("warning: {}", missing_key_message());
    }
    // One client for the whole server: its connection pool is shared by every call.
    let tools = match args.api.tools() {
        Ok(tools) => tools,
        Err(err) => {
            eprintln!("error: {}", redact_text(&err.to_string(), &redact_keys));
            return ExitCode::from(EXIT_API_ERROR);
        }
    };
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(EXIT_API_ERROR);
        }
    };
    let server = ClerkServer::new(tools, secret_key, &selected);
    let outcome = match args.http {
        Some(addr) => runtime.block_on(http::serve(addr, server, token)),
        None => runtime.block_on(async {
            let running = server.serve(rmcp::transport::stdio()).await.map_err(|err| err.to_string())?;
            running.waiting().await.map(drop).map_err(|err| err.to_string())
        }),
    };
    // A read of tokio's stdin cannot be cancelled; do not wait for one at shutdown.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(message) => {
            eprintln!("error: MCP server failed: {}", redact_text(&message, &redact_keys));
            ExitCode::from(EXIT_API_ERROR)
        }
    }
}

/// What a call answers, and what the server logs at start, when it has no key.
fn missing_key_message() -> String {
    format!(
        "no Clerk secret key is configured for this MCP server, so no tool can call Clerk: set {SECRET_KEY_VAR} \
         in the server's environment (for a host, in the `env` of the server's entry in its configuration) or \
         start it with --secret-key, then restart it"
    )
}

/// The server's state, shared by every session (and, over HTTP, every request): one client,
/// the key every call is made with, and the tools it offers.
#[derive(Clone)]
pub struct ClerkServer {
    shared: Arc<Shared>,
}

struct Shared {
    tools: ClerkTools,
    /// `None`: every call answers the missing-key error.
    secret_key: Option<SecretKey>,
    /// The selected tools as listed to the client, built once; a call to any other name is
    /// answered as a call to an unknown tool.
    listed: Vec<Tool>,
}

impl ClerkServer {
    fn new(tools: ClerkTools, secret_key: Option<SecretKey>, selected: &[&'static clerk_tools::Tool]) -> Self {
        let listed = selected.iter().map(|tool| listed_tool(tool)).collect();
        ClerkServer { shared: Arc::new(Shared { tools, secret_key, listed }) }
    }
}

/// A tool as listed to the client: the input schema without `secretKey`, the output schema of
/// a success, the title and the hints.
///
/// A failure is answered with `isError: true` and the error JSON as text only, without
/// `structuredContent`: it has another shape than the output schema, and clients validate
/// structured content against that schema (they skip the check for errors, but some would
/// still reject content that contradicts it).
fn listed_tool(tool: &clerk_tools::Tool) -> Tool {
    let object = |schema: &Value| match schema {
        Value::Object(schema) => schema.clone(),
        // The library's schemas are always objects; an empty one would still be valid.
        _ => JsonObject::new(),
    };
    // Hosts read these hints to decide what to confirm; by the protocol's defaults a tool
    // without them is treated as possibly destructive and open-world.
    let annotations = ToolAnnotations::with_title(tool.title)
        .read_only(tool.nature.read_only)
        .destructive(tool.nature.destructive)
        .idempotent(tool.nature.idempotent)
        .open_world(true);
    Tool::new(tool.name, tool.description.clone(), Arc::new(object(&tool.input_schema_without_secret)))
        .with_raw_output_schema(Arc::new(object(&tool.output_schema)))
        .with_title(tool.title)
        .annotate(annotations)
}

/// A failed call as the model reads it: the error JSON as text, flagged `isError`.
fn error_result(output: &Value) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(output.to_string())])
}

impl ServerHandler for ClerkServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("clerk-tools", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.shared.listed.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
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
        if !self.shared.listed.iter().any(|tool| tool.name == request.name) {
            return Err(ErrorData::invalid_params(format!("unknown tool: {}", request.name), None));
        }
        let Some(secret_key) = &self.shared.secret_key else {
            let output = json!({"success": false, "error": missing_key_message(), "kind": "config"});
            return Ok(CallToolResponse::Complete(error_result(&output)));
        };
        let input = Value::Object(request.arguments.unwrap_or_default());
        let output = self.shared.tools.call_with_secret(&request.name, input, secret_key).await;
        let output = redact_json(output, std::slice::from_ref(secret_key));
        let result = if output["success"] == Value::Bool(true) {
            CallToolResult::structured(output)
        } else {
            error_result(&output)
        };
        Ok(CallToolResponse::Complete(result))
    }
}
