//! The one error type of the tools: what went wrong, in terms of what a caller can do about
//! it. No variant ever holds the secret key.

use std::time::Duration;

use serde_json::{Map, Value, json};

/// The transport failure behind a [`Error::Timeout`] or [`Error::Connection`], kept as the
/// error's `source()`.
pub type TransportError = std::sync::Arc<reqwest::Error>;

/// Clerk's answer to a failed call: the HTTP status and, when the body is Clerk's error
/// format, its first error and the trace id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The first error's `message`, or a description of the status when the body had none.
    pub message: String,
    /// The first error's `long_message`.
    pub long_message: Option<String>,
    /// The first error's `code` (for example `resource_not_found`).
    pub code: Option<String>,
    /// `clerk_trace_id`, the identifier Clerk support asks for.
    pub trace_id: Option<String>,
    /// The start of a body that was not Clerk's error format (an HTML error page), for
    /// diagnosis.
    pub body_start: Option<String>,
    /// How long Clerk asked to wait (`Retry-After`), when it did.
    pub retry_after: Option<Duration>,
    /// Whether the body was Clerk's error format: Clerk itself answered, rather than a proxy,
    /// a load balancer or a server that is not Clerk.
    pub(crate) from_clerk: bool,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clerk API error {}: {}", self.status, self.message)?;
        if let Some(long) = self.long_message.as_deref().filter(|l| *l != self.message) {
            write!(f, " ({long})")?;
        }
        if let Some(code) = &self.code {
            write!(f, " [code: {code}]")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " [trace id: {trace}]")?;
        }
        Ok(())
    }
}

/// Why a tool call failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input is missing or malformed; nothing was sent.
    #[error("invalid input `{field}`: {reason}")]
    InvalidInput {
        /// The input's name, as in the tool contract (`userId`, `limit`, ...).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The key was rejected (401) or lacks permission (403).
    #[error("{0}")]
    Unauthorized(Box<ApiError>),
    /// The user, organization or session does not exist (404).
    #[error("{0}")]
    NotFound(Box<ApiError>),
    /// Too many requests (429); retry after [`ApiError::retry_after`] when Clerk states one.
    #[error("{0}")]
    RateLimited(Box<ApiError>),
    /// Any other error answer from Clerk (400, 422, 5xx, ...).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No answer in time.
    #[error("request to Clerk timed out: {0}")]
    Timeout(String, #[source] Option<TransportError>),
    /// Clerk could not be reached, or the connection failed before an answer arrived.
    #[error("cannot reach Clerk: {0}")]
    Connection(String, #[source] Option<TransportError>),
    /// The answer was larger than the client reads ([`crate::ClerkToolsBuilder::max_response_bytes`]).
    #[error("Clerk's answer is larger than the limit of {limit} bytes; nothing was decoded")]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// A success answer whose body could not be decoded.
    #[error("cannot decode Clerk's answer (HTTP {status}): {message}; body starts with: {body_start:?}")]
    Decode {
        /// HTTP status code.
        status: u16,
        /// What the decoder said.
        message: String,
        /// The first bytes of the body.
        body_start: String,
    },
    /// A change that takes several requests stopped part way: the inputs in `applied` took
    /// effect, those in `not_applied` did not, because of `cause`.
    #[error("partly applied: {} took effect; {} did not: {cause}", applied.join(", "), not_applied.join(", "))]
    PartiallyApplied {
        /// The inputs whose change took effect, by their contract names.
        applied: Vec<String>,
        /// The inputs whose change did not.
        not_applied: Vec<String>,
        /// Why the rest failed.
        #[source]
        cause: Box<Error>,
    },
    /// A successful output is larger than the budget it must fit in and has no list to cut at
    /// whole items ([`crate::fit_output`]); the call took effect.
    #[error(
        "the output is {size} bytes, over the limit of {limit} bytes, and has no list to shorten; narrow the call \
         (a more specific filter or fewer fields), or raise --max-output-bytes"
    )]
    OutputTooLarge {
        /// The output's size, in bytes of JSON.
        size: usize,
        /// The budget, in bytes.
        limit: usize,
    },
    /// A tool's output could not be written as JSON (the JSON interface only).
    #[error("cannot write the tool's output as JSON: {0}")]
    Serialize(String),
    /// The client could not be configured (for example, no TLS backend).
    #[error("client configuration: {0}")]
    Config(String),
    /// No secret key to call Clerk with; nothing was sent.
    #[error(
        "no Clerk secret key: set {var} to your key from the Clerk Dashboard (API keys; for an MCP host, in the \
         `env` of the server's entry), or give one with --secret-key, ClerkTools::builder().secret_key(..) or \
         `secretKey` in a JSON input",
        var = crate::client::SECRET_KEY_VAR
    )]
    MissingSecretKey,
}

impl Error {
    /// An invalid-input error for `field`.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.to_string(), reason: reason.into() }
    }

    /// The HTTP status, when Clerk answered.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|e| e.status).or(match self {
            Error::Decode { status, .. } => Some(*status),
            Error::PartiallyApplied { cause, .. } => cause.status(),
            _ => None,
        })
    }

    /// Clerk's answer, when the error is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Unauthorized(e) | Error::NotFound(e) | Error::Api(e) | Error::RateLimited(e) => Some(e),
            Error::PartiallyApplied { cause, .. } => cause.api_error(),
            _ => None,
        }
    }

    /// A short machine-readable name of the variant, used in JSON errors.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::Unauthorized(_) => "unauthorized",
            Error::NotFound(_) => "not_found",
            Error::RateLimited { .. } => "rate_limited",
            Error::Api(_) => "api_error",
            Error::Timeout(..) => "timeout",
            Error::Connection(..) => "connection",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::Decode { .. } => "decode",
            Error::PartiallyApplied { .. } => "partially_applied",
            Error::OutputTooLarge { .. } => "output_too_large",
            Error::Serialize(_) => "serialize",
            Error::Config(_) | Error::MissingSecretKey => "config",
        }
    }

    /// How long Clerk asked to wait before trying again (`Retry-After`), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|api| api.retry_after)
    }

    /// Classifies Clerk's answer by status.
    pub(crate) fn from_api(error: ApiError) -> Self {
        let error = Box::new(error);
        match error.status {
            401 | 403 => Error::Unauthorized(error),
            404 => Error::NotFound(error),
            429 => Error::RateLimited(error),
            _ => Error::Api(error),
        }
    }

    /// The JSON interface's failure object: `{"success": false, "error": "<message>", ...}`
    /// with the HTTP status (`httpStatus`), code, long message and trace id when known.
    /// `httpStatus` rather than `status`: in the tools' outputs `status` is the state of a
    /// session or an invitation, and a name keeps one meaning everywhere.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("success".into(), json!(false));
        object.insert("error".into(), json!(self.to_string()));
        object.insert("kind".into(), json!(self.kind()));
        match self {
            Error::InvalidInput { field, .. } => {
                object.insert("field".into(), json!(field));
            }
            Error::MissingSecretKey => {
                object.insert("field".into(), json!("secretKey"));
            }
            Error::Decode { status, body_start, .. } => {
                object.insert("httpStatus".into(), json!(status));
                object.insert("bodyStart".into(), json!(body_start));
            }
            Error::PartiallyApplied { applied, not_applied, cause } => {
                object.insert("applied".into(), json!(applied));
                object.insert("notApplied".into(), json!(not_applied));
                object.insert("causeKind".into(), json!(cause.kind()));
            }
            _ => {}
        }
        if let Some(api) = self.api_error() {
            object.insert("httpStatus".into(), json!(api.status));
            object.insert("message".into(), json!(api.message));
            object.insert("longMessage".into(), json!(api.long_message));
            object.insert("code".into(), json!(api.code));
            object.insert("traceId".into(), json!(api.trace_id));
            if let Some(body_start) = &api.body_start {
                object.insert("bodyStart".into(), json!(body_start));
            }
        }
        if let Some(delay) = self.retry_after() {
            object.insert("retryAfterSeconds".into(), json!(delay.as_secs_f64()));
        }
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_stay_small_and_keep_their_source() {
        // Clerk's answer is boxed: a Result<T, Error> costs little more than T.
        assert!(std::mem::size_of::<Error>() <= 64, "Error is {} bytes", std::mem::size_of::<Error>());
        let cause = Error::Timeout("no answer".into(), None);
        let partial =
            Error::PartiallyApplied { applied: vec!["firstName".into()], not_applied: vec![], cause: Box::new(cause) };
        assert_eq!(partial.kind(), "partially_applied");
        let source = std::error::Error::source(&partial).expect("the cause is the source");
        assert_eq!(source.to_string(), "request to Clerk timed out: no answer");
    }
}
