//! The HTTP surface: routes under `/v1`, authentication and request counting. Each resource's
//! handlers turn query strings and bodies into the store's terms, and its records into
//! Clerk's JSON, in their own module.

mod instance;
mod memberships;
mod organizations;
mod sessions;
mod tokens;
mod users;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use serde_json::Value;

use crate::error::ApiError;
use crate::exchanges::{Exchange, Recorder};
use crate::params::Query;
use crate::store::{self, Store};
use crate::tokens::SigningKey;
use crate::webhooks::Webhooks;

/// What every handler shares: the store, the one secret key that opens it, where webhooks go,
/// where exchanges are recorded and the key session tokens are signed with.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) secret_key: Arc<str>,
    pub(crate) webhooks: Webhooks,
    pub(crate) recorder: Recorder,
    pub(crate) signing_key: Arc<SigningKey>,
}

impl App {
    fn store(&self) -> MutexGuard<'_, Store> {
        store::lock(&self.store)
    }
}

type Reply = Result<Json<Value>, ApiError>;

fn query(raw: Option<String>) -> Query {
    Query::parse(raw.as_deref())
}

pub(crate) fn router(app: App) -> Router {
    Router::new()
        .route("/v1/users", get(users::list_users).post(users::create_user))
        .route("/v1/users/count", get(users::count_users))
        .route("/v1/users/{user_id}", get(users::get_user).patch(users::update_user).delete(users::delete_user))
        .route("/v1/users/{user_id}/metadata", put(users::replace_user_metadata).patch(users::merge_user_metadata))
        .route("/v1/users/{user_id}/ban", post(users::ban_user))
        .route("/v1/users/{user_id}/unban", post(users::unban_user))
        .route("/v1/users/{user_id}/lock", post(users::lock_user))
        .route("/v1/users/{user_id}/unlock", post(users::unlock_user))
        .route("/v1/users/{user_id}/oauth_access_tokens/{provider}", get(users::get_oauth_tokens))
        .route("/v1/organizations", get(organizations::list_organizations).post(organizations::create_organization))
        .route(
            "/v1/organizations/{organization_id}",
            get(organizations::get_organization)
                .patch(organizations::update_organization)
                .delete(organizations::delete_organization),
        )
        .route(
            "/v1/organizations/{organization_id}/metadata",
            put(organizations::replace_organization_metadata).patch(organizations::merge_organization_metadata),
        )
        .route(
            "/v1/organizations/{organization_id}/memberships",
            get(memberships::list_memberships).post(memberships::create_membership),
        )
        .route(
            "/v1/organizations/{organization_id}/memberships/{user_id}",
            patch(memberships::update_membership).delete(memberships::delete_membership),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations",
            get(memberships::list_organization_invitations).post(memberships::create_organization_invitation),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations/{invitation_id}",
            get(memberships::get_organization_invitation),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke",
            post(memberships::revoke_organization_invitation),
        )
        .route("/v1/invitations", get(instance::list_invitations).post(instance::create_invitation))
        .route("/v1/invitations/{invitation_id}/revoke", post(instance::revoke_invitation))
        .route("/v1/allowlist_identifiers", get(instance::list_allowlist).post(instance::create_allowlist_identifier))
        .route("/v1/allowlist_identifiers/{identifier_id}", delete(instance::delete_allowlist_identifier))
        .route("/v1/blocklist_identifiers", get(instance::list_blocklist).post(instance::create_blocklist_identifier))
        .route("/v1/blocklist_identifiers/{identifier_id}", delete(instance::delete_blocklist_identifier))
        .route("/v1/jwt_templates", get(instance::list_jwt_templates))
        .route("/v1/jwt_templates/{template_id}", get(instance::get_jwt_template))
        .route("/v1/actor_tokens", post(instance::create_actor_token))
        .route("/v1/actor_tokens/{actor_token_id}/revoke", post(instance::revoke_actor_token))
        .route("/v1/sessions", get(sessions::list_sessions).post(tokens::create_session))
        .route("/v1/sessions/{session_id}", get(sessions::get_session))
        .route("/v1/sessions/{session_id}/revoke", post(sessions::revoke_session))
        .route("/v1/sessions/{session_id}/tokens", post(tokens::create_session_token))
        .route("/v1/jwks", get(tokens::jwks))
        // Clerk answers an unsupported method like an unknown path.
        .method_not_allowed_fallback(not_found)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), authenticate))
        .layer(middleware::from_fn_with_state(app.clone(), record))
        .with_state(app)
}

fn route_of(request: &Request) -> String {
    match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => request.uri().path().to_owned(),
    }
}

/// While recording is on, keeps each request and its answer (refused ones included).
async fn record(State(app): State<App>, request: Request, next: Next) -> Response {
    if !app.recorder.is_on() {
        return next.run(request).await;
    }
    let route = request.extensions().get::<MatchedPath>().map(|matched| matched.as_str().to_owned());
    let (parts, body) = request.into_parts();
    let Ok(request_body) = to_bytes(body, usize::MAX).await else {
        return ApiError::body_invalid().into_response();
    };
    let method = parts.method.to_string();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let response = next.run(Request::from_parts(parts, Body::from(request_body.clone()))).await;
    let routed = response.extensions().get::<Unrouted>().is_none();
    let (parts, body) = response.into_parts();
    // The answers are built in memory, so reading them back cannot fail midway.
    let response_body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    app.recorder.push(Exchange {
        method,
        route: route.filter(|_| routed),
        path,
        query,
        request_body: String::from_utf8_lossy(&request_body).into_owned(),
        status: parts.status.as_u16(),
        content_type: parts.headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned),
        response_body: String::from_utf8_lossy(&response_body).into_owned(),
    });
    Response::from_parts(parts, Body::from(response_body))
}

/// Counts the request under its route template, then lets it through only with the secret
/// key. Counting comes first so that refused requests are visible to load tests too.
async fn authenticate(State(app): State<App>, request: Request, next: Next) -> Response {
    app.store().count_request(request.method().as_str(), &route_of(&request));
    let authorized = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && token.trim() == &*app.secret_key);
    if !authorized {
        return ApiError::unauthenticated().into_response();
    }
    next.run(request).await
}

/// Marks an answer that no route gave, for the record.
#[derive(Clone, Copy)]
struct Unrouted;

async fn not_found() -> Response {
    let mut response = ApiError::route_not_found().into_response();
    response.extensions_mut().insert(Unrouted);
    response
}
