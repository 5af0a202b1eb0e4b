//! `/v1/organizations/{organization_id}/memberships...` and `.../invitations...`: who belongs
//! to an organization, and who is asked to join it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use clerk_api_types::{
    CreateOrganizationInvitationBody, CreateOrganizationMembershipBody, RevokeOrganizationInvitationBody,
    UpdateOrganizationMembershipBody,
};

use super::{App, Reply, query};
use crate::params::Body;
use crate::store::{
    MEMBERSHIP_ORDER_FIELDS, MembershipFilter, NewOrganizationInvitation, ORGANIZATION_INVITATION_ORDER_FIELDS,
};
use crate::wire;

/// `{data, total_count}`; `role` may be repeated, and the member filters of `GET /users`
/// (`user_id`, `email_address`, `query`, ...) apply too.
pub(super) async fn list_memberships(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let query = query(raw);
    let order = query.order_by(MEMBERSHIP_ORDER_FIELDS)?;
    let page = query.page()?;
    let filter = MembershipFilter { users: query.user_filter(), roles: query.texts("role") };
    let store = app.store();
    let memberships = store.list_memberships(&organization_id, &filter, order, page)?;
    Ok(Json(wire::list(memberships, false, |(membership, _)| wire::membership(&store, membership))))
}

pub(super) async fn create_membership(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Reply {
    let body = Body::declared_by::<CreateOrganizationMembershipBody>(&body)?;
    let (user_id, role) = (body.string("user_id")?, body.string("role")?);
    let (public, private) = (body.object("public_metadata")?, body.object("private_metadata")?);
    let mut store = app.store();
    let membership = store.create_membership(&organization_id, user_id, role, public, private)?;
    let json = wire::membership(&store, &membership);
    app.webhooks.emit("organizationMembership.created", &json);
    Ok(Json(json))
}

pub(super) async fn update_membership(
    State(app): State<App>,
    Path((organization_id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let body = Body::declared_by::<UpdateOrganizationMembershipBody>(&body)?;
    let role = body.string("role")?;
    let mut store = app.store();
    let membership = store.update_membership(&organization_id, &user_id, role)?;
    let json = wire::membership(&store, &membership);
    app.webhooks.emit("organizationMembership.updated", &json);
    Ok(Json(json))
}

/// Answers with the membership as it was, which Clerk does rather than a deleted object.
pub(super) async fn delete_membership(
    State(app): State<App>,
    Path((organization_id, user_id)): Path<(String, String)>,
) -> Reply {
    let mut store = app.store();
    let membership = store.delete_membership(&organization_id, &user_id)?;
    let json = wire::membership(&store, &membership);
    app.webhooks.emit("organizationMembership.deleted", &json);
    Ok(Json(json))
}

pub(super) async fn create_organization_invitation(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Reply {
    let body = Body::declared_by::<CreateOrganizationInvitationBody>(&body)?;
    // Checked for its type only: the stand-in sends no email.
    body.boolean("notify")?;
    let new = NewOrganizationInvitation {
        email_address: body.string("email_address")?,
        role: body.string("role")?,
        inviter_user_id: body.string("inviter_user_id")?,
        redirect_url: body.string("redirect_url")?,
        expires_in_days: body.integer("expires_in_days")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    };
    let mut store = app.store();
    let invitation = store.create_organization_invitation(&organization_id, new)?;
    let json = wire::organization_invitation(&store, &invitation);
    app.webhooks.emit("organizationInvitation.created", &json);
    Ok(Json(json))
}

/// `{data, total_count}`, newest first unless `order_by` says otherwise; `status` may be
/// repeated.
pub(super) async fn list_organization_invitations(
    State(app): State<App>,
    Path(organization_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let query = query(raw);
    let order = query.order_by(ORGANIZATION_INVITATION_ORDER_FIELDS)?;
    let page = query.page()?;
    let statuses: Vec<String> = query.texts("status").into_iter().map(|status| status.trim().to_owned()).collect();
    let email = query.text("email_address");
    let store = app.store();
    let invitations =
        store.list_organization_invitations(&organization_id, &statuses, email.as_deref(), order, page)?;
    Ok(Json(wire::list(invitations, false, |invitation| wire::organization_invitation(&store, invitation))))
}

pub(super) async fn get_organization_invitation(
    State(app): State<App>,
    Path((organization_id, invitation_id)): Path<(String, String)>,
) -> Reply {
    let store = app.store();
    Ok(Json(wire::organization_invitation(&store, store.organization_invitation(&organization_id, &invitation_id)?)))
}

pub(super) async fn revoke_organization_invitation(
    State(app): State<App>,
    Path((organization_id, invitation_id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let body = Body::declared_by::<RevokeOrganizationInvitationBody>(&body)?;
    let requesting_user_id = body.string("requesting_user_id")?;
    let mut store = app.store();
    let invitation =
        store.revoke_organization_invitation(&organization_id, &invitation_id, requesting_user_id.as_deref())?;
    let json = wire::organization_invitation(&store, &invitation);
    app.webhooks.emit("organizationInvitation.revoked", &json);
    Ok(Json(json))
}
