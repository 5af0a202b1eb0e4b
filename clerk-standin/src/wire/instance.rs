//! Instance-wide objects: application invitations, allowlist and blocklist identifiers, JWT
//! templates, actor tokens, and users' OAuth access tokens.

use serde_json::{Value, json};

use crate::store::{ActorToken, IdentifierEntry, Invitation, InvitationStatus, JwtTemplate, ListKind, OAuthToken};

/// The invitation with its status as of `now`.
pub(crate) fn invitation(invitation: &Invitation, now: i64) -> Value {
    json!({
        "object": "invitation",
        "id": invitation.id,
        "email_address": invitation.email_address,
        "public_metadata": invitation.public_metadata,
        "revoked": invitation.status == InvitationStatus::Revoked,
        "status": invitation.status.at(now, invitation.expires_at),
        "url": invitation.url,
        "expires_at": invitation.expires_at,
        "created_at": invitation.created_at,
        "updated_at": invitation.updated_at,
    })
}

/// An allowlist or blocklist entry; only allowlist entries have an `invitation_id`, and only
/// when an invitation was sent for them.
pub(crate) fn identifier_entry(kind: ListKind, entry: &IdentifierEntry, instance_id: &str) -> Value {
    let mut json = json!({
        "object": kind.object(),
        "id": entry.id,
        "identifier": entry.identifier,
        "identifier_type": entry.identifier_type,
        "instance_id": instance_id,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    });
    if kind == ListKind::Allow
        && let Some(invitation_id) = &entry.invitation_id
    {
        json["invitation_id"] = json!(invitation_id);
    }
    json
}

/// Clerk never answers with a template's signing key: it is write-only.
pub(crate) fn jwt_template(template: &JwtTemplate) -> Value {
    json!({
        "object": "jwt_template",
        "id": template.id,
        "name": template.name,
        "claims": template.claims,
        "lifetime": template.lifetime,
        "allowed_clock_skew": template.allowed_clock_skew,
        "custom_signing_key": template.custom_signing_key,
        "signing_algorithm": template.signing_algorithm,
        "created_at": template.created_at,
        "updated_at": template.updated_at,
    })
}

/// `token` and `url` are only on the token as created: Clerk shows them once.
pub(crate) fn actor_token(token: &ActorToken) -> Value {
    let mut json = json!({
        "object": "actor_token",
        "id": token.id,
        "status": token.status,
        "user_id": token.user_id,
        "actor": token.actor,
        "created_at": token.created_at,
        "updated_at": token.updated_at,
    });
    if let Some(secret) = &token.token {
        json["token"] = json!(secret);
    }
    if let Some(url) = &token.url {
        json["url"] = json!(url);
    }
    json
}

pub(crate) fn oauth_token(token: &OAuthToken) -> Value {
    json!({
        "object": "oauth_access_token",
        "external_account_id": token.external_account_id,
        "provider_user_id": token.provider_user_id,
        "token": token.token,
        "provider": token.provider,
        "public_metadata": token.public_metadata,
        "label": token.label,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
    })
}
