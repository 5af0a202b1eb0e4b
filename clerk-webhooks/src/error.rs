//! Why a webhook was refused.

/// Why a webhook was refused. The signing secret is never part of an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A signature header is absent or empty (`svix-id`, `svix-timestamp` or
    /// `svix-signature`; their `webhook-` counterparts count as well).
    #[error("the `{0}` header is missing")]
    MissingHeader(&'static str),
    /// A signature header is present but cannot be read: a timestamp that is not a number of
    /// seconds, or a value that is not text.
    #[error("the `{name}` header is malformed: {reason}")]
    MalformedHeader {
        /// The header, e.g. `svix-timestamp`.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signing secret is not `whsec_` followed by base64 (or is empty).
    #[error("the webhook signing secret is malformed: {0}")]
    MalformedSecret(&'static str),
    /// The signing secret's key is shorter than [`crate::MIN_SECRET_BYTES`]: a placeholder or
    /// a typing mistake, not a secret Clerk issued.
    #[error(
        "the webhook signing secret's key is {bytes} bytes long and needs at least {minimum}: use the secret the \
         Clerk dashboard shows for the endpoint (`whsec_` and 32 characters)",
        minimum = crate::MIN_SECRET_BYTES
    )]
    SecretTooShort {
        /// The key's length, in bytes.
        bytes: usize,
    },
    /// No `v1` signature in `svix-signature` matches the body: it was altered, signed with
    /// another secret, or not sent by Clerk.
    #[error("no signature matches the body, its id and its timestamp under this secret")]
    BadSignature,
    /// The timestamp is further from now than the tolerance, in either direction: a replay
    /// of an old delivery, or a clock out of step.
    #[error(
        "the webhook timestamp {timestamp} is {distance} seconds {direction} now, beyond the tolerance of {tolerance} seconds",
        distance = timestamp.abs_diff(*now),
        direction = if timestamp < now { "before" } else { "after" },
    )]
    StaleTimestamp {
        /// The `svix-timestamp`, in seconds since the Unix epoch.
        timestamp: i64,
        /// The time of the check, in seconds since the Unix epoch.
        now: i64,
        /// The tolerance, in seconds.
        tolerance: u64,
    },
    /// A webhook with this message id was already accepted within the tolerance window:
    /// a replay of a captured delivery (see [`crate::Webhook::with_replay_guard`]).
    #[error("the webhook `{id}` was already received; a delivery is accepted once")]
    Replayed {
        /// The `svix-id` of the message.
        id: String,
    },
    /// The signature is valid but the body is not a webhook event: not JSON, not UTF-8,
    /// nested too deeply, or a field of the wrong type.
    #[error("the body is not a Clerk webhook event: {0}")]
    UnreadableBody(String),
}

impl Error {
    /// A stable snake_case name for the error, for logs and JSON output:
    /// `missing_header`, `malformed_header`, `malformed_secret`, `secret_too_short`,
    /// `bad_signature`, `stale_timestamp`, `replayed` or `unreadable_body`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::MissingHeader(_) => "missing_header",
            Error::MalformedHeader { .. } => "malformed_header",
            Error::MalformedSecret(_) => "malformed_secret",
            Error::SecretTooShort { .. } => "secret_too_short",
            Error::BadSignature => "bad_signature",
            Error::StaleTimestamp { .. } => "stale_timestamp",
            Error::Replayed { .. } => "replayed",
            Error::UnreadableBody(_) => "unreadable_body",
        }
    }
}
