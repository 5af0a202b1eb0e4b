//! A Clerk webhook endpoint with axum: verify, then act on the event.
//!
//! ```sh
//! CLERK_WEBHOOK_SIGNING_SECRET=whsec_... cargo run -p clerk-webhooks --example webhook_endpoint
//! ```
//!
//! It listens on 127.0.0.1:3000 (or `PORT`) and answers `POST /webhooks/clerk`: 204 for a
//! verified event, handled once however often it arrives, and 400 (with the reason) for
//! anything else. To try it without a Clerk account, point the local stand-in at it:
//! `CLERK_WEBHOOK_SIGNING_SECRET=whsec_... cargo run -p clerk-standin -- --webhook-url
//! http://127.0.0.1:3000/webhooks/clerk`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clerk_webhooks::{Error, Event, SIGNING_SECRET_VAR, Webhook};

/// How many delivered message ids to remember, each for the five minutes a delivery stays
/// fresh: far more than an endpoint receives in that time.
const REMEMBERED_DELIVERIES: usize = 100_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var(SIGNING_SECRET_VAR).map_err(|_| format!("set {SIGNING_SECRET_VAR}"))?;
    // A captured delivery cannot be replayed: each message id is accepted once.
    let webhook = Arc::new(Webhook::new(&secret)?.with_replay_guard(REMEMBERED_DELIVERIES));
    let app = Router::new().route("/webhooks/clerk", post(receive)).with_state(webhook);
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    eprintln!("listening on http://{}/webhooks/clerk", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// The body must reach the verifier byte for byte: take it as `Bytes`, never as parsed JSON.
async fn receive(State(webhook): State<Arc<Webhook>>, headers: HeaderMap, body: Bytes) -> (StatusCode, String) {
    let event = match webhook.verify(&headers, &body) {
        Ok(event) => event,
        // Handled already. A 2xx stops Clerk from retrying one whose first answer was lost,
        // and tells a replayer nothing.
        Err(Error::Replayed { id }) => {
            eprintln!("already received: {id}");
            return (StatusCode::NO_CONTENT, String::new());
        }
        // Clerk retries on any non-2xx answer; a forged or stale request just gets refused.
        Err(err) => return (StatusCode::BAD_REQUEST, err.to_string()),
    };
    match &event.data {
        Event::UserCreated(user) => eprintln!("user created: {}", user.id.as_deref().unwrap_or("?")),
        Event::UserDeleted(deleted) => eprintln!("user deleted: {}", deleted.id.as_deref().unwrap_or("?")),
        Event::SessionRevoked(session) => eprintln!("session revoked: {}", session.id.as_deref().unwrap_or("?")),
        Event::OrganizationMembershipCreated(membership) => {
            let organization = membership.organization.as_ref().and_then(|o| o.name.as_deref()).unwrap_or("?");
            eprintln!("new member of {organization}");
        }
        // New Clerk event types arrive as `Unknown` with their data as JSON.
        other => eprintln!("{} (not handled)", other.event_type().unwrap_or(&event.event_type)),
    }
    // Had handling failed (a database down, say), the answer would be a 5xx after
    // `webhook.forget(message_id)`, so that Clerk's retry is accepted.
    (StatusCode::NO_CONTENT, String::new())
}
