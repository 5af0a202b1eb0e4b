//! Typed client for Clerk's Backend API.
//!
//! The client, its request builders and every type in [`types`] (the `clerk-api-types`
//! crate, re-exported) are generated from Clerk's Backend API document in `spec/` (the revision
//! [`CLERK_API_VERSION`] names) plus the reviewed fixes in `spec/overlay.yaml` by
//! `cargo xtask generate`; [`API.md`](inventory), beside this crate, lists every operation with
//! its parameters, answer and API group, and every list's stream. The hand-written rest adds
//! what a generator cannot know: how Clerk authenticates and where it lives, and the error type
//! and helpers the generated code calls.
//!
//! Each API group (a tag of the document: `users`, `organizations`, `sessions`, ...) is a
//! cargo feature that compiles its operations and the types only they need; `full`, the
//! default, is all of them. To build only what you call, depend on this crate with
//! `default-features = false` and list the groups, plus `rustls` or `native-tls` for HTTPS;
//! `API.md` names the group of each operation. With no group at all, [`Client`], [`Error`],
//! [`ResponseValue`] and the error body `types::ClerkErrors` still compile, and so does this
//! file.
//!
//! [`OPERATIONS`] describes every operation this build compiles (its id, which is the client
//! method's name and what hooks receive as `OperationInfo::operation_id`, its HTTP method, path
//! template, groups and summary); [`Operation::find`] looks one up by id.
//!
//! Every operation answers `Result<ResponseValue<T>, Error>`, and each carries the status of
//! Clerk's answer ([`ResponseValue::status`], [`Error::status`]): nothing about a call is kept on
//! the client, so one client (and its connection pool) serves any number of concurrent calls.
//! [`Error`]'s `Display` is one line with the status and Clerk's message, code and trace id. A
//! path parameter that is empty, `.` or `..` would send the request to another endpoint; it is
//! refused before anything is sent ([`Error::InvalidPathParameter`]).
//!
//! Responses are parsed leniently on purpose: fields Clerk adds later are ignored and
//! response enums are plain strings (their known values are in the docs), so a newer API
//! never breaks a call that worked before.
//!
//! ```no_run
//! # #[cfg(feature = "users")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = clerk_api::Client::from_secret_key("sk_test_...")?;
//! let users = client.get_user_list().limit(10).send().await?;
//! for user in users.into_inner() {
//!     println!("{} {:?}", user.id.unwrap_or_default(), user.username);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # A request with a body, to another base URL
//!
//! Each operation is a method of [`Client`] that answers its request builder ([`builder`]):
//! set the parameters with methods of their names, the body with `body(..)` or
//! `body_map(|body| ..)`, which hands you the body's own builder ([`types::builder`]), and
//! `send()`. [`Client::from_secret_key_with_base_url`] points the client at a proxy, a local
//! stand-in or a test server instead of Clerk.
//!
//! ```no_run
//! # #[cfg(feature = "organizations")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = clerk_api::Client::from_secret_key_with_base_url("sk_test_...", "http://127.0.0.1:8787/v1")?;
//! let organization = client
//!     .create_organization()
//!     .body_map(|body| body.name("Analytical Engine").slug("analytical-engine").created_by("user_2x..."))
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("created {:?}", organization.id);
//! # Ok(())
//! # }
//! ```
//!
//! # Every item of a list
//!
//! The lists that page with `limit` and `offset` have `.stream()` on their builder as well: a
//! [`ListStream`] of every item, page after page, with the builder's filters; it ends after the
//! last page, or with an error as its last item.
//!
//! ```no_run
//! # #[cfg(feature = "users")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::TryStreamExt;
//!
//! let client = clerk_api::Client::from_secret_key("sk_test_...")?;
//! let banned: Vec<clerk_api::types::User> = client.get_user_list().banned(true).stream().try_collect().await?;
//! println!("{} banned users", banned.len());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

/// `API.md`: every operation of the document with its method, path, API group,
/// parameters and answer, and every list's stream. It is generated with the client, by
/// `cargo xtask generate`.
#[doc = include_str!("../API.md")]
pub mod inventory {}

#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    irrefutable_let_patterns,
    rustdoc::all
)]
#[rustfmt::skip]
mod generated;
mod error;
mod list_stream;
mod operation;
mod page;
// With no API group on, no operation calls it.
#[allow(dead_code)]
mod runtime;

// The generated code names `Page` by its full path, as it names any type it does not generate.
extern crate self as clerk_api;

pub use error::Error;
pub use generated::*;
pub use list_stream::ListStream;
pub use operation::Operation;
pub use page::Page;
pub use progenitor_client::OperationInfo;

use progenitor_client::ClientHooks;
use reqwest::header::{AUTHORIZATION, HeaderValue};

/// The header that pins the API version of every request to [`CLERK_API_VERSION`].
pub const API_VERSION_HEADER: &str = "clerk-api-version";

/// Clerk's production Backend API.
pub const DEFAULT_BASE_URL: &str = "https://api.clerk.com/v1";

/// The environment variable that holds the secret key (`sk_live_...` or `sk_test_...`) in
/// Clerk's SDKs and in this workspace's programs and crates.
pub const SECRET_KEY_VAR: &str = "CLERK_SECRET_KEY";

/// The environment variable that holds the Backend API's base URL when it is not
/// [`DEFAULT_BASE_URL`] (a local stand-in, a proxy), in Clerk's SDKs and in this workspace.
pub const API_URL_VAR: &str = "CLERK_API_URL";

/// The secret key could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The key is empty or holds characters an HTTP header cannot carry. The key itself is
    /// never part of the error.
    InvalidSecretKey,
    /// The HTTP client could not be built (for example, no TLS backend is available).
    HttpClient(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::InvalidSecretKey => {
                f.write_str("the Clerk secret key is empty or contains characters not allowed in an HTTP header")
            }
            ConfigError::HttpClient(message) => write!(f, "cannot build the HTTP client: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Per-client state that the generated code carries and the hooks below use: the
/// credentials and the largest body to read. Nothing in it changes once the client is built,
/// so one client serves any number of concurrent calls.
///
/// Authentication is a per-request header rather than a default header of the HTTP client,
/// so one connection pool can serve clients with different keys.
#[derive(Clone, Debug, Default)]
pub struct ClientState {
    /// `Bearer <key>`, marked sensitive so that `Debug` output never shows it.
    authorization: Option<HeaderValue>,
    /// The largest response body read; `None` reads any size.
    max_body_bytes: Option<u64>,
}

impl ClientState {
    /// State that authenticates every request with `secret_key`, reading response bodies of
    /// at most [`DEFAULT_MAX_BODY_BYTES`].
    pub fn with_secret_key(secret_key: &str) -> Result<Self, ConfigError> {
        Ok(ClientState {
            authorization: Some(authorization_header(secret_key)?),
            max_body_bytes: Some(DEFAULT_MAX_BODY_BYTES),
        })
    }

    /// The largest response body to read: a larger one fails with [`BodyTooLarge`] in the
    /// error's source chain, without being read whole.
    pub fn with_max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = Some(limit);
        self
    }
}

/// The `Authorization: Bearer <key>` header value, marked sensitive.
pub fn authorization_header(secret_key: &str) -> Result<HeaderValue, ConfigError> {
    let key = secret_key.trim();
    if key.is_empty() {
        return Err(ConfigError::InvalidSecretKey);
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| ConfigError::InvalidSecretKey)?;
    value.set_sensitive(true);
    Ok(value)
}

/// The largest response body a client reads unless told otherwise: Clerk's largest pages
/// are a few megabytes.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// A response body was larger than the client's limit; found in the source chain of the
/// `reqwest::Error` that reading it failed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTooLarge {
    /// The limit, in bytes.
    pub limit: u64,
}

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the response body is larger than the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// A `reqwest` client builder with this crate's TLS: with the `rustls` feature, rustls on the
/// ring crypto provider with the platform's certificate verifier, handed to reqwest as its
/// configuration. Nothing process-wide is installed, so an application stays free to choose
/// its own default provider; this crate's constructors start from it.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    let builder = reqwest::Client::builder();
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_preconfigured(ring_tls_config()?);
    Ok(builder)
}

/// rustls on ring, verifying certificates as reqwest does by default. HTTP/1.1 only: the
/// client speaks nothing else.
#[cfg(feature = "rustls")]
fn ring_tls_config() -> Result<rustls::ClientConfig, ConfigError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let tls_error = |err: rustls::Error| ConfigError::HttpClient(format!("cannot configure TLS: {err}"));
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Makes ring the process's rustls crypto provider, unless one is installed already: for a
/// program (never a library) that builds `reqwest` clients of its own without
/// [`http_client_builder`], which reqwest refuses to do with no provider installed while this
/// crate's `rustls` feature is on.
pub fn install_default_tls_provider() {
    #[cfg(feature = "rustls")]
    {
        // An error means a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Wraps a response so that reading its body stops with [`BodyTooLarge`] past `limit` bytes;
/// a `Content-Length` over the limit stops it before anything is read.
fn limit_body(response: reqwest::Response, limit: u64) -> reqwest::Response {
    use futures_util::StreamExt;
    let declared_too_large = response.content_length().is_some_and(|length| length > limit);
    let mut builder = http::Response::builder().status(response.status()).version(response.version());
    if let Some(headers) = builder.headers_mut() {
        *headers = response.headers().clone();
    }
    let mut seen: u64 = 0;
    let body = response.bytes_stream().map(move |chunk| {
        let chunk = chunk.map_err(|err| Box::new(err) as Box<dyn std::error::Error + Send + Sync>)?;
        seen += chunk.len() as u64;
        if declared_too_large || seen > limit {
            return Err(Box::new(BodyTooLarge { limit }) as Box<dyn std::error::Error + Send + Sync>);
        }
        Ok(chunk)
    });
    let body = if declared_too_large {
        reqwest::Body::wrap_stream(futures_util::stream::once(async move {
            Err::<bytes::Bytes, _>(Box::new(BodyTooLarge { limit }) as Box<dyn std::error::Error + Send + Sync>)
        }))
    } else {
        reqwest::Body::wrap_stream(body)
    };
    match builder.body(body) {
        Ok(limited) => reqwest::Response::from(limited),
        // The parts came from a valid response; this cannot fail, but if it did the original
        // is gone, so answer an empty body rather than panic.
        Err(_) => reqwest::Response::from(http::Response::new(reqwest::Body::from(Vec::new()))),
    }
}

impl ClientHooks<ClientState> for Client {
    async fn exec(&self, request: reqwest::Request, _info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let response = self.client().execute(request).await?;
        Ok(match self.inner.max_body_bytes {
            Some(limit) => limit_body(response, limit),
            None => response,
        })
    }

    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Some(authorization) = &self.inner.authorization {
            request.headers_mut().insert(AUTHORIZATION, authorization.clone());
        }
        // Pinning the version makes Clerk answer as the document describes, whatever the
        // instance's default version is.
        if let Some(version) = CLERK_API_VERSION {
            request.headers_mut().insert(API_VERSION_HEADER, HeaderValue::from_static(version));
        }
        Ok(())
    }
}

impl Client {
    /// A client for Clerk's production API ([`DEFAULT_BASE_URL`]) that authenticates with
    /// `secret_key`.
    pub fn from_secret_key(secret_key: &str) -> Result<Self, ConfigError> {
        Self::from_secret_key_with_base_url(secret_key, DEFAULT_BASE_URL)
    }

    /// A client for another base URL (a proxy, a local stand-in, a test server) that
    /// authenticates with `secret_key`. A trailing `/` on `base_url` is ignored.
    pub fn from_secret_key_with_base_url(secret_key: &str, base_url: &str) -> Result<Self, ConfigError> {
        let http = http_client_builder()?.build().map_err(|err| ConfigError::HttpClient(err.to_string()))?;
        Ok(Self::new_with_client(base_url.trim_end_matches('/'), http, ClientState::with_secret_key(secret_key)?))
    }
}
