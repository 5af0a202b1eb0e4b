//! The client of the tools: the key, the base URL, the limits and one connection pool for
//! every tool call.

use std::sync::Arc;
use std::time::Duration;

use clerk_api::ClientState;

use crate::error::Error;
use crate::execute::{error_chain, find_source};
use crate::limiter::{RateLimit, RateLimiter};
use crate::retry::RetryPolicy;
use crate::secret::SecretKey;

pub use clerk_api::{API_URL_VAR, SECRET_KEY_VAR};
/// The largest response body read by default: the generated client's own default.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = clerk_api::DEFAULT_MAX_BODY_BYTES;
/// How many requests to the API a client has in flight at most, by default.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 32;
/// How long an idle pooled connection is kept: long enough to serve the next call of a
/// conversation, short enough that a burst does not leave sockets open for minutes.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The client of the tools: the key, the base URL and one connection pool for every call.
///
/// Cheap to clone (an `Arc` and the key), safe to share across tasks: every clone uses the
/// same connection pool and rate limit. [`ClerkTools::with_secret_key`] gives a view with
/// another key on the same pool, for serving several Clerk instances.
///
/// ```no_run
/// # fn demo() -> Result<(), clerk_tools::Error> {
/// // CLERK_SECRET_KEY, and CLERK_API_URL for a stand-in or proxy:
/// let tools = clerk_tools::ClerkTools::from_env()?;
/// // or explicitly:
/// let tools = clerk_tools::ClerkTools::builder()
///     .secret_key("sk_test_...")
///     .base_url("http://127.0.0.1:8787/v1")
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ClerkTools {
    pub(crate) shared: Arc<Shared>,
    key: Option<SecretKey>,
    /// The generated client calling with `key` on the shared pool, built once and shared by
    /// every call; or why there is none.
    api: Result<Arc<clerk_api::Client>, Error>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// Where the base URL came from (`CLERK_API_URL` or `base_url`), for messages.
    pub(crate) base_url_source: &'static str,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) limiter: Option<RateLimiter>,
    /// One permit per request in flight: a burst of calls queues here instead of opening a
    /// connection each.
    pub(crate) in_flight: tokio::sync::Semaphore,
}

/// Configures a [`ClerkTools`].
#[derive(Debug, Clone)]
pub struct ClerkToolsBuilder {
    secret_key: Option<SecretKey>,
    base_url: Option<(String, &'static str)>,
    allow_insecure_http: bool,
    timeout: Duration,
    connect_timeout: Duration,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_response_bytes: u64,
    rate_limit: Option<RateLimit>,
    max_concurrent_requests: usize,
}

impl Default for ClerkToolsBuilder {
    fn default() -> Self {
        ClerkToolsBuilder {
            secret_key: None,
            base_url: None,
            allow_insecure_http: false,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            http: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rate_limit: None,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
        }
    }
}

impl ClerkToolsBuilder {
    /// The secret key every call is made with (`sk_live_...` or `sk_test_...`).
    pub fn secret_key(mut self, key: impl Into<SecretKey>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// The Backend API base URL (default `https://api.clerk.com/v1`): a proxy, a local
    /// stand-in or a test server. Checked when the client is built.
    pub fn base_url(self, base_url: impl Into<String>) -> Self {
        self.base_url_from(base_url, "base_url")
    }

    /// [`ClerkToolsBuilder::base_url`] for a URL that came from `source`, which a bad URL's
    /// error then names (a program's `--api-url`, say).
    pub fn base_url_from(mut self, base_url: impl Into<String>, source: &'static str) -> Self {
        self.base_url = Some((base_url.into(), source));
        self
    }

    /// Allows sending the key over plain `http://` to a host that is not this machine. Off by
    /// default: anyone on the path could read the key.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The longest a single attempt may take, from sending to the end of the body, error
    /// bodies included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When and how to retry failed requests (default: 3 attempts, see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body read (default 32 MiB); a larger answer fails with
    /// [`Error::ResponseTooLarge`] without being read whole.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Spaces requests so that at most `limit.requests` start in any `limit.per` window,
    /// across every call and clone of the client: a burst of agents then waits instead of
    /// collecting 429s. Off by default.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// At most `limit` requests to the API in flight at once, across every call and clone of
    /// the client (default [`DEFAULT_MAX_CONCURRENT_REQUESTS`]); more calls wait their turn, so
    /// a burst of agent calls reuses a few pooled connections instead of opening one each.
    /// At least 1.
    pub fn max_concurrent_requests(mut self, limit: usize) -> Self {
        self.max_concurrent_requests = limit;
        self
    }

    /// Uses an existing `reqwest` client. Its own timeouts apply as well as this builder's
    /// request timeout.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Fills what is not set yet from the environment: the key from `CLERK_SECRET_KEY`, the
    /// base URL from `CLERK_API_URL`.
    pub fn from_env(mut self) -> Self {
        if self.secret_key.is_none() {
            self.secret_key = std::env::var(SECRET_KEY_VAR).ok().map(SecretKey::new).filter(|k| !k.is_blank());
        }
        if self.base_url.is_none() {
            self.base_url =
                std::env::var(API_URL_VAR).ok().filter(|u| !u.trim().is_empty()).map(|url| (url, API_URL_VAR));
        }
        self
    }

    /// Builds the client. The base URL is checked here: it must be an absolute `http(s)` URL,
    /// and plain `http` only to this machine unless allowed.
    pub fn build(self) -> Result<ClerkTools, Error> {
        let (url, source) = self.base_url.unwrap_or_else(|| (clerk_api::DEFAULT_BASE_URL.to_string(), "base_url"));
        let base_url = check_base_url(url.trim(), source, self.allow_insecure_http)?;
        if self.max_concurrent_requests == 0 {
            return Err(Error::Config("max_concurrent_requests must be at least 1".to_string()));
        }
        // The request timeout is applied around each attempt by the execution core rather than
        // through reqwest's `timeout`, which adds measurable work to every request; the connect
        // timeout stays with reqwest.
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = clerk_api::http_client_builder()
                    .map_err(|err| Error::Config(format!("cannot build the HTTP client: {err}")))?;
                builder
                    .connect_timeout(self.connect_timeout)
                    .pool_max_idle_per_host(self.max_concurrent_requests)
                    .pool_idle_timeout(POOL_IDLE_TIMEOUT)
                    .build()
                    .map_err(|err| Error::Config(format!("cannot build the HTTP client: {}", error_chain(&err))))?
            }
        };
        let shared = Shared {
            http,
            base_url,
            base_url_source: source,
            retry: self.retry,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            limiter: self.rate_limit.map(RateLimiter::new),
            in_flight: tokio::sync::Semaphore::new(self.max_concurrent_requests),
        };
        Ok(ClerkTools::new(Arc::new(shared), self.secret_key))
    }
}

/// Checks the base URL and returns it without a trailing `/`; errors name where it came from
/// (`CLERK_API_URL` or `base_url`) and how to fix it.
fn check_base_url(url: &str, source: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let example = "for example https://api.clerk.com/v1 or http://127.0.0.1:8787/v1";
    let parsed = reqwest::Url::parse(url).map_err(|err| {
        Error::Config(format!(
            "{source} `{}` is not a URL ({err}): give the full URL with its scheme, {example}",
            short(url)
        ))
    })?;
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
            let local = host.eq_ignore_ascii_case("localhost")
                || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if !local && !allow_insecure_http {
                return Err(Error::Config(format!(
                    "{source} `{}` would send the secret key unencrypted over plain http to another machine: use \
                     https, or allow it explicitly (ClerkToolsBuilder::allow_insecure_http, or \
                     --allow-insecure-http on the command line)",
                    short(url)
                )));
            }
        }
        other => {
            return Err(Error::Config(format!(
                "{source} `{}` has the scheme `{other}`; it must be http or https, {example}",
                short(url)
            )));
        }
    }
    if parsed.host().is_none() {
        return Err(Error::Config(format!("{source} `{}` has no host, {example}", short(url))));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// At most 100 characters of a value for a message.
fn short(text: &str) -> String {
    if text.chars().count() > 100 {
        format!("{}...", text.chars().take(100).collect::<String>())
    } else {
        text.to_string()
    }
}

impl ClerkTools {
    /// A client configured from the environment: the key from `CLERK_SECRET_KEY` and the base
    /// URL from `CLERK_API_URL` (Clerk's production API when unset), with the default
    /// timeouts and retries. A missing key is an error naming the variable.
    pub fn from_env() -> Result<Self, Error> {
        let builder = Self::builder().from_env();
        if builder.secret_key.is_none() {
            return Err(Error::MissingSecretKey);
        }
        builder.build()
    }

    /// Starts a configuration. `ClerkTools::builder().build()` gives a client for Clerk's
    /// production API without a key; [`ClerkToolsBuilder::from_env`] fills it from the
    /// environment.
    pub fn builder() -> ClerkToolsBuilder {
        ClerkToolsBuilder::default()
    }

    /// The same client (pool, limits, base URL) calling with another key.
    pub fn with_secret_key(&self, key: impl Into<SecretKey>) -> Self {
        ClerkTools::new(Arc::clone(&self.shared), Some(key.into()))
    }

    /// Whether the client has a key to call with.
    pub fn has_secret_key(&self) -> bool {
        self.key.as_ref().is_some_and(|key| !key.is_blank())
    }

    /// The Backend API base URL in use.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    fn new(shared: Arc<Shared>, key: Option<SecretKey>) -> Self {
        let api = api_client(&shared, key.as_ref()).map(Arc::new);
        ClerkTools { shared, key, api }
    }

    /// The generated client every call of this `ClerkTools` is sent with.
    pub(crate) fn api(&self) -> Result<&clerk_api::Client, Error> {
        self.api.as_deref().map_err(Clone::clone)
    }
}

/// The generated client for `key` on the shared connection pool.
fn api_client(shared: &Shared, key: Option<&SecretKey>) -> Result<clerk_api::Client, Error> {
    let key = key.filter(|key| !key.is_blank()).ok_or(Error::MissingSecretKey)?;
    let state = ClientState::with_secret_key(key.expose())
        .map_err(|_| Error::invalid("secretKey", "must be a non-empty key without control characters"))?
        .with_max_body_bytes(shared.max_response_bytes);
    Ok(clerk_api::Client::new_with_client(&shared.base_url, shared.http.clone(), state))
}

impl Shared {
    /// Adds what only the client knows to an error: which configured base URL it came from,
    /// and the likely mistake when the symptom has a usual cause.
    pub(crate) fn explain(&self, error: &mut Error) {
        let (base_url, source) = (&self.base_url, self.base_url_source);
        match error {
            // Every path of Clerk's Backend API is under /v1: a 404 that Clerk did not answer
            // itself, from a base URL without /v1, is most likely a configuration mistake.
            Error::NotFound(api) if !api.from_clerk && !base_url.ends_with("/v1") => {
                api.message = format!(
                    "{} (the base URL {base_url} does not end in /v1, where Clerk's Backend API is served: check \
                     {source})",
                    api.message
                );
            }
            Error::Connection(message, Some(cause)) => {
                let tried = cause.url().map(|url| url.as_str()).unwrap_or(base_url.as_str());
                *message = if speaks_plain_http(cause) {
                    format!(
                        "the server at {source} ({base_url}) does not speak TLS: it answered the https request \
                         to {tried} in plain text; give its http:// URL instead"
                    )
                } else if find_source::<std::io::Error>(cause.as_ref())
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
                {
                    format!(
                        "connection refused at {tried}: nothing listens at the address of {source} ({base_url}); is \
                         the server running?"
                    )
                } else {
                    format!("{message} (tried {tried}; the base URL is {source}: {base_url})")
                };
            }
            _ => {}
        }
    }
}

/// Whether a connection failed because TLS was spoken to a server that answered in plain
/// HTTP: the handshake's first record back was not a TLS record.
fn speaks_plain_http(err: &reqwest::Error) -> bool {
    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
    {
        // The TLS error travels inside `io::Error`s, whose `source()` skips what they wrap.
        fn tls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
            if let Some(tls) = error.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
            let wrapped = error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
            let wrapped = wrapped.map(|inner| inner as &(dyn std::error::Error + 'static));
            wrapped.and_then(tls_error).or_else(|| error.source().and_then(tls_error))
        }
        if let Some(tls) = tls_error(err) {
            return matches!(tls, rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType));
        }
    }
    let _ = err;
    false
}
