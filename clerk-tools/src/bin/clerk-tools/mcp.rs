//! `clerk-tools mcp`: the eleven tools as a Model Context Protocol server over stdio.
//!
//! The model sees the input schemas without `secretKey`; the key comes from the server's
//! own configuration (`CLERK_SECRET_KEY` or `--secret-key`) and is added to each call by
//! `call_with_secret`, so the model can neither read nor choose it. Stdout carries protocol
//! messages only: the one diagnostic this module prints goes to stderr.

use std::process::ExitCode;
use std::sync::Arc;

use clerk_tools::{ClerkTools, SecretKey};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::Value;

use crate::config::{ApiArgs, MISSING_KEY_MESSAGE, redact_json, redact_text};
use crate::{EXIT_API_ERROR, EXIT_INVALID_INPUT, EXIT_OK, runtime};

/// What the server tells the client about itself in `initialize`.
const INSTRUCTIONS: &str = "Tools for a Clerk application: list, get, create, update and delete users; \
list, get and create organizations; list, get and revoke sessions. The secret key is configured on \
the server; never ask for it or pass it.";

pub fn run(args: ApiArgs) -> ExitCode {
    // Without a key every call would fail; say so once, at start, where whoever configured
    // the server will see it in the client's server log.
    let Some(secret_key) = args.secret_key() else {
        eprintln!("error: {MISSING_KEY_MESSAGE}");
        return ExitCode::from(EXIT_INVALID_INPUT);
    };
    // One client for the whole session: its connection pool is shared by every call.
    let tools = match args.tools() {
        Ok(tools) => tools,
        Err(err) => {
            eprintln!("error: {}", redact_text(&err.to_string(), std::slice::from_ref(&secret_key)));
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
    let server = ClerkServer { tools, secret_key, listed: Arc::new(listed_tools()) };
    let outcome = runtime.block_on(async {
        let running = server.serve(rmcp::transport::stdio()).await.map_err(|err| err.to_string())?;
        running.waiting().await.map_err(|err| err.to_string())
    });
    // A read of tokio's stdin cannot be cancelled; do not wait for one at shutdown.
    runtime.shutdown_background();
    match outcome {
        Ok(_) => ExitCode::from(EXIT_OK),
        Err(message) => {
            eprintln!("error: MCP session failed: {message}");
            ExitCode::from(EXIT_API_ERROR)
        }
    }
}

/// The server's state: one shared client and the key every call is made with.
struct ClerkServer {
    tools: ClerkTools,
    secret_key: SecretKey,
    /// The eleven tools as listed to the client, built once.
    listed: Arc<Vec<Tool>>,
}

/// The eleven tools with their LLM-facing input schemas (no `secretKey`). No output schema
/// is declared: failures answer a different shape (`{"success": false, ...}`), which a
/// client validating structured content against a declared schema would reject.
fn listed_tools() -> Vec<Tool> {
    clerk_tools::tools()
        .iter()
        .map(|tool| {
            let schema = match &tool.input_schema_without_secret {
                Value::Object(schema) => schema.clone(),
                // The library's schemas are always objects; an empty one would still be valid.
                _ => JsonObject::new(),
            };
            // Hosts read these hints to decide what to confirm; by the protocol's defaults a
            // tool without them is treated as possibly destructive and open-world.
            let annotations = ToolAnnotations::with_title(tool.title)
                .read_only(tool.nature.read_only)
                .destructive(tool.nature.destructive)
                .idempotent(tool.nature.idempotent)
                .open_world(true);
            Tool::new(tool.name, tool.description, Arc::new(schema)).with_title(tool.title).annotate(annotations)
        })
        .collect()
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
        Ok(ListToolsResult::with_all_items(self.listed.as_ref().clone()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        // An unknown tool is a protocol error (the request cannot be routed); everything
        // else, invalid arguments included, is a tool result the model can read and fix.
        if clerk_tools::find_tool(&request.name).is_none() {
            return Err(ErrorData::invalid_params(format!("unknown tool: {}", request.name), None));
        }
        let input = Value::Object(request.arguments.unwrap_or_default());
        let output = self.tools.call_with_secret(&request.name, input, &self.secret_key).await;
        let output = redact_json(output, std::slice::from_ref(&self.secret_key));
        let result = if output["success"] == Value::Bool(true) {
            CallToolResult::structured(output)
        } else {
            CallToolResult::structured_error(output)
        };
        Ok(CallToolResponse::Complete(result))
    }
}
