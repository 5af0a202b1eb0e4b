//! The shared client: one connection pool for every tool call, and the one place where calls
//! to the generated `clerk-api` client are executed and their failures classified.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use clerk_api::types::ClerkErrors;
use clerk_api::{ClientInfo, ClientState, ResponseValue};
use tracing::Instrument;

use crate::error::{ApiError, Error};
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

/// Cheap to clone (an `Arc`), safe to share across tasks: every clone uses the same
/// connection pool. The secret key is not part of the client; each tool input carries its
/// own, so one client can serve several Clerk instances.
#[derive(Clone, Debug)]
pub struct ClerkTools {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    http: reqwest::Client,
    base_url: String,
    retry: RetryPolicy,
    timeout: Duration,
}

/// Configures a [`ClerkTools`].
#[derive(Debug, Clone)]
pub struct ClerkToolsBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
}

impl Default for ClerkToolsBuilder {
    fn default() -> Self {
        ClerkToolsBuilder {
            base_url: clerk_api::DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            http: None,
            retry: RetryPolicy::default(),
        }
    }
}

impl ClerkToolsBuilder {
    /// The Backend API base URL (default `https://api.clerk.com/v1`): a proxy, a local
    /// stand-in or a test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_string();
        self
    }

    /// The longest a single request may take, from sending to the end of the body
    /// (default 30 s).
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

    /// Uses an existing `reqwest` client. Its own timeouts apply as well as this builder's
    /// request timeout.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<ClerkTools, Error> {
        // The request timeout is applied around each attempt in `execute` rather than through
        // reqwest's `timeout`, which costs about 10 µs per request on a local round trip of
        // 80 µs (benches/benches/overhead_ab.rs); the connect timeout stays with reqwest.
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|err| Error::Config(err.to_string()))?,
        };
        let shared = Shared { http, base_url: self.base_url, retry: self.retry, timeout: self.timeout };
        Ok(ClerkTools { shared: Arc::new(shared) })
    }
}

impl ClerkTools {
    /// A client for Clerk's production API with the default timeouts.
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// A client for another base URL (a proxy, a local stand-in, a test server).
    pub fn with_base_url(base_url: impl Into<String>) -> Result<Self, Error> {
        Self::builder().base_url(base_url).build()
    }

    /// Starts a configuration.
    pub fn builder() -> ClerkToolsBuilder {
        ClerkToolsBuilder::default()
    }

    /// The Backend API base URL in use.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// A generated client that authenticates with `key`, on the shared connection pool.
    pub(crate) fn api(&self, key: &SecretKey) -> Result<clerk_api::Client, Error> {
        let state = ClientState::with_secret_key(key.expose())
            .map_err(|_| Error::invalid("secretKey", "must be a non-empty key without control characters"))?;
        Ok(clerk_api::Client::new_with_client(&self.shared.base_url, self.shared.http.clone(), state))
    }

    /// Sends one operation of the generated client, retrying what may be retried, inside a
    /// `clerk_request` span (tool, method, path template, status, attempts, elapsed).
    pub(crate) async fn execute<T, F, Fut>(&self, api: &clerk_api::Client, call: Call, send: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, clerk_api::Error<ClerkErrors>>>,
    {
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
                // The timeout covers sending, the answer and its whole body: progenitor reads the
                // body before `send()` returns.
                let (result, status, failure) = match tokio::time::timeout(self.shared.timeout, send()).await {
                    Ok(Ok(response)) => {
                        let status = response.status().as_u16();
                        (Ok(response.into_inner()), status, None)
                    }
                    Ok(Err(err)) => {
                        let (error, failure) = classify(api, err).await;
                        (Err(error), status_of(failure), Some(failure))
                    }
                    Err(_) => {
                        let message = format!("no complete answer within {:?}", self.shared.timeout);
                        (Err(Error::Timeout(message)), 0, Some(Failure::Interrupted))
                    }
                };
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
                let delay = delay_before(policy, attempt + 1, retry_after);
                if started.elapsed() + delay > policy.total_deadline {
                    tracing::debug!(attempt, "not retrying: the retry deadline would pass");
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

fn status_of(failure: Failure) -> u16 {
    match failure {
        Failure::Status(status) => status,
        _ => 0,
    }
}

/// Turns the generated client's error into ours, reading the body of answers that the
/// document did not describe (an HTML 502 page, an empty 503).
async fn classify(api: &clerk_api::Client, err: clerk_api::Error<ClerkErrors>) -> (Error, Failure) {
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
        E::InvalidResponsePayload(body, decode) => {
            // progenitor drops the status here; the client state kept it.
            let status = api.inner().last_status().unwrap_or(0);
            if status >= 400 {
                (error_from_body(status, &body, None), Failure::Status(status))
            } else {
                (Error::Decode { status, message: decode.to_string(), body_start: body_start(&body) }, Failure::Final)
            }
        }
        E::CommunicationError(err) | E::ResponseBodyError(err) => transport(err),
        E::InvalidRequest(message) => (Error::invalid("request", message), Failure::Final),
        other => (Error::Connection(other.to_string()), Failure::Interrupted),
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
        },
        None => ApiError {
            status,
            message: fallback,
            long_message: None,
            code: None,
            trace_id,
            body_start: None,
            retry_after,
        },
    }
}

/// A failure below HTTP. Only a failed connect proves the request never left; a timeout or
/// a connection broken later may have let it take effect.
fn transport(err: reqwest::Error) -> (Error, Failure) {
    // reqwest's messages name the URL, never the headers, so the key cannot appear.
    let message = error_chain(&err);
    if err.is_connect() && !err.is_timeout() {
        (Error::Connection(message), Failure::NotSent)
    } else if err.is_timeout() {
        (Error::Timeout(message), Failure::Interrupted)
    } else if err.is_decode() {
        (
            Error::Decode { status: err.status().map(|s| s.as_u16()).unwrap_or(0), message, body_start: String::new() },
            Failure::Interrupted,
        )
    } else {
        (Error::Connection(message), Failure::Interrupted)
    }
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
