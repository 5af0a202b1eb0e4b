//! The eleven Clerk tools, on top of the generated `clerk-api` client.
