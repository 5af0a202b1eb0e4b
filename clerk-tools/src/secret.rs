//! The Clerk secret key, and the credentials some tools return, in types that cannot leak
//! them by accident.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What every redacted text type shares: a constructor, `expose` (documented per type), both
/// `From`s, and a `Debug` that prints `Name([redacted])`.
macro_rules! redacted_text {
    ($name:ident, $new_doc:literal, $expose_doc:literal) => {
        impl $name {
            #[doc = $new_doc]
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            #[doc = $expose_doc]
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::new(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

/// A Clerk secret key (`sk_live_...` or `sk_test_...`).
///
/// `Debug` and `Display` print `[redacted]`; the only way to the key is
/// [`SecretKey::expose`], which the client calls once per request to build the
/// `Authorization` header.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct SecretKey(String);

redacted_text!(SecretKey, "Wraps a key.", "The key itself. Do not log it.");

impl SecretKey {
    /// Whether the key is missing (empty or blank).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A password, as the create and update inputs carry it: sent exactly as given, and never
/// printed (`Debug` shows `Password([redacted])`).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

redacted_text!(Password, "Wraps a password.", "The password itself, for the request body.");

/// A credential a tool returns: a user's OAuth access token, an actor token or the sign-in
/// link that carries one. Returning it is what the tool is for, so the JSON output holds the
/// plain string; `Debug` and `Display` print `[redacted]`, so a logged or printed output does
/// not hand it on. [`Credential::expose`] gives the value.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Credential(String);

redacted_text!(Credential, "Wraps a credential.", "The credential itself. Do not log it.");

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// An error of a call whose answer carries credentials, with nothing of that answer left in it:
/// a success answer that could not be decoded keeps no part of its body, and the decoder's
/// message no quoted value.
pub(crate) fn without_answer(error: Error) -> Error {
    match error {
        Error::Decode { status, message, .. } => Error::Decode {
            status,
            message: unquoted(&message),
            body_start: "[withheld: the answer carries credentials]".to_string(),
        },
        other => other,
    }
}

/// `message` with every double-quoted part replaced by `"[withheld]"`.
fn unquoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (index, part) in parts.enumerate() {
        // Parts alternate between quoted and not, starting quoted; an unclosed quote
        // withholds the rest.
        if index % 2 == 0 {
            out.push_str("\"[withheld]\"");
        } else {
            out.push_str(part);
        }
    }
    out
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

    #[test]
    fn never_prints_a_credential_but_serializes_it() {
        let token = Credential::new("ya29.a0AfH6SMBx");
        assert_eq!(format!("{token}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&token)), "Some(Credential([redacted]))");
        assert_eq!(serde_json::to_value(&token).unwrap(), serde_json::json!("ya29.a0AfH6SMBx"));
        // In the schemas a host reads, an optional credential is a plain nullable string.
        let tool = crate::find_tool("clerk_create_actor_token")
            .and_then(|tool| tool.output_schema.as_ref())
            .map(|schema| &schema["properties"]);
        for name in ["token", "url"] {
            let schema = tool.map(|properties| &properties[name]);
            assert_eq!(schema.map(|schema| &schema["type"]), Some(&serde_json::json!(["string", "null"])), "{name}");
        }
    }

    #[test]
    fn an_undecodable_answer_with_credentials_keeps_none_of_it() {
        let decode = Error::Decode {
            status: 200,
            message: "invalid type: string \"eyJhbGciOi.secret\", expected i64 at line 1 column 40".into(),
            body_start: "{\"token\":\"eyJhbGciOi.secret\"}".into(),
        };
        let withheld = without_answer(decode);
        let text = format!("{withheld} {withheld:?} {}", withheld.to_json());
        assert!(!text.contains("eyJhbGciOi"), "{text}");
        assert!(text.contains("expected i64 at line 1 column 40"), "{text}");
        assert_eq!(unquoted("a \"b\" c \"d"), "a \"[withheld]\" c \"[withheld]\"");
    }
}
