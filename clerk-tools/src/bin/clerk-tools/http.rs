//! `clerk-tools mcp --http ADDR`: the MCP server over Streamable HTTP at `/mcp`, with
//! `GET /healthz` for whatever watches it.
//!
//! Requests are served statelessly, each answered with one JSON document: the tools keep no
//! state between calls, so there is no session to keep, any number of clients can call at
//! once, and a restart loses nothing.
//!
//! Three checks guard `/mcp`, in this order:
//! - the `Origin` header, if any, must name a loopback host or the bound one (403 otherwise):
//!   the DNS-rebinding defence the MCP specification requires, which stops a web page in the
//!   user's browser from reaching a local server;
//! - with a bearer token set (`CLERK_TOOLS_MCP_TOKEN`), every request must carry it
//!   (401 otherwise); a non-loopback address is refused at start without one;
//! - on a loopback address, rmcp's `Host` check accepts loopback names only, the other half of
//!   the rebinding defence. Beyond loopback the token is the defence, and the names clients
//!   use for the machine are not known here, so any `Host` is accepted.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::mcp::ClerkServer;
use crate::print_stdout;

/// The variable holding the bearer token clients must send.
pub const TOKEN_VAR: &str = "CLERK_TOOLS_MCP_TOKEN";

/// The bearer token, kept only as its SHA-256 digest: the server needs nothing more to check
/// a request, and holds nothing that could be printed.
pub struct Token {
    digest: [u8; 32],
}

impl Token {
    /// The token from `CLERK_TOOLS_MCP_TOKEN`; an unset or blank variable is no token.
    pub fn from_env() -> Option<Token> {
        let text = std::env::var(TOKEN_VAR).ok()?;
        let text = text.trim();
        if text.is_empty() { None } else { Some(Token { digest: Sha256::digest(text.as_bytes()).into() }) }
    }

    /// Whether the request's `Authorization` is `Bearer <token>`. Digests are compared, in
    /// constant time, so the time taken tells nothing about the token or its length.
    fn accepts(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()) else {
            return false;
        };
        let Some((scheme, given)) = value.trim().split_once(' ') else { return false };
        if !scheme.eq_ignore_ascii_case("bearer") {
            return false;
        }
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        bool::from(given.ct_eq(&self.digest))
    }
}

/// What the guard in front of `/mcp` knows.
struct Guard {
    /// The address the server is bound to; an `Origin` naming its host is allowed.
    bound: IpAddr,
    token: Option<Token>,
}

impl Guard {
    /// Whether an `Origin` header value names a loopback host or the bound one. `null` (a
    /// sandboxed or file page) and anything unreadable are not allowed.
    fn origin_allowed(&self, origin: &HeaderValue) -> bool {
        let Some(host) = origin.to_str().ok().and_then(origin_host) else { return false };
        if host.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match host.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || (ip == self.bound && !ip.is_unspecified()),
            Err(_) => false,
        }
    }
}

/// The host of an origin (`scheme://host[:port]`), without the brackets of an IPv6 address.
fn origin_host(origin: &str) -> Option<&str> {
    let (scheme, authority) = origin.trim().split_once("://")?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") || authority.contains(['/', '@']) {
        return None;
    }
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        return (after.is_empty() || after.starts_with(':')).then_some(host);
    }
    let host = authority.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

async fn guard(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if let Some(origin) = request.headers().get(header::ORIGIN)
        && !guard.origin_allowed(origin)
    {
        return (StatusCode::FORBIDDEN, "Forbidden: this Origin may not use the MCP server\n").into_response();
    }
    if let Some(token) = &guard.token
        && !token.accepts(request.headers())
    {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Unauthorized: send the server's token as `Authorization: Bearer <token>`\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// Serves until Ctrl-C (or SIGTERM). Prints `MCP_URL=http://ADDR/mcp` on stdout once
/// listening, with the port actually bound, so that a script can start it on port 0.
pub async fn serve(addr: SocketAddr, server: ClerkServer, token: Option<Token>) -> Result<(), String> {
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|err| format!("cannot listen on {addr}: {err}"))?;
    let local = listener.local_addr().map_err(|err| format!("cannot read the bound address: {err}"))?;

    let mut config = StreamableHttpServerConfig::default().with_legacy_session_mode(false).with_json_response(true);
    config = if local.ip().is_loopback() {
        config.with_allowed_hosts([
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
            local.ip().to_string(),
        ])
    } else {
        config.disable_allowed_hosts()
    };
    let mcp = StreamableHttpService::new(move || Ok(server.clone()), Arc::new(NeverSessionManager::default()), config);
    let has_token = token.is_some();
    let state = Arc::new(Guard { bound: local.ip(), token });
    let router = Router::new()
        .route_service("/mcp", mcp)
        .route_layer(middleware::from_fn_with_state(state, guard))
        .route("/healthz", get(|| async { "ok\n" }));

    print_stdout(&format!("MCP_URL=http://{local}/mcp\n"));
    eprintln!(
        "MCP server (Streamable HTTP) listening on http://{local}/mcp; {}; press Ctrl-C to stop",
        if has_token { "requests must carry the bearer token" } else { "no bearer token is required" }
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|err| format!("HTTP server: {err}"))
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bound: &str) -> Guard {
        Guard { bound: bound.parse().unwrap(), token: None }
    }

    fn allowed(guard: &Guard, origin: &str) -> bool {
        guard.origin_allowed(&HeaderValue::from_str(origin).unwrap())
    }

    #[test]
    fn origins_on_loopback_or_the_bound_host_are_allowed() {
        let local = guard("127.0.0.1");
        for origin in [
            "http://localhost:3000",
            "http://127.0.0.1",
            "https://127.0.0.1:8788",
            "http://[::1]:80",
            "HTTP://LOCALHOST",
        ] {
            assert!(allowed(&local, origin), "{origin}");
        }
        for origin in [
            "http://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "null",
            "file://",
            "ftp://127.0.0.1",
            "http://user@127.0.0.1",
            "http://192.168.1.5:8788",
            "",
        ] {
            assert!(!allowed(&local, origin), "{origin}");
        }
        let lan = guard("192.168.1.5");
        assert!(allowed(&lan, "http://192.168.1.5:8788"));
        assert!(!allowed(&lan, "http://192.168.1.6:8788"));
        let any = guard("0.0.0.0");
        assert!(!allowed(&any, "http://0.0.0.0:8788"));
        assert!(allowed(&any, "http://localhost:8788"));
    }

    #[test]
    fn only_the_bearer_token_is_accepted() {
        let token = Token { digest: Sha256::digest(b"s3cret-token").into() };
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert!(token.accepts(&headers("Bearer s3cret-token")));
        assert!(token.accepts(&headers("bearer s3cret-token")));
        assert!(!token.accepts(&headers("Bearer s3cret-token2")));
        assert!(!token.accepts(&headers("Bearer s3cret")));
        assert!(!token.accepts(&headers("Basic s3cret-token")));
        assert!(!token.accepts(&headers("s3cret-token")));
        assert!(!token.accepts(&HeaderMap::new()));
    }
}
