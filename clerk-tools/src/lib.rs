//! The Clerk tools, for Rust programs and AI agents, on top of the generated `clerk-api`
//! client: users (list, get, create, update, delete, ban, lock, metadata, OAuth tokens),
//! organizations (list, get, create, update, delete, metadata, members, invitations), sessions
//! (list, get, revoke), and the instance (allowlist, blocklist, JWT templates, actor tokens,
//! invitations). [`TOOL_NAMES`] lists them; one table in `registry.rs` declares them all, and
//! each tool's input and output types declare their fields and rules once.
//!
//! Two ways in, one implementation:
//! - typed: an input and an output struct per tool and an async method on [`ClerkTools`]
//!   (inputs deserialize, outputs serialize: the tools make outputs and never read one);
//! - JSON: [`tools()`] lists each tool's name, description and JSON Schemas, and
//!   [`ClerkTools::call`] runs a tool on a JSON input, answering the contract's JSON output
//!   or `{"success": false, "error": ...}`.
//!
//! With the `mcp` feature, `clerk_tools::mcp` serves them over the Model Context Protocol.
//!
//! # Every item of a list
//!
//! Beside each list tool, the Rust API has a stream of every item the tool would list for an
//! input, in the tool's output type: [`ClerkTools::users`], [`ClerkTools::organizations`],
//! [`ClerkTools::organization_memberships`], [`ClerkTools::organization_invitations`],
//! [`ClerkTools::sessions`], [`ClerkTools::invitations`], [`ClerkTools::allowlist_identifiers`]
//! and [`ClerkTools::jwt_templates`]. Each takes the tool's input, filters and order included,
//! and reads pages of its `limit` (else 500, the largest page Clerk serves) from its `offset`,
//! until a page shorter than the limit or Clerk's `total_count`. Each page is a request of the
//! tool, retried, rate limited and traced as the tool's, and only one page is held at a time.
//! The input is checked first, as the tool checks it: a broken rule is an `Err` before any
//! request. An error while paging is the stream's last item, after the items read before it.
//! The stream is a [`ListStream`], a `futures_core::Stream`: `futures_util::StreamExt` reads it.
//!
//! Every input is checked before anything is sent, by the rules its declaration states (the
//! same rules its JSON Schema states): IDs that go into a URL path may hold only
//! `A-Z a-z 0-9 _ -`, numbers must be in range, metadata must be a JSON object. The
//! secret key lives on the client ([`ClerkTools::from_env`] or the builder) as a
//! [`SecretKey`], which never prints itself; the JSON interface also takes it as `secretKey`
//! in the input, as agent runtimes send it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), clerk_tools::Error> {
//! use clerk_tools::{ClerkTools, ListUsersInput};
//!
//! // CLERK_SECRET_KEY, and CLERK_API_URL for a stand-in or a proxy:
//! let tools = ClerkTools::from_env()?;
//! let page = tools.list_users(ListUsersInput { limit: Some(5), ..Default::default() }).await?;
//! for user in &page.users {
//!     println!("{:?} {:?}", user.id, user.email_addresses.first().and_then(|e| e.email_address.as_ref()));
//! }
//!
//! // The same call as an agent runtime makes it:
//! let output = tools.call("clerk_list_users", serde_json::json!({"secretKey": "sk_test_...", "limit": "5"})).await;
//! assert_eq!(output["success"], true);
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod actor_tokens;
mod budget;
mod client;
mod error;
mod execute;
mod identifiers;
mod input;
mod invitations;
mod json;
mod jwt_templates;
mod limiter;
#[cfg(feature = "mcp")]
pub mod mcp;
mod memberships;
#[cfg(feature = "operations")]
mod operations;
mod organization_invitations;
mod organizations;
mod output;
mod registry;
mod retry;
mod schema;
mod secret;
mod selection;
mod sessions;
mod users;

pub use actor_tokens::*;
pub use budget::{DEFAULT_MAX_OUTPUT_BYTES, call_offset, fit_output};
pub use clerk_api::ListStream;
pub use client::{
    API_URL_VAR, ClerkTools, ClerkToolsBuilder, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_RESPONSE_BYTES,
    SECRET_KEY_VAR,
};
pub use error::{ApiError, Error, TransportError};
pub use identifiers::*;
pub use invitations::*;
pub use json::unknown_tool;
pub use jwt_templates::*;
pub use limiter::RateLimit;
pub use memberships::*;
#[cfg(feature = "operations")]
pub use operations::{operation_tools, toolsets};
pub use organization_invitations::*;
pub use organizations::*;
pub use output::DeletedObjectOutput;
pub use registry::{Nature, TOOL_NAMES, Tool, find_tool, tools};
pub use retry::RetryPolicy;
pub use secret::{Credential, Password, SecretKey};
pub use selection::{ALL_TOOLSETS, SelectionError, ToolSelection};
pub use sessions::*;
pub use users::*;
