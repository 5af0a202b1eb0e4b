//! `/v1/users...`: users, their metadata, moderation and OAuth access tokens.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use serde_json::json;

use super::{App, Reply, query};
use clerk_api_types::{CreateUserBody, ReplaceUserMetadataBody, UpdateUserBody, UpdateUserMetadataBody};

use crate::error::ApiError;
use crate::params::Body;
use crate::store::{MetadataChanges, Moderated, NewUser, USER_ORDER_FIELDS, UserChanges, UserSettings};
use crate::wire;

fn new_user(body: &Body) -> Result<NewUser, ApiError> {
    // Read for its type check only: the stand-in never requires a password.
    body.boolean("skip_password_requirement")?;
    Ok(NewUser {
        email_addresses: body.strings("email_address")?,
        phone_numbers: body.strings("phone_number")?,
        username: body.string("username")?,
        password: body.string("password")?,
        password_digest: body.string("password_digest")?,
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        external_id: body.string("external_id")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
        unsafe_metadata: body.object("unsafe_metadata")?,
        skip_password_checks: body.boolean("skip_password_checks")?.unwrap_or(false),
        banned: body.boolean("banned")?.unwrap_or(false),
        locked: body.boolean("locked")?.unwrap_or(false),
        settings: user_settings(body)?,
    })
}

fn user_changes(body: &Body) -> Result<UserChanges, ApiError> {
    Ok(UserChanges {
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        username: body.string("username")?,
        password: body.string("password")?,
        password_digest: body.string("password_digest")?,
        external_id: body.string("external_id")?,
        primary_email_address_id: body.string("primary_email_address_id")?,
        primary_phone_number_id: body.string("primary_phone_number_id")?,
        skip_password_checks: body.boolean("skip_password_checks")?.unwrap_or(false),
        settings: user_settings(body)?,
    })
}

/// What a user may do on their own, as `POST /users` and `PATCH /users/{user_id}` set it.
fn user_settings(body: &Body) -> Result<UserSettings, ApiError> {
    Ok(UserSettings {
        delete_self_enabled: body.boolean("delete_self_enabled")?,
        create_organization_enabled: body.boolean("create_organization_enabled")?,
        create_organizations_limit: body.integer("create_organizations_limit")?,
    })
}

/// The body of a metadata endpoint.
pub(super) fn metadata_changes(body: &Body) -> Result<MetadataChanges, ApiError> {
    Ok(MetadataChanges {
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
        unsafe_metadata: body.object("unsafe_metadata")?,
    })
}

pub(super) async fn list_users(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = query(raw);
    let order = query.order_by(USER_ORDER_FIELDS)?;
    let page = query.page()?;
    let store = app.store();
    Ok(Json(wire::list(store.list_users(&query.user_filter(), order, page), true, wire::user)))
}

pub(super) async fn count_users(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let total_count = app.store().count_users(&query(raw).user_filter());
    Ok(Json(json!({"object": "total_count", "total_count": total_count})))
}

pub(super) async fn create_user(State(app): State<App>, body: Bytes) -> Reply {
    let new = new_user(&Body::declared_by::<CreateUserBody>(&body)?)?;
    let user = wire::user(app.store().create_user(new)?);
    app.webhooks.emit("user.created", &user);
    Ok(Json(user))
}

pub(super) async fn get_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    Ok(Json(wire::user(app.store().user(&user_id)?)))
}

pub(super) async fn update_user(State(app): State<App>, Path(user_id): Path<String>, body: Bytes) -> Reply {
    let changes = user_changes(&Body::declared_by::<UpdateUserBody>(&body)?)?;
    let user = wire::user(app.store().update_user(&user_id, changes)?);
    app.webhooks.emit("user.updated", &user);
    Ok(Json(user))
}

async fn user_metadata(app: App, user_id: &str, body: Body, merge: bool) -> Reply {
    let changes = metadata_changes(&body)?;
    let user = wire::user(app.store().user_metadata(user_id, changes, merge)?);
    app.webhooks.emit("user.updated", &user);
    Ok(Json(user))
}

/// `PUT /users/{user_id}/metadata`: each given field replaces the stored one whole.
pub(super) async fn replace_user_metadata(State(app): State<App>, Path(user_id): Path<String>, body: Bytes) -> Reply {
    user_metadata(app, &user_id, Body::declared_by::<ReplaceUserMetadataBody>(&body)?, false).await
}

/// `PATCH /users/{user_id}/metadata`: each given field is deep-merged into the stored one, and
/// a `null` value removes its key.
pub(super) async fn merge_user_metadata(State(app): State<App>, Path(user_id): Path<String>, body: Bytes) -> Reply {
    user_metadata(app, &user_id, Body::declared_by::<UpdateUserMetadataBody>(&body)?, true).await
}

pub(super) async fn delete_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    app.store().delete_user(&user_id)?;
    let deleted = wire::deleted("user", &user_id);
    app.webhooks.emit("user.deleted", &deleted);
    Ok(Json(deleted))
}

/// Answers with the user; a change is sent as `user.updated`, and the sessions a ban revoked
/// as `session.revoked` each.
fn moderated(app: &App, moderated: Moderated) -> Reply {
    let user = wire::user(&moderated.user);
    if moderated.changed {
        app.webhooks.emit("user.updated", &user);
    }
    for session in &moderated.revoked_sessions {
        app.webhooks.emit("session.revoked", &wire::session(session));
    }
    Ok(Json(user))
}

// The action endpoints take no body, so whatever a client sends along is not read.

pub(super) async fn ban_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    let result = app.store().set_banned(&user_id, true)?;
    moderated(&app, result)
}

pub(super) async fn unban_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    let result = app.store().set_banned(&user_id, false)?;
    moderated(&app, result)
}

pub(super) async fn lock_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    let result = app.store().set_locked(&user_id, true)?;
    moderated(&app, result)
}

pub(super) async fn unlock_user(State(app): State<App>, Path(user_id): Path<String>) -> Reply {
    let result = app.store().set_locked(&user_id, false)?;
    moderated(&app, result)
}

/// A bare array unless asked for `paginated=true`; an empty one when the user has no token
/// for the provider.
pub(super) async fn get_oauth_tokens(
    State(app): State<App>,
    Path((user_id, provider)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let query = query(raw);
    let paginated = query.flag("paginated")?;
    let page = query.page()?;
    let tokens = app.store().oauth_tokens(&user_id, &provider, page)?;
    Ok(Json(wire::list(tokens, !paginated, |token| wire::oauth_token(&token))))
}
