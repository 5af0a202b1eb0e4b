//! The error of every operation.
//!
//! It has the variants of progenitor's `Error`, which the generated code builds, with two
//! differences: an error that came with an answer keeps that answer's status (and headers), so
//! [`Error::status`] is known for each of them without any state kept on the client; and its
//! `Display` is one line that says what Clerk said, never a dump of headers.

use std::fmt;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::types::ClerkErrors;

/// Why an operation failed. `E` is the operation's error body: Clerk's [`ClerkErrors`] for
/// every operation of Clerk's documents.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ClerkErrors> {
    /// Nothing was sent: a parameter or the body given cannot be sent as the operation
    /// requires (a required one is missing, or a value does not convert).
    InvalidRequest(String),
    /// Nothing was sent: the path parameter `name` is empty, `.` or `..`, which would make the
    /// request reach another endpoint (URL resolution drops a `.` segment, and a `..` one with
    /// the segment before it).
    InvalidPathParameter {
        /// The parameter, as the request builder's method names it.
        name: &'static str,
        /// The value given.
        value: String,
    },
    /// No answer: the request could not be sent or the connection failed (refused, TLS, a
    /// timeout of the HTTP client).
    CommunicationError(reqwest::Error),
    /// Clerk answered with an error status and its error body.
    ErrorResponse(ResponseValue<E>),
    /// An answer came, and reading its body failed (the connection broke, or the body is larger
    /// than the client reads): the answer's status and headers, and why.
    ResponseBodyError(ResponseValue<()>, reqwest::Error),
    /// An answer came whose body is not what the operation declares: the answer's status,
    /// headers and body, and why it did not decode.
    InvalidResponsePayload(ResponseValue<Bytes>, serde_json::Error),
    /// An answer with a status the operation does not declare.
    UnexpectedResponse(reqwest::Response),
    /// An error a hook reported.
    Custom(String),
}

impl<E> Error<E> {
    /// The status of the answer this error came with; `None` when there was none.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::ErrorResponse(response) => Some(response.status()),
            Error::ResponseBodyError(response, _) => Some(response.status()),
            Error::InvalidResponsePayload(response, _) => Some(response.status()),
            Error::UnexpectedResponse(response) => Some(response.status()),
            Error::CommunicationError(err) => err.status(),
            Error::InvalidRequest(_) | Error::InvalidPathParameter { .. } | Error::Custom(_) => None,
        }
    }
}

/// Clerk's message, code and trace id are read from the error body's JSON, so any body in Clerk's
/// error format shows them, whatever revision its type was generated from.
impl<E: Serialize> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request, not sent: {}", one_line(message)),
            Error::InvalidPathParameter { name, value } if value.is_empty() => {
                write!(f, "invalid path parameter `{name}`, not sent: it is empty")
            }
            Error::InvalidPathParameter { name, value } => write!(
                f,
                "invalid path parameter `{name}`, not sent: `{value}` is a dot segment, which the URL would resolve"
            ),
            Error::CommunicationError(err) => write!(f, "no answer: {}", chain(err)),
            Error::ErrorResponse(response) => {
                write!(f, "{}", response.status())?;
                clerk_errors(f, &serde_json::to_value(response.as_ref()).unwrap_or_default())
            }
            Error::ResponseBodyError(response, err) => {
                write!(f, "{}, and its body could not be read: {}", response.status(), chain(err))
            }
            Error::InvalidResponsePayload(response, err) => {
                write!(f, "{}, and its body is not what the operation declares: {err}", response.status())
            }
            Error::UnexpectedResponse(response) => {
                write!(f, "{}, a status the operation does not declare", response.status())
            }
            Error::Custom(message) => f.write_str(&one_line(message)),
        }
    }
}

/// `: message (code CODE, trace id ID)` for Clerk's error body, from its first error.
fn clerk_errors(f: &mut fmt::Formatter<'_>, body: &Value) -> fmt::Result {
    let errors = body.get("errors").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let first = |key: &str| errors.first().and_then(|error| error.get(key)).and_then(Value::as_str);
    if let Some(message) = first("message").or(first("long_message")) {
        write!(f, ": {}", one_line(message))?;
    }
    let mut details = Vec::new();
    if let Some(code) = first("code") {
        details.push(format!("code {}", one_line(code)));
    }
    if let Some(trace_id) = body.get("clerk_trace_id").and_then(Value::as_str) {
        details.push(format!("trace id {}", one_line(trace_id)));
    }
    if errors.len() > 1 {
        details.push(format!("{} more errors", errors.len() - 1));
    }
    if !details.is_empty() {
        write!(f, " ({})", details.join(", "))?;
    }
    Ok(())
}

/// Text from the network on one line: line breaks and other control characters become spaces.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// An error and its sources, joined on one line: reqwest's own message rarely says why.
fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    one_line(&message)
}

impl<E: Serialize + fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::CommunicationError(err) | Error::ResponseBodyError(_, err) => Some(err),
            Error::InvalidResponsePayload(_, err) => Some(err),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(err: reqwest::Error) -> Self {
        Error::CommunicationError(err)
    }
}

/// The generated code calls progenitor's hooks and request helpers, which report progenitor's
/// error; this client's hooks report none, so only the variants that carry no answer can occur.
impl<E> From<progenitor_client::Error<E>> for Error<E> {
    fn from(err: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as Progenitor;
        match err {
            Progenitor::InvalidRequest(message) => Error::InvalidRequest(message),
            Progenitor::CommunicationError(err) | Progenitor::InvalidUpgrade(err) => Error::CommunicationError(err),
            Progenitor::ErrorResponse(response) => Error::ErrorResponse(response),
            Progenitor::UnexpectedResponse(response) => Error::UnexpectedResponse(response),
            Progenitor::Custom(message) => Error::Custom(message),
            // No status came with these; they are not answers of this client's requests.
            Progenitor::ResponseBodyError(err) => Error::CommunicationError(err),
            Progenitor::InvalidResponsePayload(_, err) => Error::Custom(format!("invalid response payload: {err}")),
        }
    }
}

impl<E> From<std::convert::Infallible> for Error<E> {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
