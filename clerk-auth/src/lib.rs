//! Verifies Clerk session tokens in Rust, without a round trip to Clerk per request.
//!
//! A [`Verifier`] checks a token (the `__session` cookie, or the `Authorization: Bearer`
//! token of Clerk's frontend SDKs) against the instance's public key, given as
//! `CLERK_JWT_KEY` (no network at all) or fetched from the Backend API's `GET /jwks` with the
//! secret key and cached ([`Jwks`]). A valid token becomes a typed [`Session`]; any other is
//! refused with a [`VerifyError`] that says why.
//!
//! ```no_run
//! # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = clerk_auth::Verifier::from_env()?;
//! let session = verifier.verify(token).await?;
//! println!("user {} in session {}", session.user_id, session.session_id);
//! if let Some(organization) = &session.organization {
//!     println!("active organization {} as {:?}", organization.id, organization.role);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! What is checked: the token is at most [`MAX_TOKEN_BYTES`] and a well-formed JWT; it is
//! signed with RS256 (`none`, HMAC and every other algorithm are refused before any key is
//! looked at) by the key its `kid` names; it is a session token (not another kind of Clerk
//! JWT signed by the same key); it has `sub`, `sid` and `exp`; `exp`, `nbf` and `iat` agree
//! with the clock, give or take the clock skew (5 s by default); and, when authorized parties
//! are set, its `azp` is one of them. The reasons, as [`VerifyError::reason`] gives them:
//!
//! | Reason | Variant |
//! |---|---|
//! | `token-invalid` | [`VerifyError::Malformed`] |
//! | `token-too-large` | [`VerifyError::TooLarge`] |
//! | `token-invalid-algorithm` | [`VerifyError::UnsupportedAlgorithm`] |
//! | `token-not-a-session-token` | [`VerifyError::NotASessionToken`] |
//! | `jwk-kid-mismatch` | [`VerifyError::UnknownKey`] |
//! | `token-invalid-signature` | [`VerifyError::BadSignature`] |
//! | `token-expired` | [`VerifyError::Expired`] |
//! | `token-not-active-yet` | [`VerifyError::NotYetValid`] |
//! | `token-iat-in-the-future` | [`VerifyError::IssuedInTheFuture`] |
//! | `token-invalid-authorized-parties` | [`VerifyError::UnauthorizedParty`] |
//! | `token-invalid-claims` | [`VerifyError::InvalidClaims`] |
//! | `jwk-remote-failed-to-load` | [`VerifyError::KeysUnavailable`] |
//!
//! Features: `rustls` (default), `rustls-aws-lc` or `native-tls` for fetching the JWKS over
//! HTTPS; `machine-tokens` for the module `machine` (API keys, M2M tokens, OAuth access
//! tokens); `tower` for `ClerkAuthLayer`; `axum` for the `ClerkSession` extractor.
#![deny(missing_docs)]

mod claims;
mod error;
mod jwks;
mod jwt;
mod keys;
#[cfg(feature = "machine-tokens")]
pub mod machine;
#[cfg(feature = "tower")]
mod middleware;
mod verifier;

pub use claims::{ActiveOrganization, Actor, FactorVerificationAge, Session, SessionStatus};
pub use error::{ConfigError, KeyError, VerifyError};
pub use jwks::{Jwks, RefreshPolicy};
pub use jwt::MAX_TOKEN_BYTES;
pub use keys::RsaPublicKey;
#[cfg(feature = "axum")]
pub use middleware::ClerkSession;
#[cfg(feature = "tower")]
pub use middleware::{AUTH_REASON_HEADER, ClerkAuth, ClerkAuthLayer, Rejection, SESSION_COOKIE, session_token};
pub use verifier::{API_URL_VAR, DEFAULT_CLOCK_SKEW, JWT_KEY_VAR, SECRET_KEY_VAR, Verifier};

// The README's examples, compiled as doctests.
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
