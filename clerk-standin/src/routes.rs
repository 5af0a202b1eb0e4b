//! The HTTP surface: routes under `/v1`, authentication and request counting.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::params::{Body, Query};
use crate::store::{self, NewOrganization, NewUser, Store, UserChanges};
use crate::webhooks::{self, Webhooks};
use crate::wire;

/// What every handler shares: the store, the one secret key that opens it, and where
/// webhooks go.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) secret_key: Arc<str>,
    pub(crate) webhooks: Webhooks,
}

impl App {
    fn store(&self) -> MutexGuard<'_, Store> {
        store::lock(&self.store)
    }
}

type Reply = Result<Json<Value>, ApiError>;

pub(crate) fn router(app: App) -> Router {
    Router::new()
        .route("/v1/users", get(list_users).post(create_user))
        .route("/v1/users/count", get(count_users))
        .route("/v1/users/{user_id}", get(get_user).patch(update_user).delete(delete_user))
        .route("/v1/users/{user_id}/metadata", put(replace_user_metadata).patch(merge_user_metadata))
        .route("/v1/organizations", get(list_organizations).post(create_organization))
        .route("/v1/organizations/{organization_id}", get(get_organization))
        .route("/v1/sessions", get(list_sessions))
        .route("/v1/sessions/{session_id}", get(get_session))
        .route("/v1/sessions/{session_id}/revoke", post(revoke_session))
        // Clerk answers an unsupported method like an unknown path.
        .method_not_allowed_fallback(not_found)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), authenticate))
        .with_state(app)
}

/// Counts the request under its route template, then lets it through only with the secret
/// key. Counting comes first so that refused requests are visible to load tests too.
async fn authenticate(State(app): State<App>, request: Request, next: Next) -> Response {
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => request.uri().path().to_owned(),
    };
    app.store().count_request(request.method().as_str(), &route);
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

async fn not_found() -> ApiError {
    ApiError::route_not_found()
}

// ----- users -----

const CREATE_USER_FIELDS: &[&str] = &[
    "email_address",
    "phone_number",
    "username",
    "password",
    "first_name",
    "last_name",
    "external_id",
    "public_metadata",
    "private_metadata",
    "unsafe_metadata",
    "skip_password_checks",
    "skip_password_requirement",
];

const UPDATE_USER_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "username",
    "password",
    "external_id",
    "primary_email_address_id",
    "primary_phone_number_id",
    "skip_password_checks",
];

/// Since API version 2026-05-12 metadata has its own endpoint; `PATCH /users/{user_id}`
/// refuses it like any unknown field.
const USER_METADATA_FIELDS: &[&str] = &["public_metadata", "private_metadata", "unsafe_metadata"];

const CREATE_ORGANIZATION_FIELDS: &[&str] =
    &["name", "created_by", "slug", "max_allowed_memberships", "public_metadata", "private_metadata"];

fn new_user(body: &Body) -> Result<NewUser, ApiError> {
    body.only(CREATE_USER_FIELDS)?;
    // Read for its type check only: the stand-in never requires a password.
    body.boolean("skip_password_requirement")?;
    Ok(NewUser {
        email_addresses: body.strings("email_address")?,
        phone_numbers: body.strings("phone_number")?,
        username: body.string("username")?,
        password: body.string("password")?,
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        external_id: body.string("external_id")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
        unsafe_metadata: body.object("unsafe_metadata")?,
        skip_password_checks: body.boolean("skip_password_checks")?.unwrap_or(false),
    })
}

fn user_changes(body: &Body) -> Result<UserChanges, ApiError> {
    body.only(UPDATE_USER_FIELDS)?;
    Ok(UserChanges {
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        username: body.string("username")?,
        password: body.string("password")?,
        external_id: body.string("external_id")?,
        primary_email_address_id: body.string("primary_email_address_id")?,
        primary_phone_number_id: body.string("primary_phone_number_id")?,
        skip_password_checks: body.boolean("skip_password_checks")?.unwrap_or(false),
        ..UserChanges::default()
    })
}

fn metadata_changes(body: &Body) -> Result<UserChanges, ApiError> {
    body.only(USER_METADATA_FIELDS)?;
    Ok(UserChanges {
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
        unsafe_metadata: body.object("unsafe_metadata")?,
        ..UserChanges::default()
    })
}

fn new_organization(body: &Body) -> Result<NewOrganization, ApiError> {
    body.only(CREATE_ORGANIZATION_FIELDS)?;
    Ok(NewOrganization {
        name: body.string("name")?,
        created_by: body.string("created_by")?,
        slug: body.string("slug")?,
        max_allowed_memberships: body.integer("max_allowed_memberships")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    })
}

async fn list_users(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = Query::parse(raw.as_deref());
    Ok(Json(app.store().list_users(&query)?))
}

async fn count_users(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = Query::parse(raw.as_deref());
    Ok(Json(app.store().count_users(&query)))
}

async fn create_user(State(app): State<App>, body: Bytes) -> Reply {
    let new = new_user(&Body::parse(&body)?)?;
    let user = wire::user(app.store().create_user(new)?);
    app.webhooks.emit("user.created", &user);
    Ok(Json(user))
}

async fn get_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    Ok(Json(wire::user(app.store().user(&user_id)?)))
}

async fn update_user(State(app): State<App>, Path(user_id): Path<String>, body: Bytes) -> Reply {
    let changes = user_changes(&Body::parse(&body)?)?;
    let user = wire::user(app.store().update_user(&user_id, changes)?);
    app.webhooks.emit("user.updated", &user);
    Ok(Json(user))
}

/// `PUT /users/{user_id}/metadata`: each given field replaces the stored one whole.
async fn replace_user_metadata(State(app): State<App>, Path(user_id): Path<String>, body: Bytes) -> Reply {
    let changes = metadata_changes(&Body::parse(&body)?)?;
    Ok(Json(wire::user(app.store().update_user(&user_id, changes)?)))
}

/// `PATCH /users/{user_id}/metadata`: each given field is deep-merged into the stored one, and
/// a `null` value removes its key.
async fn merge_user_metadata(State(app): State<App>, Path(user_id): Path<String>, body: Bytes) -> Reply {
    let changes = metadata_changes(&Body::parse(&body)?)?;
    Ok(Json(wire::user(app.store().merge_user_metadata(&user_id, changes)?)))
}

async fn delete_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    app.store().delete_user(&user_id)?;
    let deleted = json!({"object": "user", "id": user_id, "deleted": true});
    app.webhooks.emit("user.deleted", &deleted);
    Ok(Json(deleted))
}

// ----- organizations -----

async fn list_organizations(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = Query::parse(raw.as_deref());
    Ok(Json(app.store().list_organizations(&query)?))
}

async fn get_organization(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let with_members_count = Query::parse(raw.as_deref()).flag("include_members_count")?;
    Ok(Json(wire::organization(app.store().organization(&organization_id)?, with_members_count)))
}

/// The creator is the first member, so the new organization reports its count of one.
async fn create_organization(State(app): State<App>, body: Bytes) -> Reply {
    let new = new_organization(&Body::parse(&body)?)?;
    let mut store = app.store();
    let organization = store.create_organization(new)?;
    let (json, creator) = (wire::organization(organization, true), organization.created_by.clone());
    app.webhooks.emit("organization.created", &json);
    if app.webhooks.enabled()
        && let Some(membership) = webhooks::admin_membership(&mut store, &json, &creator)
    {
        app.webhooks.emit("organizationMembership.created", &membership);
    }
    Ok(Json(json))
}

// ----- sessions -----

async fn list_sessions(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = Query::parse(raw.as_deref());
    Ok(Json(app.store().list_sessions(&query)?))
}

async fn get_session(State(app): State<App>, Path(session_id): Path<String>) -> Reply {
    Ok(Json(wire::session(app.store().session(&session_id)?)))
}

async fn revoke_session(State(app): State<App>, Path(session_id): Path<String>) -> Reply {
    let mut store = app.store();
    let already_revoked = store.session(&session_id).is_ok_and(|session| session.status == "revoked");
    let session = wire::session(store.revoke_session(&session_id)?);
    if !already_revoked {
        app.webhooks.emit("session.revoked", &session);
    }
    Ok(Json(session))
}
