//! `clerk-tools mcp`: the library's MCP server (`clerk_tools::mcp`) over stdio or, with
//! `--http ADDR`, over Streamable HTTP. Over stdio, stdout carries protocol messages only:
//! diagnostics go to stderr.

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::routing::get;
use clap::Args;
use clerk_tools::mcp::http::{self, HttpOptions, ServeLimits};
use clerk_tools::mcp::{BearerToken, McpOptions, McpServer, stdio};

use crate::config::{ApiArgs, SelectionArgs};
use crate::{EXIT_API_ERROR, EXIT_INVALID_INPUT, EXIT_OK, print_stdout, runtime, shutdown_signal};

/// The variable holding the bearer token clients must send.
pub const TOKEN_VAR: &str = "CLERK_TOOLS_MCP_TOKEN";

#[derive(Args)]
pub struct McpArgs {
    #[command(flatten)]
    api: ApiArgs,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Serve MCP over Streamable HTTP at http://ADDR/mcp (and GET /healthz) instead of
    /// stdin/stdout, e.g. 127.0.0.1:8788 (port 0 picks a free one). Every request must carry
    /// the bearer token in $CLERK_TOOLS_MCP_TOKEN (at least 32 characters)
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    /// With --http, the most connections open at once; beyond it, the one idle longest is
    /// closed for a new one [default: the open-file limit less 64, at most 1024]
    #[arg(long, value_name = "N", requires = "http")]
    max_connections: Option<usize>,
    /// Offer three tools that search, describe and call the selected tools (every toolset
    /// unless --toolsets narrows them) instead of the tools themselves
    #[arg(long)]
    dynamic: bool,
    /// The most bytes of JSON one tool output may have: a longer list is cut at whole items
    /// (with truncated, returnedItems and nextOffset), any other output refused; 0 for no limit
    #[arg(long, value_name = "N", default_value_t = clerk_tools::DEFAULT_MAX_OUTPUT_BYTES)]
    max_output_bytes: usize,
}

pub fn run(args: McpArgs) -> ExitCode {
    // Everything that can be wrong with the configuration is reported before anything binds.
    let http = match args.http.map(|addr| read_token().map(|token| (addr, token))).transpose() {
        Ok(http) => http,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    // The HTTP client (which loads the TLS roots) and the runtime are built on a second thread
    // while this one builds the selected tools' schemas: a few milliseconds each that a host
    // waits for before `tools/list`.
    let selection = args.selection.selection();
    let (tools, runtime) = std::thread::scope(|scope| {
        let client = scope.spawn(|| (args.api.tools(), runtime()));
        clerk_tools::tools();
        if args.dynamic || selection.has_toolsets() {
            clerk_tools::operation_tools();
        }
        client.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let tools = match tools {
        Ok(tools) => tools,
        Err(error) => return crate::report(&error),
    };
    if !tools.has_secret_key() {
        // The server still starts, so that the host shows it and its tools, and every call
        // explains what to set; this line is for whoever reads the host's server log.
        eprintln!("warning: {}", clerk_tools::Error::MissingSecretKey);
    }
    let options = McpOptions::default().dynamic(args.dynamic).max_output_bytes(args.max_output_bytes);
    let server = match McpServer::with_options(tools, &selection, options) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_API_ERROR);
        }
    };
    let outcome = match http {
        Some((addr, token)) => {
            let mut limits = ServeLimits::default();
            if let Some(max) = args.max_connections {
                limits = limits.max_connections(max);
            }
            runtime.block_on(serve_http(addr, server, token, limits))
        }
        None => runtime.block_on(stdio::serve(server)).map_err(|error| format!("MCP server failed: {error}")),
    };
    // A read of tokio's stdin cannot be cancelled; do not wait for one at shutdown.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_API_ERROR)
        }
    }
}

/// The token from `CLERK_TOOLS_MCP_TOKEN`, which `--http` requires.
fn read_token() -> Result<BearerToken, String> {
    let text = std::env::var(TOKEN_VAR).unwrap_or_default();
    if text.trim().is_empty() {
        return Err(format!(
            "--http needs a bearer token, which every request must then carry: set {TOKEN_VAR} to a long random \
             secret, e.g. `export {TOKEN_VAR}=\"$(head -c 32 /dev/urandom | base64)\"`, and give it to clients as \
             `Authorization: Bearer ...`"
        ));
    }
    BearerToken::new(&text).map_err(|error| format!("{TOKEN_VAR}: {error}"))
}

/// Serves until Ctrl-C or SIGTERM. Prints `MCP_URL=http://ADDR/mcp` on stdout once
/// listening, with the port actually bound, so that a script can start it on port 0.
async fn serve_http(
    addr: SocketAddr,
    server: McpServer,
    token: BearerToken,
    limits: ServeLimits,
) -> Result<(), String> {
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    let local = listener.local_addr().map_err(|error| format!("cannot read the bound address: {error}"))?;
    let app = Router::new()
        .merge(http::router(server, HttpOptions::new(token, local)))
        .route("/healthz", get(|| async { "ok\n" }));
    print_stdout(&format!("MCP_URL=http://{local}{}\n", http::MCP_PATH));
    eprintln!(
        "MCP server (Streamable HTTP) listening on http://{local}{}, at most {} connections; press Ctrl-C to stop",
        http::MCP_PATH,
        limits.max_connections
    );
    http::serve(listener, app, limits, shutdown_signal()).await;
    Ok(())
}
