//! Instance-wide endpoints: `/v1/invitations`, `/v1/allowlist_identifiers`,
//! `/v1/blocklist_identifiers`, `/v1/jwt_templates` and `/v1/actor_tokens`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use clerk_api_types::{
    CreateActorTokenBody, CreateAllowlistIdentifierBody, CreateBlocklistIdentifierBody, CreateInvitationBody,
};

use super::{App, Reply, query};
use crate::error::ApiError;
use crate::params::Body;
use crate::store::{INVITATION_ORDER_FIELDS, InvitationFilter, ListKind, NewActorToken, NewInvitation, Page};
use crate::wire;

const TEMPLATE_SLUGS: &[&str] = &["invitation", "waitlist_invitation"];

// ----- invitations -----

pub(super) async fn create_invitation(State(app): State<App>, body: Bytes) -> Reply {
    let body = Body::declared_by::<CreateInvitationBody>(&body)?;
    // Checked only: the stand-in sends no email.
    body.boolean("notify")?;
    if let Some(slug) = body.string("template_slug")?
        && !TEMPLATE_SLUGS.contains(&slug.as_str())
    {
        return Err(ApiError::value_invalid(
            "template_slug",
            "template_slug must be invitation or waitlist_invitation.",
        ));
    }
    let new = NewInvitation {
        email_address: body.string("email_address")?,
        public_metadata: body.object("public_metadata")?,
        redirect_url: body.string("redirect_url")?,
        ignore_existing: body.boolean("ignore_existing")?.unwrap_or(false),
        expires_in_days: body.integer("expires_in_days")?,
    };
    let mut store = app.store();
    let invitation = store.create_invitation(new)?;
    Ok(Json(wire::invitation(&invitation, store.now())))
}

/// A bare array unless asked for `paginated=true`; without a `status`, revoked invitations
/// are left out.
pub(super) async fn list_invitations(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = query(raw);
    let order = query.order_by(INVITATION_ORDER_FIELDS)?;
    let page = query.page()?;
    let paginated = query.flag("paginated")?;
    let filter = InvitationFilter { status: query.text("status"), query: query.text("query") };
    let store = app.store();
    let now = store.now();
    let invitations = store.list_invitations(&filter, order, page)?;
    Ok(Json(wire::list(invitations, !paginated, |invitation| wire::invitation(invitation, now))))
}

pub(super) async fn revoke_invitation(State(app): State<App>, Path(invitation_id): Path<String>) -> Reply {
    let mut store = app.store();
    let invitation = store.revoke_invitation(&invitation_id)?;
    Ok(Json(wire::invitation(&invitation, store.now())))
}

// ----- allowlist and blocklist -----

async fn create_identifier(app: App, kind: ListKind, body: &[u8]) -> Reply {
    let body = match kind {
        ListKind::Allow => Body::declared_by::<CreateAllowlistIdentifierBody>(body)?,
        ListKind::Block => Body::declared_by::<CreateBlocklistIdentifierBody>(body)?,
    };
    let (identifier, notify) = (body.string("identifier")?, body.boolean("notify")?.unwrap_or(false));
    let mut store = app.store();
    let entry = store.add_identifier(kind, identifier, notify)?;
    Ok(Json(wire::identifier_entry(kind, &entry, store.instance_id())))
}

async fn delete_identifier(app: App, kind: ListKind, id: &str) -> Reply {
    let entry = app.store().remove_identifier(kind, id)?;
    Ok(Json(wire::deleted(kind.object(), &entry.id)))
}

/// A bare array unless asked for `paginated=true`.
pub(super) async fn list_allowlist(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = query(raw);
    let page = query.page()?;
    let paginated = query.flag("paginated")?;
    let store = app.store();
    let entries = store.list_identifiers(ListKind::Allow, page);
    Ok(Json(wire::list(entries, !paginated, |entry| {
        wire::identifier_entry(ListKind::Allow, entry, store.instance_id())
    })))
}

pub(super) async fn create_allowlist_identifier(State(app): State<App>, body: Bytes) -> Reply {
    create_identifier(app, ListKind::Allow, &body).await
}

pub(super) async fn delete_allowlist_identifier(State(app): State<App>, Path(id): Path<String>) -> Reply {
    delete_identifier(app, ListKind::Allow, &id).await
}

/// Always `{data, total_count}` with every entry: the endpoint takes no parameters.
pub(super) async fn list_blocklist(State(app): State<App>) -> Reply {
    let store = app.store();
    let entries = store.list_identifiers(ListKind::Block, Page { limit: usize::MAX, offset: 0 });
    Ok(Json(wire::list(entries, false, |entry| wire::identifier_entry(ListKind::Block, entry, store.instance_id()))))
}

pub(super) async fn create_blocklist_identifier(State(app): State<App>, body: Bytes) -> Reply {
    create_identifier(app, ListKind::Block, &body).await
}

pub(super) async fn delete_blocklist_identifier(State(app): State<App>, Path(id): Path<String>) -> Reply {
    delete_identifier(app, ListKind::Block, &id).await
}

// ----- JWT templates -----

/// A bare array unless asked for `paginated=true`.
pub(super) async fn list_jwt_templates(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = query(raw);
    let page = query.page()?;
    let paginated = query.flag("paginated")?;
    let store = app.store();
    Ok(Json(wire::list(store.list_jwt_templates(page), !paginated, wire::jwt_template)))
}

pub(super) async fn get_jwt_template(State(app): State<App>, Path(template_id): Path<String>) -> Reply {
    Ok(Json(wire::jwt_template(app.store().jwt_template(&template_id)?)))
}

// ----- actor tokens -----

pub(super) async fn create_actor_token(State(app): State<App>, body: Bytes) -> Reply {
    let body = Body::declared_by::<CreateActorTokenBody>(&body)?;
    let new = NewActorToken {
        user_id: body.string("user_id")?,
        actor: body.object("actor")?,
        expires_in_seconds: body.integer("expires_in_seconds")?,
        session_max_duration_in_seconds: body.integer("session_max_duration_in_seconds")?,
    };
    let token = app.store().create_actor_token(new)?;
    Ok(Json(wire::actor_token(&token)))
}

pub(super) async fn revoke_actor_token(State(app): State<App>, Path(actor_token_id): Path<String>) -> Reply {
    let token = app.store().revoke_actor_token(&actor_token_id)?;
    Ok(Json(wire::actor_token(&token)))
}
