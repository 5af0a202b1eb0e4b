//! The types of Clerk's Backend API: operation parameters, request bodies and responses,
//! generated from Clerk's Backend API document in `spec/` plus the reviewed fixes in
//! `spec/overlay.yaml` by `cargo xtask generate`, with the client in `clerk-api`.
//!
//! Use them as `clerk_api::types`, which re-exports this crate. They are a crate of their own
//! because they need serde alone: in a clean build they compile beside reqwest and TLS instead
//! of after them. Each API group is a feature here as in `clerk-api`, whose groups turn these
//! on.
//!
//! Responses are parsed leniently on purpose: every response field is optional, fields Clerk
//! adds later are ignored and response enums are plain strings (their known values are in the
//! docs), so a newer API never breaks a call that worked before.

#![warn(missing_docs)]

#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    irrefutable_let_patterns,
    rustdoc::all
)]
#[rustfmt::skip]
mod generated;

pub use generated::*;

use std::borrow::Cow;

/// What the setter of an optional text field of a body builder takes: `"text"`, a `String`
/// (or `&String`, `Box<str>`, `Cow<str>`), or an `Option` of one of those, `None` leaving the
/// field out of the request. A required text field's setter takes the same, less the `Option`.
///
/// ```
/// # #[cfg(feature = "organizations")]
/// # {
/// use clerk_api_types::CreateOrganizationBody;
///
/// let slug: Option<&str> = Some("analytical-engine");
/// let body = CreateOrganizationBody::try_from(
///     CreateOrganizationBody::builder().name("Analytical Engine").slug(slug).created_by("user_2x..."),
/// )?;
/// assert_eq!(body.slug.as_deref(), Some("analytical-engine"));
/// assert_eq!(body.created_by.as_deref(), Some("user_2x..."));
/// # }
/// # Ok::<(), clerk_api_types::error::ConversionError>(())
/// ```
pub trait IntoOptionalString {
    /// The field's value.
    fn into_optional_string(self) -> Option<String>;
}

impl IntoOptionalString for &str {
    fn into_optional_string(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoOptionalString for String {
    fn into_optional_string(self) -> Option<String> {
        Some(self)
    }
}

impl IntoOptionalString for &String {
    fn into_optional_string(self) -> Option<String> {
        Some(self.clone())
    }
}

impl IntoOptionalString for Box<str> {
    fn into_optional_string(self) -> Option<String> {
        Some(self.into())
    }
}

impl IntoOptionalString for Cow<'_, str> {
    fn into_optional_string(self) -> Option<String> {
        Some(self.into_owned())
    }
}

impl<S: Into<String>> IntoOptionalString for Option<S> {
    fn into_optional_string(self) -> Option<String> {
        self.map(Into::into)
    }
}
