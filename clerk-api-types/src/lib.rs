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
