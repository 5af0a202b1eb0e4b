//! The Clerk tools' MCP server mounted in an axum app of your own, beside its other routes.
//!
//! ```sh
//! export CLERK_SECRET_KEY=sk_test_... CLERK_TOOLS_MCP_TOKEN="$(head -c 32 /dev/urandom | base64)"
//! cargo run -p clerk-tools --features mcp --example mcp_axum
//! ```
//!
//! It prints `MCP_URL=http://127.0.0.1:8788/clerk/mcp` (`PORT` picks another port, 0 a free
//! one) and serves the read-only tools there to clients that send the token, next to the
//! app's own `GET /`, until Ctrl-C. `CLERK_API_URL` points it at a stand-in.

use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::routing::get;
use clerk_tools::mcp::http::{self, HttpOptions, ServeLimits};
use clerk_tools::mcp::{BearerToken, McpServer};
use clerk_tools::{ClerkTools, ToolSelection};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = BearerToken::new(&std::env::var("CLERK_TOOLS_MCP_TOKEN").unwrap_or_default())?;
    let server = McpServer::new(ClerkTools::from_env()?, &ToolSelection::all().read_only(true))?;

    let port = std::env::var("PORT").map_or(Ok(8788), |port| port.parse())?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let local = listener.local_addr()?;
    let app = Router::new()
        .route("/", get(|| async { "the app's own page\n" }))
        .nest("/clerk", http::router(server, HttpOptions::new(token, local)));

    println!("MCP_URL=http://{local}/clerk{}", http::MCP_PATH);
    // `http::serve` bounds what slow, stalled or many clients can hold; `axum::serve` would
    // serve the same app without those limits.
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    http::serve(listener, app, ServeLimits::default(), shutdown).await;
    Ok(())
}
