//! An axum app whose API only answers signed-in Clerk users.
//!
//! Keys from the environment: `CLERK_JWT_KEY` (networkless), or `CLERK_SECRET_KEY` (and
//! `CLERK_API_URL` for a stand-in) to fetch the instance's JWKS. With the local stand-in:
//!
//! ```sh
//! cargo run -q -p clerk-standin -- --port 8787   # prints the variables
//! export CLERK_API_URL=http://127.0.0.1:8787/v1 CLERK_SECRET_KEY=sk_test_standin_demo_key
//! cargo run -q -p clerk-auth --features axum --example protected_routes   # listens on 127.0.0.1:3000
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/me
//! ```
//!
//! (The stand-in prints how to get `$TOKEN`.)

use axum::extract::Extension;
use axum::routing::get;
use axum::{Json, Router};
use clerk_auth::{ClerkAuthLayer, ClerkSession, Session, Verifier};
use serde_json::{Value, json};

/// Behind the layer: only reached with a valid session.
async fn me(Extension(session): Extension<Session>) -> Json<Value> {
    Json(json!({
        "userId": session.user_id,
        "sessionId": session.session_id,
        "organization": session.organization.as_ref().map(|organization| json!({
            "id": organization.id,
            "role": organization.role,
        })),
    }))
}

/// Public, with a greeting for signed-in users: the extractor, optional.
async fn hello(session: Option<ClerkSession>) -> String {
    match session {
        Some(ClerkSession(session)) => format!("hello, {}\n", session.user_id),
        None => "hello, stranger\n".to_owned(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verifier = Verifier::from_env()?;
    let api = Router::new().route("/me", get(me)).layer(ClerkAuthLayer::new(verifier.clone()));
    let app = Router::new().route("/", get(hello)).nest("/api", api).with_state(verifier);
    let address = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
