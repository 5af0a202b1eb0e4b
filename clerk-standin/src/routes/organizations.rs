//! `/v1/organizations` and `/v1/organizations/{organization_id}[/metadata]`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use clerk_api_types::{
    CreateOrganizationBody, MergeOrganizationMetadataBody, ReplaceOrganizationMetadataBody, UpdateOrganizationBody,
};
use serde_json::json;

use super::users::metadata_changes;
use super::{App, Reply, query};
use crate::error::ApiError;
use crate::params::Body;
use crate::store::{NewOrganization, ORGANIZATION_ORDER_FIELDS, OrganizationChanges, OrganizationFilter};
use crate::wire;

fn new_organization(body: &Body) -> Result<NewOrganization, ApiError> {
    Ok(NewOrganization {
        name: body.string("name")?,
        created_by: body.string("created_by")?,
        slug: body.string("slug")?,
        max_allowed_memberships: body.integer("max_allowed_memberships")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    })
}

fn organization_changes(body: &Body) -> Result<OrganizationChanges, ApiError> {
    Ok(OrganizationChanges {
        name: body.string("name")?,
        slug: body.string("slug")?,
        max_allowed_memberships: body.integer("max_allowed_memberships")?,
        admin_delete_enabled: body.boolean("admin_delete_enabled")?,
    })
}

pub(super) async fn list_organizations(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = query(raw);
    let order = query.order_by(ORGANIZATION_ORDER_FIELDS)?;
    let page = query.page()?;
    let with_members_count = query.flag("include_members_count")?;
    let filter = OrganizationFilter { query: query.first("query").map(str::to_owned) };
    let store = app.store();
    let organizations = store.list_organizations(&filter, order, page);
    Ok(Json(wire::list(organizations, false, |organization| {
        wire::organization(&store, organization, with_members_count)
    })))
}

pub(super) async fn get_organization(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let with_members_count = query(raw).flag("include_members_count")?;
    let store = app.store();
    Ok(Json(wire::organization(&store, store.organization(&organization_id)?, with_members_count)))
}

/// The creator is the first member, so the new organization reports its count of one, and
/// its creator's membership follows it as a webhook.
pub(super) async fn create_organization(State(app): State<App>, body: Bytes) -> Reply {
    let new = new_organization(&Body::declared_by::<CreateOrganizationBody>(&body)?)?;
    let mut store = app.store();
    let organization = store.create_organization(new)?.clone();
    let json = wire::organization(&store, &organization, true);
    app.webhooks.emit("organization.created", &json);
    if let Ok(membership) = store.membership(&organization.id, &organization.created_by) {
        app.webhooks.emit("organizationMembership.created", &wire::membership(&store, membership));
    }
    Ok(Json(json))
}

/// Answers like a `GET`, without the members count unless asked for it.
pub(super) async fn update_organization(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Reply {
    let changes = organization_changes(&Body::declared_by::<UpdateOrganizationBody>(&body)?)?;
    let mut store = app.store();
    let organization = store.update_organization(&organization_id, changes)?.clone();
    let json = wire::organization(&store, &organization, false);
    app.webhooks.emit("organization.updated", &json);
    Ok(Json(json))
}

async fn organization_metadata(app: App, organization_id: &str, body: Body, merge: bool) -> Reply {
    let changes = metadata_changes(&body)?;
    let mut store = app.store();
    let organization = store.organization_metadata(organization_id, changes, merge)?.clone();
    let json = wire::organization(&store, &organization, false);
    app.webhooks.emit("organization.updated", &json);
    Ok(Json(json))
}

/// `PUT /organizations/{organization_id}/metadata`: each given field replaces the stored one.
pub(super) async fn replace_organization_metadata(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Reply {
    let body = Body::declared_by::<ReplaceOrganizationMetadataBody>(&body)?;
    organization_metadata(app, &organization_id, body, false).await
}

/// `PATCH /organizations/{organization_id}/metadata`: a deep merge, `null` removing a key.
pub(super) async fn merge_organization_metadata(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Reply {
    let body = Body::declared_by::<MergeOrganizationMetadataBody>(&body)?;
    organization_metadata(app, &organization_id, body, true).await
}

/// Clerk's deleted object names the slug too, since the organization can no longer be
/// looked up.
pub(super) async fn delete_organization(State(app): State<App>, Path(organization_id): Path<String>) -> Reply {
    let organization = app.store().delete_organization(&organization_id)?;
    let deleted = json!({"object": "organization", "id": organization.id, "slug": organization.slug, "deleted": true});
    app.webhooks.emit("organization.deleted", &deleted);
    Ok(Json(deleted))
}
