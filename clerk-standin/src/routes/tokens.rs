//! `GET /v1/jwks`, `POST /v1/sessions` and `POST /v1/sessions/{session_id}/tokens`: the
//! instance's public key, sessions created for testing, and their signed session tokens.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use clerk_api_types::{CreateSessionBody, CreateSessionTokenBody};
use serde_json::json;

use super::{App, Reply};
use crate::error::ApiError;
use crate::params::Body;
use crate::store::{DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_LIFETIME_SECONDS};
use crate::wire;

pub(super) async fn jwks(State(app): State<App>) -> Reply {
    Ok(Json(app.signing_key.jwks()))
}

pub(super) async fn create_session(State(app): State<App>, body: Bytes) -> Reply {
    let body = Body::declared_by::<CreateSessionBody>(&body)?;
    let user_id =
        body.string("user_id")?.ok_or_else(|| ApiError::param_missing("user_id", "user_id must be included."))?;
    let organization_id = body.string("active_organization_id")?;
    Ok(Json(wire::session(app.store().create_session(&user_id, organization_id.as_deref())?)))
}

/// `{"object": "token", "jwt": ...}`, for `expires_in_seconds` (60 by default).
pub(super) async fn create_session_token(State(app): State<App>, Path(session_id): Path<String>, body: Bytes) -> Reply {
    let body = Body::declared_by::<CreateSessionTokenBody>(&body)?;
    let lifetime = body.integer("expires_in_seconds")?.unwrap_or(DEFAULT_TOKEN_LIFETIME_SECONDS);
    if !TOKEN_LIFETIME_SECONDS.contains(&lifetime) {
        return Err(ApiError::value_invalid(
            "expires_in_seconds",
            format!(
                "expires_in_seconds must be between {} and {}.",
                TOKEN_LIFETIME_SECONDS.start(),
                TOKEN_LIFETIME_SECONDS.end()
            ),
        ));
    }
    let claims = app.store().session_claims(&session_id, lifetime)?;
    Ok(Json(json!({"object": "token", "jwt": app.signing_key.sign_session_token(&claims)})))
}
