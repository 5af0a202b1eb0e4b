//! The Clerk secret key, in a type that cannot leak it by accident.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;

/// A Clerk secret key (`sk_live_...` or `sk_test_...`).
///
/// `Debug` and `Display` print `[redacted]`; the only way to the key is
/// [`SecretKey::expose`], which the client calls once per request to build the
/// `Authorization` header.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(description = "The Clerk Secret Key for API authentication")]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        SecretKey(key.into())
    }

    /// The key itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is missing (empty or blank).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl From<&str> for SecretKey {
    fn from(key: &str) -> Self {
        SecretKey::new(key)
    }
}

impl From<String> for SecretKey {
    fn from(key: String) -> Self {
        SecretKey(key)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A password, as the create and update inputs carry it: sent exactly as given, and never
/// printed (`Debug` shows `Password([redacted])`).
#[derive(Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(description = "Password (minimum 8 characters); sent exactly as given")]
pub struct Password(String);

impl Password {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        Password(password.into())
    }

    /// The password itself, for the request body.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Password {
    fn from(password: &str) -> Self {
        Password::new(password)
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Password(password)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_key() {
        let key = SecretKey::new("sk_test_supersecret");
        assert_eq!(format!("{key}"), "[redacted]");
        assert_eq!(format!("{key:?}"), "SecretKey([redacted])");
        assert_eq!(format!("{:?}", Some(&key)), "Some(SecretKey([redacted]))");
        assert_eq!(key.expose(), "sk_test_supersecret");
    }

    #[test]
    fn never_prints_the_password() {
        let password = Password::new("correct horse battery staple");
        assert_eq!(format!("{password:?}"), "Password([redacted])");
        assert_eq!(format!("{:?}", Some(&password)), "Some(Password([redacted]))");
        assert_eq!(password.expose(), "correct horse battery staple");
    }
}
