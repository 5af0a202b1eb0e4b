//! The eleven Clerk tools, for Rust programs and AI agents, on top of the generated
//! `clerk-api` client: list, get, create, update and delete users; list, get and create
//! organizations; list, get and revoke sessions.
//!
//! Two ways in, one implementation:
//! - typed: an input and an output struct per tool and an async method on [`ClerkTools`];
//! - JSON: [`tools()`] lists each tool's name, description and JSON Schemas, and
//!   [`ClerkTools::call`] runs a tool on a JSON input, answering the contract's JSON output
//!   or `{"success": false, "error": ...}`.
//!
//! Every input is validated before anything is sent: IDs that go into a URL path may hold
//! only `A-Z a-z 0-9 _ -`, numbers must be in range, metadata must be a JSON object. The
//! secret key travels in each input as a [`SecretKey`], which never prints itself.
//!
//! ```no_run
//! # async fn demo() -> Result<(), clerk_tools::Error> {
//! use clerk_tools::{ClerkTools, ListUsersInput};
//!
//! let tools = ClerkTools::new()?; // or ClerkTools::with_base_url("http://127.0.0.1:8080/v1")?
//! let page = tools
//!     .list_users(ListUsersInput { secret_key: "sk_test_...".into(), limit: Some(5.into()), ..Default::default() })
//!     .await?;
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

mod client;
pub mod conventions;
mod error;
mod organizations;
mod registry;
mod retry;
mod secret;
mod sessions;
mod users;

pub use client::{ClerkTools, ClerkToolsBuilder};
pub use error::{ApiError, Error};
pub use organizations::{
    CreateOrganizationInput, GetOrganizationInput, ListOrganizationsInput, ListOrganizationsOutput, OrganizationObject,
    OrganizationOutput,
};
pub use registry::{TOOL_NAMES, Tool, find_tool, tools};
pub use retry::RetryPolicy;
pub use secret::SecretKey;
pub use sessions::{
    GetSessionInput, ListSessionsInput, ListSessionsOutput, RevokeSessionInput, SESSION_STATUSES, SessionObject,
    SessionOutput,
};
pub use users::*;
