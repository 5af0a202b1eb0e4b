//! The bearer token every request to the HTTP server carries.

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The fewest characters a token may have: 32 random characters are beyond guessing, and
/// anything shorter is more likely a placeholder (`changeme`) than a secret.
pub const MIN_TOKEN_CHARS: usize = 32;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Shorter than [`MIN_TOKEN_CHARS`] (surrounding whitespace aside).
    #[error(
        "the bearer token has {length} characters and needs at least {MIN_TOKEN_CHARS}; make one with \
         `head -c 32 /dev/urandom | base64`"
    )]
    TooShort {
        /// How many characters it has.
        length: usize,
    },
}

/// The bearer token, kept only as its SHA-256 digest: checking a request needs nothing more,
/// and nothing is held that could be printed. Its `Debug` shows no part of it.
#[derive(Clone)]
pub struct BearerToken {
    digest: [u8; 32],
}

impl BearerToken {
    /// The token `text`, without surrounding whitespace.
    ///
    /// # Errors
    ///
    /// [`TokenError::TooShort`] below [`MIN_TOKEN_CHARS`] characters.
    pub fn new(text: &str) -> Result<BearerToken, TokenError> {
        let text = text.trim();
        let length = text.chars().count();
        if length < MIN_TOKEN_CHARS {
            return Err(TokenError::TooShort { length });
        }
        Ok(BearerToken { digest: Sha256::digest(text.as_bytes()).into() })
    }

    /// Whether the request's `Authorization` is `Bearer <token>`. Digests are compared, in
    /// constant time, so the time taken tells nothing about the token or its length.
    pub(crate) fn accepts(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()) else {
            return false;
        };
        let Some((scheme, given)) = value.trim().split_once(' ') else { return false };
        if !scheme.eq_ignore_ascii_case("bearer") {
            return false;
        }
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        bool::from(given.ct_eq(&self.digest))
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    const TOKEN: &str = "s3cret-token-0123456789abcdef-xyz";

    #[test]
    fn only_the_bearer_token_is_accepted() {
        let token = BearerToken::new(TOKEN).unwrap();
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert!(token.accepts(&headers(&format!("Bearer {TOKEN}"))));
        assert!(token.accepts(&headers(&format!("bearer {TOKEN}"))));
        assert!(!token.accepts(&headers(&format!("Bearer {TOKEN}2"))));
        assert!(!token.accepts(&headers(&format!("Bearer {}", &TOKEN[1..]))));
        assert!(!token.accepts(&headers(&format!("Basic {TOKEN}"))));
        assert!(!token.accepts(&headers(TOKEN)));
        assert!(!token.accepts(&HeaderMap::new()));
        assert_eq!(format!("{token:?}"), "BearerToken([redacted])");
    }

    #[test]
    fn short_tokens_are_refused() {
        assert_eq!(BearerToken::new("x").unwrap_err(), TokenError::TooShort { length: 1 });
        assert_eq!(
            BearerToken::new(&format!("  {}  ", "a".repeat(31))).unwrap_err(),
            TokenError::TooShort { length: 31 }
        );
        assert!(BearerToken::new(&"é".repeat(32)).is_ok());
        let error = BearerToken::new("changeme").unwrap_err().to_string();
        assert!(error.contains("8 characters") && error.contains("at least 32"), "{error}");
    }
}
