//! Every tool against a local HTTP server (wiremock on 127.0.0.1): the exact request it
//! sends, the exact output it returns, each validation rule and each kind of failure.
//!
//! One test binary with a module per area keeps the build to a single link.

mod common;
mod errors;
mod organizations;
mod registry;
mod sessions;
mod users;
mod validation;
