//! The shared client: one connection pool for every tool call, and the one place where calls
//! to the generated `clerk-api` client are executed and their failures classified.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use clerk_api::types::ClerkErrors;
use clerk_api::{ClientState, ResponseValue};
use futures_util::future::BoxFuture;
use tracing::Instrument;

use crate::error::{ApiError, Error};
use crate::limiter::{RateLimit, RateLimiter};
use crate::retry::{Failure, RetryPolicy, delay_before, may_retry, parse_retry_after};
use crate::secret::SecretKey;

/// One operation of the API as the tools call it, for retries and tracing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    /// The tool making the call.
    pub tool: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, as in the API document (never the filled-in path).
    pub path: &'static str,
}

/// The environment variable holding the secret key.
pub const SECRET_KEY_VAR: &str = "CLERK_SECRET_KEY";
/// The environment variable holding the Backend API base URL.
pub const API_URL_VAR: &str = "CLERK_API_URL";
/// The largest response body read by default.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;
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
    shared: Arc<Shared>,
    key: Option<SecretKey>,
    /// The generated client calling with `key` on the shared pool, or why there is none.
    api: Result<Arc<clerk_api::Client>, Error>,
}

#[derive(Debug)]
struct Shared {
    http: reqwest::Client,
    base_url: String,
    /// Where the base URL came from (`CLERK_API_URL` or `base_url`), for messages.
    base_url_source: &'static str,
    retry: RetryPolicy,
    timeout: Duration,
    max_response_bytes: u64,
    limiter: Option<RateLimiter>,
    /// One permit per request in flight: a burst of calls queues here instead of opening a
    /// connection each.
    in_flight: tokio::sync::Semaphore,
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
        // The request timeout is applied around each attempt in `execute` rather than through
        // reqwest's `timeout`, which costs about 10 µs per request on a local round trip of
        // 80 µs (benches/benches/overhead_ab.rs); the connect timeout stays with reqwest.
        let http = match self.http {
            Some(http) => http,
            None => {
                clerk_api::install_default_tls_provider();
                reqwest::Client::builder()
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

/// The generated client for `key` on the shared connection pool.
fn api_client(shared: &Shared, key: Option<&SecretKey>) -> Result<clerk_api::Client, Error> {
    let key = key.filter(|key| !key.is_blank()).ok_or(Error::MissingSecretKey)?;
    let state = ClientState::with_secret_key(key.expose())
        .map_err(|_| Error::invalid("secretKey", "must be a non-empty key without control characters"))?
        .with_max_body_bytes(shared.max_response_bytes);
    Ok(clerk_api::Client::new_with_client(&shared.base_url, shared.http.clone(), state))
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
    pub(crate) fn api(&self) -> Result<Arc<clerk_api::Client>, Error> {
        self.api.clone()
    }

    /// Sends one operation of the generated client, retrying what may be retried, inside a
    /// `clerk_request` span (tool, method, path template, status, attempts, elapsed).
    pub(crate) async fn execute<T, F, Fut>(&self, _api: &clerk_api::Client, call: Call, send: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: Fn() -> Fut + Sync,
        Fut: Future<Output = Result<ResponseValue<T>, clerk_api::Error<ClerkErrors>>> + Send,
    {
        // Only this shell is compiled once per operation; the retry loop below is compiled once
        // for all of them, on answers whose type is erased.
        let attempt = || erase(send());
        let answer = self.execute_erased(call, &attempt).await?;
        answer.downcast::<T>().map(|answer| *answer).map_err(|_| Error::Decode {
            status: 0,
            message: format!("{} {}: the answer is not of the operation's type", call.method, call.path),
            body_start: String::new(),
        })
    }

    async fn execute_erased<'a>(
        &self,
        call: Call,
        send: &(dyn Fn() -> BoxFuture<'a, ErasedAnswer> + Sync + 'a),
    ) -> Result<Box<dyn Any + Send>, Error> {
        let span = tracing::debug_span!(
            "clerk_request",
            tool = call.tool,
            method = call.method,
            path = call.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let policy = &self.shared.retry;
        async move {
            let started = Instant::now();
            let mut attempt = 1;
            loop {
                // Waiting for a turn is not part of the attempt's timeout: only time at the API is.
                // The semaphore is never closed, so acquiring cannot fail.
                let turn = self.shared.in_flight.acquire().await.ok();
                if let Some(limiter) = &self.shared.limiter {
                    limiter.acquire().await;
                }
                // The timeout covers sending, the answer and its whole body, an error body read
                // for its message included: a server that stalls after the headers cannot hang
                // the call.
                let attempt_result = tokio::time::timeout(self.shared.timeout, async {
                    match send().await {
                        Ok((answer, status)) => (Ok(answer), status, None),
                        Err(err) => {
                            let (error, failure) = classify(err).await;
                            (Err(error), status_of(failure), Some(failure))
                        }
                    }
                })
                .await;
                drop(turn);
                let (mut result, status, failure) = match attempt_result {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        let message = format!("no complete answer within {:?}", self.shared.timeout);
                        (Err(Error::Timeout(message, None)), 0, Some(Failure::Interrupted))
                    }
                };
                if let Err(error) = &mut result {
                    self.shared.explain(error);
                }
                let span = tracing::Span::current();
                if status != 0 {
                    span.record("status", status);
                }
                span.record("attempts", attempt);
                span.record("elapsed_ms", started.elapsed().as_millis() as u64);
                let (Err(error), Some(failure)) = (&result, failure) else { return result };
                if attempt >= policy.max_attempts || !may_retry(call.method, failure) {
                    return result;
                }
                let retry_after = match error {
                    Error::RateLimited { retry_after, .. } => *retry_after,
                    Error::Api(api) if api.status == 503 => api.retry_after,
                    _ => None,
                };
                // Clerk's `Retry-After` is waited in full; when that would pass the deadline the
                // error returns at once, so the caller can decide, and no early request is sent.
                let delay = delay_before(policy, attempt + 1, retry_after);
                if started.elapsed() + delay > policy.total_deadline {
                    tracing::debug!(
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        "not retrying: the wait would pass the deadline"
                    );
                    return result;
                }
                tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }
}

impl Shared {
    /// Adds what only the client knows to an error: which configured base URL it came from,
    /// and the likely mistake when the symptom has a usual cause.
    fn explain(&self, error: &mut Error) {
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

/// One attempt's answer and its status, its type erased.
type ErasedAnswer = Result<(Box<dyn Any + Send>, u16), clerk_api::Error<ClerkErrors>>;

fn erase<'a, T, Fut>(sending: Fut) -> BoxFuture<'a, ErasedAnswer>
where
    T: Send + 'static,
    Fut: Future<Output = Result<ResponseValue<T>, clerk_api::Error<ClerkErrors>>> + Send + 'a,
{
    Box::pin(async move {
        sending.await.map(|response| {
            let status = response.status().as_u16();
            (Box::new(response.into_inner()) as Box<dyn Any + Send>, status)
        })
    })
}

fn status_of(failure: Failure) -> u16 {
    match failure {
        Failure::Status(status) => status,
        _ => 0,
    }
}

/// Turns the generated client's error into ours, reading the body of answers that the
/// document did not describe (an HTML 502 page, an empty 503).
async fn classify(err: clerk_api::Error<ClerkErrors>) -> (Error, Failure) {
    use clerk_api::Error as E;
    match err {
        E::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            (
                Error::from_api(api_error(status, Some(response.into_inner()), None, retry_after), retry_after),
                Failure::Status(status),
            )
        }
        E::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            match response.bytes().await {
                Ok(body) => (error_from_body(status, &body, retry_after), Failure::Status(status)),
                Err(err) => transport(err),
            }
        }
        E::InvalidResponsePayload(response, decode) => {
            let status = response.status().as_u16();
            if status >= 400 {
                let retry_after = retry_after(response.headers());
                (error_from_body(status, &response.into_inner(), retry_after), Failure::Status(status))
            } else {
                let body = body_start(&response.into_inner());
                (Error::Decode { status, message: decode.to_string(), body_start: body }, Failure::Final)
            }
        }
        E::CommunicationError(err) | E::ResponseBodyError(_, err) => transport(err),
        E::InvalidRequest(message) => (Error::invalid("request", message), Failure::Final),
        E::InvalidPathParameter { name, .. } => (
            Error::invalid(name, "is empty or a dot segment (`.`, `..`), which would reach another endpoint"),
            Failure::Final,
        ),
        other => (Error::Connection(other.to_string(), None), Failure::Interrupted),
    }
}

/// An error answer whose body may or may not be Clerk's error format.
fn error_from_body(status: u16, body: &[u8], retry_after: Option<Duration>) -> Error {
    let api = match serde_json::from_slice::<ClerkErrors>(body) {
        Ok(errors) => api_error(status, Some(errors), None, retry_after),
        Err(_) => api_error(status, None, Some(body_start(body)).filter(|s| !s.is_empty()), retry_after),
    };
    Error::from_api(api, retry_after)
}

fn api_error(
    status: u16,
    errors: Option<ClerkErrors>,
    body_start: Option<String>,
    retry_after: Option<Duration>,
) -> ApiError {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error");
    let fallback = match &body_start {
        Some(_) => format!("HTTP {status} {reason} (the body is not a Clerk error)"),
        None => format!("HTTP {status} {reason}"),
    };
    let Some(errors) = errors else {
        return ApiError {
            status,
            message: fallback,
            long_message: None,
            code: None,
            trace_id: None,
            body_start,
            retry_after,
            from_clerk: false,
        };
    };
    let trace_id = errors.clerk_trace_id;
    match errors.errors.unwrap_or_default().into_iter().next() {
        Some(first) => ApiError {
            status,
            // An error with a code but no message still says what went wrong.
            message: first.message.or_else(|| first.long_message.clone()).unwrap_or(fallback),
            long_message: first.long_message,
            code: first.code,
            trace_id,
            body_start: None,
            retry_after,
            from_clerk: true,
        },
        None => ApiError {
            status,
            message: fallback,
            long_message: None,
            code: None,
            trace_id,
            body_start: None,
            retry_after,
            from_clerk: true,
        },
    }
}

/// A failure below HTTP. Only a failed connect proves the request never left; a timeout or
/// a connection broken later may have let it take effect.
fn transport(err: reqwest::Error) -> (Error, Failure) {
    if let Some(too_large) = find_source::<clerk_api::BodyTooLarge>(&err) {
        return (Error::ResponseTooLarge { limit: too_large.limit }, Failure::Final);
    }
    // reqwest's messages name the URL, never the headers, so the key cannot appear.
    let message = error_chain(&err);
    if err.is_connect() && !err.is_timeout() {
        (Error::Connection(message, Some(Arc::new(err))), Failure::NotSent)
    } else if err.is_timeout() {
        (Error::Timeout(message, Some(Arc::new(err))), Failure::Interrupted)
    } else if err.is_decode() {
        (
            Error::Decode { status: err.status().map(|s| s.as_u16()).unwrap_or(0), message, body_start: String::new() },
            Failure::Interrupted,
        )
    } else {
        (Error::Connection(message, Some(Arc::new(err))), Failure::Interrupted)
    }
}

/// The first error of type `T` in the source chain of `err`.
fn find_source<'a, T: std::error::Error + 'static>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// `Retry-After`, in seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?, SystemTime::now())
}

/// The first 200 characters of a body, whitespace collapsed, for error messages.
pub(crate) fn body_start(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]);
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    collapsed.join(" ").chars().take(200).collect()
}
