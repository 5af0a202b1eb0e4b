//! The errors: one variant per reason a token is refused, each with a stable reason code.

use std::sync::Arc;

/// Why a public key cannot be used to verify RS256.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not PEM or base64 DER of a public key, or broken inside.
    #[error("the key is malformed: {0}")]
    Malformed(&'static str),
    /// A PEM of something else than a public key (a private key, a certificate).
    #[error("the PEM does not hold a public key (expected -----BEGIN PUBLIC KEY-----)")]
    NotAPublicKey,
    /// A public key of another algorithm (EC, Ed25519, ...).
    #[error("the key is not an RSA key; Clerk signs session tokens with RS256")]
    NotRsa,
    /// An RSA key whose modulus is too small or too large for RS256.
    #[error("an RSA key of {bits} bits cannot be used: RS256 needs 2048 to 8192 bits")]
    UnsupportedSize {
        /// The size of the key's modulus.
        bits: usize,
    },
}

/// A session token was refused. [`VerifyError::reason`] names the reason in a stable,
/// machine-readable form (Clerk's own reason codes where Clerk has one).
///
/// The messages never contain the token, the key, or the secret key.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a compact JWT: not three base64url parts, a header or payload that is not a JSON
    /// object, or a header with critical extensions (`crit`).
    #[error("the token is not a well-formed JWT: {0}")]
    Malformed(&'static str),
    /// Longer than [`crate::MAX_TOKEN_BYTES`]; nothing of it was decoded.
    #[error("the token is {length} bytes long, more than the {limit} a session token can be")]
    TooLarge {
        /// The token's length in bytes.
        length: usize,
        /// The largest length accepted.
        limit: usize,
    },
    /// Signed (or not) with something else than RS256: `none`, an HMAC algorithm, another
    /// asymmetric one.
    #[error("the token's algorithm {0:?} is not accepted: Clerk session tokens are signed with RS256")]
    UnsupportedAlgorithm(String),
    /// A JWT of another kind: its `typ` is not `JWT`, or its `cat` names another category of
    /// Clerk token, such as an M2M token.
    #[error("the token is not a Clerk session token: {0}")]
    NotASessionToken(String),
    /// No key of the instance has the token's `kid` (after a refresh of the JWKS, when one was
    /// allowed).
    #[error("no signing key of the instance has the token's kid {kid:?}")]
    UnknownKey {
        /// The `kid` of the token's header, if it had one.
        kid: Option<String>,
    },
    /// The signature does not verify with the key: forged, tampered with, or signed by
    /// another key.
    #[error("the token's signature is invalid")]
    BadSignature,
    /// `exp` is past, beyond the clock skew allowed.
    #[error("the token expired at {expired_at} (Unix time), {now} now")]
    Expired {
        /// The token's `exp`, in seconds.
        expired_at: i64,
        /// The time of verification, in seconds.
        now: i64,
    },
    /// `nbf` is still ahead, beyond the clock skew allowed.
    #[error("the token is not valid before {not_before} (Unix time), {now} now")]
    NotYetValid {
        /// The token's `nbf`, in seconds.
        not_before: i64,
        /// The time of verification, in seconds.
        now: i64,
    },
    /// `iat` is ahead of now, beyond the clock skew allowed: the issuer's clock or the token
    /// is wrong.
    #[error("the token was issued in the future, at {issued_at} (Unix time), {now} now")]
    IssuedInTheFuture {
        /// The token's `iat`, in seconds.
        issued_at: i64,
        /// The time of verification, in seconds.
        now: i64,
    },
    /// Authorized parties are configured and the token's `azp` is none of them.
    #[error("{}", match azp {
        Some(azp) => format!("the token's authorized party (azp) {azp:?} is not one of the authorized parties"),
        None => "the token has no authorized party (azp), and authorized parties are required".to_owned(),
    })]
    UnauthorizedParty {
        /// The token's `azp`, if it had one.
        azp: Option<String>,
    },
    /// A claim a session token must have is missing or of the wrong type (`sub`, `sid`,
    /// `exp`, ...).
    #[error("the token's claims are invalid: {0}")]
    InvalidClaims(String),
    /// The instance's keys could not be fetched; the token may well be valid.
    #[error("the instance's signing keys could not be loaded: {0}")]
    KeysUnavailable(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl VerifyError {
    /// The reason as a stable code, for logs, response headers and programs: `token-expired`,
    /// `token-invalid-signature`, ... (the list is in the crate documentation).
    pub fn reason(&self) -> &'static str {
        match self {
            VerifyError::Malformed(_) => "token-invalid",
            VerifyError::TooLarge { .. } => "token-too-large",
            VerifyError::UnsupportedAlgorithm(_) => "token-invalid-algorithm",
            VerifyError::NotASessionToken(_) => "token-not-a-session-token",
            VerifyError::UnknownKey { .. } => "jwk-kid-mismatch",
            VerifyError::BadSignature => "token-invalid-signature",
            VerifyError::Expired { .. } => "token-expired",
            VerifyError::NotYetValid { .. } => "token-not-active-yet",
            VerifyError::IssuedInTheFuture { .. } => "token-iat-in-the-future",
            VerifyError::UnauthorizedParty { .. } => "token-invalid-authorized-parties",
            VerifyError::InvalidClaims(_) => "token-invalid-claims",
            VerifyError::KeysUnavailable(_) => "jwk-remote-failed-to-load",
        }
    }

    /// Whether the fault is on this side (the keys could not be loaded) rather than the
    /// token's: worth a 503 and a retry, not a new sign-in.
    pub fn is_server_side(&self) -> bool {
        matches!(self, VerifyError::KeysUnavailable(_))
    }
}

/// A [`crate::Verifier`] could not be set up from the environment.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither `CLERK_JWT_KEY` nor `CLERK_SECRET_KEY` is set.
    #[error("set CLERK_JWT_KEY (the instance's PEM public key) or CLERK_SECRET_KEY (to fetch the instance's JWKS)")]
    NoKey,
    /// `CLERK_JWT_KEY` is set but is not a usable key.
    #[error("CLERK_JWT_KEY: {0}")]
    JwtKey(#[from] KeyError),
    /// The secret key or the API URL cannot make a Backend API client.
    #[error("cannot make the Backend API client: {0}")]
    Client(#[from] clerk_api::ConfigError),
}
