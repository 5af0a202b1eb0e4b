//! Organizations, their memberships and their invitations, with the related records (the
//! organization inside a membership, the member's and the inviter's public data) looked up in
//! the store.

use serde_json::{Value, json};

use super::USER_IMAGE_URL;
use crate::store::{Membership, Organization, OrganizationInvitation, Store, User};

const ORGANIZATION_IMAGE_URL: &str = "https://img.clerk.com/default-org";

/// Clerk counts members only when asked (`include_members_count`); otherwise `members_count`
/// is left out.
pub(crate) fn organization(store: &Store, organization: &Organization, with_members_count: bool) -> Value {
    let mut json = json!({
        "object": "organization",
        "id": organization.id,
        "name": organization.name,
        "slug": organization.slug,
        "image_url": ORGANIZATION_IMAGE_URL,
        "has_image": false,
        "pending_invitations_count": store.pending_invitations_count(&organization.id),
        "max_allowed_memberships": organization.max_allowed_memberships,
        "admin_delete_enabled": organization.admin_delete_enabled,
        "public_metadata": organization.public_metadata,
        "private_metadata": organization.private_metadata,
        "created_by": organization.created_by,
        "created_at": organization.created_at,
        "updated_at": organization.updated_at,
    });
    if with_members_count {
        json["members_count"] = json!(store.members_count(&organization.id));
    }
    json
}

/// The member as other members see them.
fn public_user_data(user: &User) -> Value {
    json!({
        "user_id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "profile_image_url": USER_IMAGE_URL,
        "image_url": USER_IMAGE_URL,
        "has_image": false,
        "identifier": user.primary_email_address().or(user.username.as_deref()),
        "username": user.username,
        "banned": user.banned,
    })
}

/// The membership with its organization (counted) and its member; an organization or user
/// that is gone (the membership as answered by a removal) is left out as null.
pub(crate) fn membership(store: &Store, membership: &Membership) -> Value {
    let organization = store
        .organization_by_id(&membership.organization_id)
        .map_or(Value::Null, |organization| self::organization(store, organization, true));
    let user = store.user(&membership.user_id).map_or(Value::Null, public_user_data);
    json!({
        "object": "organization_membership",
        "id": membership.id,
        "role": membership.role.key,
        "role_name": membership.role.name,
        "permissions": membership.role.permissions,
        "public_metadata": membership.public_metadata,
        "private_metadata": membership.private_metadata,
        "organization": organization,
        "public_user_data": user,
        "created_at": membership.created_at,
        "updated_at": membership.updated_at,
    })
}

/// The invitation with its status as of now and its inviter's public data (null when no
/// inviter was named, or the inviter's account is gone).
pub(crate) fn organization_invitation(store: &Store, invitation: &OrganizationInvitation) -> Value {
    let inviter = invitation.inviter_id.as_deref().and_then(|id| store.user(id).ok()).map_or(Value::Null, |user| {
        json!({
            "user_id": user.id,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "image_url": USER_IMAGE_URL,
            "has_image": false,
            "identifier": user.primary_email_address().or(user.username.as_deref()),
        })
    });
    json!({
        "object": "organization_invitation",
        "id": invitation.id,
        "email_address": invitation.email_address,
        "role": invitation.role.key,
        "role_name": invitation.role.name,
        "organization_id": invitation.organization_id,
        "inviter_id": invitation.inviter_id,
        "public_inviter_data": inviter,
        "status": invitation.status.at(store.now(), invitation.expires_at),
        "public_metadata": invitation.public_metadata,
        "private_metadata": invitation.private_metadata,
        "url": invitation.url,
        "expires_at": invitation.expires_at,
        "created_at": invitation.created_at,
        "updated_at": invitation.updated_at,
    })
}
