//! The execution core: every request a tool makes goes through [`ToolCall::send`], which
//! waits its turn, times the attempt out, retries what may be retried, classifies failures and
//! traces the request in a `clerk_request` span (tool, method, path template, status, attempts,
//! elapsed time).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use clerk_api::types::ClerkErrors;
use clerk_api::{ListStream, Page, ResponseValue};
use tracing::Instrument;

use crate::client::ClerkTools;
use crate::error::{ApiError, Error};
use crate::input::{Input, LARGEST_PAGE};
use crate::registry::{Declaration, Declared};
use crate::retry::{Failure, delay_before, may_retry, parse_retry_after};
use crate::secret::without_answer;

/// One call of a tool: the client, the generated client it sends with and the tool's
/// declaration.
#[derive(Clone, Copy)]
pub(crate) struct ToolCall<'a> {
    tools: &'a ClerkTools,
    pub(crate) api: &'a clerk_api::Client,
    tool: Caller,
}

/// The declaration of the tool a call runs: a curated tool or a generated operation tool.
#[derive(Clone, Copy)]
enum Caller {
    Curated(&'static Declaration),
    #[cfg(feature = "operations")]
    Operation(&'static crate::operations::Declaration),
}

impl Caller {
    fn name(self) -> &'static str {
        match self {
            Caller::Curated(declaration) => declaration.name,
            #[cfg(feature = "operations")]
            Caller::Operation(declaration) => declaration.name,
        }
    }

    fn calls(self, operation: &str) -> bool {
        match self {
            Caller::Curated(declaration) => declaration.operations.contains(&operation),
            #[cfg(feature = "operations")]
            Caller::Operation(declaration) => declaration.operation == operation,
        }
    }

    fn returns_credentials(self) -> bool {
        match self {
            Caller::Curated(declaration) => declaration.tool().is_some_and(|tool| tool.returns_credentials),
            #[cfg(feature = "operations")]
            Caller::Operation(declaration) => declaration.returns_credentials,
        }
    }
}

impl ClerkTools {
    /// Starts a call of the tool whose input `input` is: the input normalised and checked
    /// against every rule its declaration states. Nothing is sent when it fails.
    pub(crate) fn begin<I: Input + Declared>(&self, mut input: I) -> Result<(ToolCall<'_>, I), Error> {
        input.check()?;
        Ok((ToolCall { tools: self, api: self.api()?, tool: Caller::Curated(I::declaration()) }, input))
    }

    /// Starts a call of a generated operation tool.
    #[cfg(feature = "operations")]
    pub(crate) fn begin_operation(
        &self,
        declaration: &'static crate::operations::Declaration,
    ) -> Result<ToolCall<'_>, Error> {
        Ok(ToolCall { tools: self, api: self.api()?, tool: Caller::Operation(declaration) })
    }

    /// Every item of a list tool, page after page: the input checked once, as the tool checks
    /// it, then `page(call, input, limit, offset)` for each page, sent through [`ToolCall::send`]
    /// as the tool's own requests are. `paging` reads the input's `limit` (the page size, else
    /// the largest page) and `offset` (where to start, else the first item); the stream ends as
    /// [`ListStream`] ends, after a short page, at Clerk's `total_count` or with an error.
    pub(crate) fn list_stream<'a, I, T, Fut>(
        &'a self,
        input: I,
        paging: fn(&I) -> (Option<i64>, Option<i64>),
        page: impl Fn(ToolCall<'a>, I, i64, i64) -> Fut + Send + 'a,
    ) -> Result<ListStream<'a, T, Error>, Error>
    where
        I: Input + Declared + Clone + Send + 'a,
        T: Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let (call, input) = self.begin(input)?;
        let (limit, offset) = paging(&input);
        Ok(ListStream::from_pages(limit.unwrap_or(LARGEST_PAGE), offset.unwrap_or(0), move |limit, offset| {
            page(call, input.clone(), limit, offset)
        }))
    }
}

/// A page of Clerk's objects as a page of what a tool reports for each.
pub(crate) fn page_of<T, U: From<T>>(page: Page<T>) -> Page<U> {
    Page { data: page.data.into_iter().map(U::from).collect(), total_count: page.total_count }
}

/// Sends one operation of the generated client for a tool call:
/// `send!(call, api.get_user().user_id(id.as_str()))`, optionally followed by the query or body
/// setters to apply to present values only (`, limit = input.limit`). The operation is named
/// by the client method called, which is progenitor's operation id.
macro_rules! send {
    (
        $call:ident,
        $api:ident . $operation:ident () $(. $method:ident ($($argument:tt)*))*
        $(, $setter:ident = $value:expr)* $(,)?
    ) => {
        $call.send(stringify!($operation), || {
            let request = $call.api.$operation() $(. $method($($argument)*))*;
            $(
                let request = match $value {
                    Some(value) => request.$setter(value),
                    None => request,
                };
            )*
            request.send()
        })
    };
}
pub(crate) use send;

/// Calls a generated builder's setter for each value that is present, and leaves the others
/// unset: `with_present!(body, first_name = input.first_name.clone())`. Setting only what is
/// given keeps the call compiling when a newer revision adds optional fields or turns a
/// required field optional.
macro_rules! with_present {
    ($builder:expr $(, $setter:ident = $value:expr)* $(,)?) => {{
        let builder = $builder;
        $(
            let builder = match $value {
                Some(value) => builder.$setter(value),
                None => builder,
            };
        )*
        builder
    }};
}
pub(crate) use with_present;

/// A list input as a request sends it: an empty list is not sent.
pub(crate) fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

impl ToolCall<'_> {
    /// Sends one operation, retrying what may be retried, inside a `clerk_request` span.
    pub(crate) fn send<'s, T, F, Fut>(
        &'s self,
        operation: &'static str,
        send: F,
    ) -> impl Future<Output = Result<T, Error>> + 's
    where
        F: Fn() -> Fut + 's,
        Fut: Future<Output = Result<ResponseValue<T>, clerk_api::Error<ClerkErrors>>>,
    {
        let mut attempts = Attempts::new(self, operation);
        let span = attempts.span.clone();
        async move {
            let mut turn = attempts.turn().await;
            loop {
                // The deadline covers sending, the answer and its whole body, an error body read
                // for its message included: a server that stalls after the headers cannot hang
                // the call.
                let deadline = tokio::time::Instant::now() + self.tools.shared.timeout;
                let failed = match tokio::time::timeout_at(deadline, send()).await {
                    Ok(Ok(response)) => {
                        attempts.answered(response.status().as_u16());
                        return Ok(response.into_inner());
                    }
                    Ok(Err(err)) => Some(err),
                    Err(_) => None,
                };
                turn = attempts.retry(turn, failed, deadline).await?;
            }
        }
        .instrument(span)
    }
}

/// A turn to send a request: a slot among the requests in flight, held until the answer has been
/// read.
type Turn<'a> = Option<tokio::sync::SemaphorePermit<'a>>;

/// The attempts at one request: what they share, and what decides whether another is made.
/// Kept apart from [`ToolCall::send`] so that only the few lines that touch the operation's
/// answer type are compiled once per operation.
struct Attempts<'a> {
    tools: &'a ClerkTools,
    tool: Caller,
    method: &'static str,
    span: tracing::Span,
    started: Instant,
    attempt: u32,
}

impl<'a> Attempts<'a> {
    fn new(call: &ToolCall<'a>, operation: &'static str) -> Self {
        debug_assert!(
            call.tool.calls(operation),
            "{} calls {operation}, which its declaration does not list",
            call.tool.name()
        );
        // The operation is a method of the client, so the client's table has it.
        let (method, path) = clerk_api::Operation::find(operation).map_or(("", operation), |op| (op.method, op.path));
        let span = tracing::debug_span!(
            "clerk_request",
            tool = call.tool.name(),
            method,
            path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        Attempts { tools: call.tools, tool: call.tool, method, span, started: Instant::now(), attempt: 1 }
    }

    /// Waits for a turn: a free slot among the requests in flight, then the rate limit. Waiting
    /// is not part of the attempt's timeout: only time at the API is.
    async fn turn(&self) -> Turn<'a> {
        // The semaphore is never closed, so acquiring cannot fail.
        let turn = self.tools.shared.in_flight.acquire().await.ok();
        if let Some(limiter) = &self.tools.shared.limiter {
            limiter.acquire().await;
        }
        turn
    }

    fn record(&self, status: Option<u16>) {
        if let Some(status) = status {
            self.span.record("status", status);
        }
        self.span.record("attempts", self.attempt);
        self.span.record("elapsed_ms", self.started.elapsed().as_millis() as u64);
    }

    fn answered(&self, status: u16) {
        self.record(Some(status));
    }

    fn timed_out(&self) -> (Error, Failure) {
        let message = format!("no complete answer within {:?}", self.tools.shared.timeout);
        (Error::Timeout(message, None), Failure::Interrupted)
    }

    /// After a failed attempt: the turn of the next attempt once it is time for it, or the error
    /// when there is none. `failed` is the generated client's error (an error answer, or a
    /// failed request), classified (an error body read) by `deadline`; `None` when no complete
    /// answer came by then.
    async fn retry(
        &mut self,
        turn: Turn<'a>,
        failed: Option<clerk_api::Error<ClerkErrors>>,
        deadline: tokio::time::Instant,
    ) -> Result<Turn<'a>, Error> {
        let classified = match failed {
            Some(err) => tokio::time::timeout_at(deadline, classify(err)).await.ok(),
            None => None,
        };
        let (mut error, failure) = classified.unwrap_or_else(|| self.timed_out());
        drop(turn);
        self.tools.shared.explain(&mut error);
        self.record(failure.status());
        let policy = &self.tools.shared.retry;
        if self.attempt >= policy.max_attempts || !may_retry(self.method, failure) {
            return Err(self.give_up(error));
        }
        let retry_after = match &error {
            Error::RateLimited(api) => api.retry_after,
            Error::Api(api) if api.status == 503 => api.retry_after,
            _ => None,
        };
        // Clerk's `Retry-After` is waited in full; when that would pass the deadline the error
        // returns at once, so the caller can decide, and no early request is sent.
        let delay = delay_before(policy, self.attempt + 1, retry_after);
        let delay_ms = delay.as_millis() as u64;
        if self.started.elapsed() + delay > policy.total_deadline {
            tracing::debug!(attempt = self.attempt, delay_ms, "not retrying: the wait would pass the deadline");
            return Err(self.give_up(error));
        }
        tracing::debug!(attempt = self.attempt, delay_ms, error = %error, "retrying");
        tokio::time::sleep(delay).await;
        self.attempt += 1;
        Ok(self.turn().await)
    }

    /// The error the call ends with: for a tool whose answers carry credentials, with nothing
    /// of the answer left in it.
    fn give_up(&self, error: Error) -> Error {
        if self.tool.returns_credentials() { without_answer(error) } else { error }
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
            let errors = response.into_inner();
            (Error::from_api(api_error(status, Some(errors), None, retry_after)), Failure::Status(status))
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
            let retry_after = retry_after(response.headers());
            let body = response.into_inner();
            if status >= 400 {
                (error_from_body(status, &body, retry_after), Failure::Status(status))
            } else {
                (Error::Decode { status, message: decode.to_string(), body_start: body_start(&body) }, Failure::Final)
            }
        }
        E::ResponseBodyError(_, err) | E::CommunicationError(err) => transport(err),
        E::InvalidRequest(message) => (Error::invalid("request", message), Failure::Final),
        E::InvalidPathParameter { name, .. } => {
            (Error::invalid(name, "may not be empty, `.` or `..`, which the URL would resolve"), Failure::Final)
        }
        other => (Error::Connection(other.to_string(), None), Failure::Interrupted),
    }
}

/// An error answer whose body may or may not be Clerk's error format.
fn error_from_body(status: u16, body: &[u8], retry_after: Option<Duration>) -> Error {
    let api = match serde_json::from_slice::<ClerkErrors>(body) {
        Ok(errors) => api_error(status, Some(errors), None, retry_after),
        Err(_) => api_error(status, None, Some(body_start(body)).filter(|s| !s.is_empty()), retry_after),
    };
    Error::from_api(api)
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
    let from_clerk = errors.is_some();
    let trace_id = errors.as_ref().and_then(|errors| errors.clerk_trace_id.clone());
    let first = errors.and_then(|errors| errors.errors.unwrap_or_default().into_iter().next());
    match first {
        Some(first) => ApiError {
            status,
            // An error with a code but no message still says what went wrong.
            message: first.message.or_else(|| first.long_message.clone()).unwrap_or(fallback),
            long_message: first.long_message,
            code: first.code,
            trace_id,
            body_start: None,
            retry_after,
            from_clerk,
        },
        None => ApiError {
            status,
            message: fallback,
            long_message: None,
            code: None,
            trace_id,
            body_start,
            retry_after,
            from_clerk,
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
        let status = err.status().map(|s| s.as_u16()).unwrap_or_default();
        (Error::Decode { status, message, body_start: String::new() }, Failure::Interrupted)
    } else {
        (Error::Connection(message, Some(Arc::new(err))), Failure::Interrupted)
    }
}

/// The first error of type `T` in the source chain of `err`.
pub(crate) fn find_source<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

/// An error and its sources, on one line.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
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
fn body_start(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]);
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    collapsed.join(" ").chars().take(200).collect()
}
