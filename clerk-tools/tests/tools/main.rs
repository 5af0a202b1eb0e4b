//! Every tool against a local HTTP server (wiremock on 127.0.0.1): the exact request it
//! sends, the exact output it returns, each validation rule and each kind of failure.
//!
//! One test binary with a module per area keeps the build to a single link.

mod actor_tokens;
mod bounds;
mod common;
mod connections;
mod errors;
mod faults;
mod identifiers;
mod invitations;
mod jwt_templates;
mod memberships;
mod metadata;
mod moderation;
mod oauth;
mod organization_invitations;
mod organizations;
mod registry;
mod resilience;
mod sessions;
mod streams;
mod users;
mod validation;
