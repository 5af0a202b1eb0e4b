//! MCP over Streamable HTTP: [`router`] answers at [`MCP_PATH`] in an axum app of your own,
//! and [`serve`] runs an app within [`ServeLimits`].
//!
//! Requests are served statelessly, each answered with one JSON document: the tools keep no
//! state between calls, so there is no session to keep, any number of clients can call at
//! once, and a restart loses nothing.
//!
//! Before anything else, each request to [`MCP_PATH`] must pass, in this order:
//! - the `Origin` header, if any, must name a loopback host or the address served on (403
//!   otherwise): the DNS-rebinding defence the MCP specification requires, which stops a web
//!   page in the user's browser from reaching a local server;
//! - the bearer token (401 otherwise). It is required, not optional, even on loopback: a
//!   reverse proxy, an SSH tunnel or a container port mapping puts the network in front of a
//!   loopback port without the server seeing any sign of it, and other users of the machine
//!   reach loopback too;
//! - on a loopback address, rmcp's `Host` check accepts loopback names only, the other half
//!   of the rebinding defence. Beyond loopback the token is the defence, and the names clients
//!   use for the machine are not known here, so any `Host` is accepted.
//!
//! Only then is the body read, within the body deadline and [`MAX_MESSAGE_BYTES`]: a body
//! that is not JSON is answered `400` with a JSON-RPC `-32700` error, one that is not a
//! JSON-RPC message (a batch included) `400` with `-32600`, as over stdio.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use futures_util::StreamExt;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use super::listener::Activity;
pub use super::listener::{DEFAULT_MAX_CONNECTIONS, RESERVED_FILES, ServeLimits, serve};
use super::message::{self, MAX_MESSAGE_BYTES, Unreadable};
use super::{BearerToken, McpServer};

/// The path [`router`] serves MCP at.
pub const MCP_PATH: &str = "/mcp";
/// The default body deadline.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// How [`router`] guards the server.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    token: BearerToken,
    local_addr: SocketAddr,
    body_timeout: Duration,
}

impl HttpOptions {
    /// Requests must carry `token`; `local_addr` is the address the app is served on, whose
    /// host an `Origin` may name.
    pub fn new(token: BearerToken, local_addr: SocketAddr) -> Self {
        HttpOptions { token, local_addr, body_timeout: DEFAULT_BODY_TIMEOUT }
    }

    /// The longest a request body may take to arrive, counted from the end of its head
    /// (default 10 s). A late one is answered `408` and its connection closed.
    #[must_use]
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }
}

/// The MCP endpoint at [`MCP_PATH`], behind the checks the [module](self) describes. Merge
/// it into an app (`app.merge(router(..))`) or nest it under a prefix of its own.
pub fn router(server: McpServer, options: HttpOptions) -> Router {
    let local = options.local_addr.ip();
    let mut config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(MAX_MESSAGE_BYTES);
    config = if local.is_loopback() {
        config.with_allowed_hosts([
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
            local.to_string(),
        ])
    } else {
        config.disable_allowed_hosts()
    };
    let mcp = StreamableHttpService::new(move || Ok(server.clone()), Arc::new(NeverSessionManager::default()), config);
    let guard = Arc::new(Guard { bound: local, token: options.token, body_timeout: options.body_timeout });
    Router::new()
        .route_service(MCP_PATH, mcp)
        .route_layer(middleware::from_fn_with_state(Arc::clone(&guard), read_message))
        .route_layer(middleware::from_fn_with_state(guard, check_origin_and_token))
}

/// What the checks in front of the endpoint know.
struct Guard {
    /// The address served on; an `Origin` naming its host is allowed.
    bound: IpAddr,
    token: BearerToken,
    body_timeout: Duration,
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

async fn check_origin_and_token(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if let Some(origin) = request.headers().get(header::ORIGIN)
        && !guard.origin_allowed(origin)
    {
        return (StatusCode::FORBIDDEN, "Forbidden: this Origin may not use the MCP server\n").into_response();
    }
    if !guard.token.accepts(request.headers()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Unauthorized: send the server's token as `Authorization: Bearer <token>`\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// Reads a JSON POST body within the deadline and the size limit, answers one that is not a
/// message, and hands the rest on; other requests go on untouched, for rmcp to answer.
async fn read_message(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !is_json(&request) {
        return next.run(request).await;
    }
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_MESSAGE_BYTES as u64) {
        return jsonrpc_error(StatusCode::PAYLOAD_TOO_LARGE, message::too_large());
    }
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout(guard.body_timeout, read_body(body)).await {
        Ok(Ok(body)) => body,
        Ok(Err(BodyError::TooLarge)) => return jsonrpc_error(StatusCode::PAYLOAD_TOO_LARGE, message::too_large()),
        Ok(Err(BodyError::Broken)) => {
            return (StatusCode::BAD_REQUEST, "Bad Request: the body could not be read\n").into_response();
        }
        Err(_) => {
            let text =
                format!("Request Timeout: the body did not arrive within {} s\n", guard.body_timeout.as_secs_f64());
            return (StatusCode::REQUEST_TIMEOUT, [(header::CONNECTION, "close")], text).into_response();
        }
    };
    match message::read(&body) {
        Ok(_) => {}
        Err(Unreadable::Dropped) => return StatusCode::ACCEPTED.into_response(),
        Err(Unreadable::Answer(answer)) => return jsonrpc_error(StatusCode::BAD_REQUEST, answer),
    }
    // Under way from here: the listener will not close this connection for another.
    let _under_way = parts.extensions.get::<Arc<Activity>>().map(Activity::request);
    next.run(Request::from_parts(parts, Body::from(body.freeze()))).await
}

fn is_json(request: &Request) -> bool {
    let Some(content_type) = request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or_default();
    essence.trim().eq_ignore_ascii_case("application/json")
}

enum BodyError {
    TooLarge,
    Broken,
}

async fn read_body(body: Body) -> Result<BytesMut, BodyError> {
    let mut chunks = body.into_data_stream();
    let mut body = BytesMut::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        if chunk.len() > MAX_MESSAGE_BYTES - body.len() {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn jsonrpc_error(status: StatusCode, answer: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], answer).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bound: &str) -> Guard {
        let token = BearerToken::new("a-token-of-thirty-two-characters!").unwrap();
        Guard { bound: bound.parse().unwrap(), token, body_timeout: DEFAULT_BODY_TIMEOUT }
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
}
