//! Organization invitations: an email address asked to join an organization with a role.

use serde_json::{Map, Value};

use super::invitations::{check_status, lifetime, required_email};
use super::memberships::{ADMIN_ROLE, required_role};
use super::{InvitationStatus, Listed, Order, Page, Role, SortKey, Store, ordered_page, text_key, trimmed};
use crate::error::ApiError;

/// What `order_by` accepts on `GET /organizations/{organization_id}/invitations`.
pub(crate) const ORGANIZATION_INVITATION_ORDER_FIELDS: &[&str] = &["created_at", "email_address"];

#[derive(Debug, Clone)]
pub(crate) struct OrganizationInvitation {
    pub(crate) id: String,
    pub(crate) organization_id: String,
    pub(crate) email_address: String,
    pub(crate) role: &'static Role,
    /// The admin who sent it, if one was named.
    pub(crate) inviter_id: Option<String>,
    pub(crate) status: InvitationStatus,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) private_metadata: Map<String, Value>,
    pub(crate) url: String,
    pub(crate) expires_at: i64,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

impl OrganizationInvitation {
    pub(crate) fn is_pending(&self, now: i64) -> bool {
        self.status.at(now, self.expires_at) == "pending"
    }
}

/// The fields of `POST /organizations/{organization_id}/invitations` the stand-in acts on (it
/// sends no email, so `notify` is only checked).
#[derive(Debug, Default)]
pub(crate) struct NewOrganizationInvitation {
    pub(crate) email_address: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) inviter_user_id: Option<String>,
    pub(crate) redirect_url: Option<String>,
    pub(crate) expires_in_days: Option<i64>,
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) private_metadata: Option<Map<String, Value>>,
}

impl Store {
    /// Only admins invite and revoke, so a named user who is not one is refused like a caller
    /// without the permission.
    fn check_admin(&self, organization_id: &str, user_id: &str) -> Result<(), ApiError> {
        self.user(user_id)?;
        match self.membership(organization_id, user_id) {
            Ok(membership) if membership.role == ADMIN_ROLE => Ok(()),
            _ => Err(ApiError::missing_organization_permission("org:sys_memberships:manage")),
        }
    }

    pub(crate) fn create_organization_invitation(
        &mut self,
        organization_id: &str,
        new: NewOrganizationInvitation,
    ) -> Result<OrganizationInvitation, ApiError> {
        self.organization_by_id(organization_id)?;
        let email = required_email(new.email_address)?;
        let role = required_role(new.role)?;
        let lifetime = lifetime(new.expires_in_days)?;
        let inviter_id = trimmed(new.inviter_user_id);
        if let Some(inviter) = &inviter_id {
            self.check_admin(organization_id, inviter)?;
        }
        let already_member = self.memberships.values().any(|membership| {
            membership.organization_id == organization_id
                && self
                    .users
                    .get(&membership.user_id)
                    .is_some_and(|user| user.email_addresses.iter().any(|address| address.value == email))
        });
        if already_member {
            return Err(ApiError::already_a_member(&email));
        }
        let now = self.now();
        let duplicate = self.organization_invitations.values().any(|invitation| {
            invitation.organization_id == organization_id
                && invitation.email_address == email
                && invitation.is_pending(now)
        });
        if duplicate {
            return Err(ApiError::organization_invitation_not_unique());
        }
        self.check_membership_quota(organization_id)?;
        let now = self.clock.tick();
        let invitation = OrganizationInvitation {
            id: self.ids.next("orginv"),
            organization_id: organization_id.to_owned(),
            email_address: email,
            role,
            inviter_id,
            status: InvitationStatus::Pending,
            public_metadata: new.public_metadata.unwrap_or_default(),
            private_metadata: new.private_metadata.unwrap_or_default(),
            url: self.ticket_url(new.redirect_url.as_deref()),
            expires_at: now + lifetime,
            created_at: now,
            updated_at: now,
        };
        self.organization_invitations.insert(invitation.id.clone(), invitation.clone());
        Ok(invitation)
    }

    pub(crate) fn organization_invitation(
        &self,
        organization_id: &str,
        invitation_id: &str,
    ) -> Result<&OrganizationInvitation, ApiError> {
        self.organization_by_id(organization_id)?;
        self.organization_invitations
            .get(invitation_id)
            .filter(|invitation| invitation.organization_id == organization_id)
            .ok_or_else(|| ApiError::not_found("Organization invitation"))
    }

    /// Revokes an invitation that is not revoked yet, on behalf of
    /// `requesting_user_id` (an admin) when one is named.
    pub(crate) fn revoke_organization_invitation(
        &mut self,
        organization_id: &str,
        invitation_id: &str,
        requesting_user_id: Option<&str>,
    ) -> Result<OrganizationInvitation, ApiError> {
        if let Some(user_id) = requesting_user_id {
            self.organization_by_id(organization_id)?;
            self.check_admin(organization_id, user_id)?;
        }
        if self.organization_invitation(organization_id, invitation_id)?.status == InvitationStatus::Revoked {
            return Err(ApiError::invitation_already_revoked());
        }
        let now = self.clock.tick();
        let invitation = self
            .organization_invitations
            .get_mut(invitation_id)
            .ok_or_else(|| ApiError::not_found("Organization invitation"))?;
        invitation.status = InvitationStatus::Revoked;
        invitation.updated_at = now;
        Ok(invitation.clone())
    }

    /// `statuses` are ORed (Clerk accepts the parameter repeated); `email_address` must match
    /// exactly, in any casing.
    pub(crate) fn list_organization_invitations(
        &self,
        organization_id: &str,
        statuses: &[String],
        email_address: Option<&str>,
        order: Order,
        page: Page,
    ) -> Result<Listed<&OrganizationInvitation>, ApiError> {
        self.organization_by_id(organization_id)?;
        for status in statuses {
            check_status(Some(status))?;
        }
        let now = self.now();
        let email = email_address.map(|email| email.trim().to_lowercase());
        let invitations = self.organization_invitations.values().filter(|invitation| {
            let status = invitation.status.at(now, invitation.expires_at);
            invitation.organization_id == organization_id
                && (statuses.is_empty() || statuses.iter().any(|wanted| wanted == status))
                && email.as_ref().is_none_or(|email| &invitation.email_address == email)
        });
        Ok(ordered_page(invitations, order, page, |invitation, field| {
            let key = match field {
                "email_address" => text_key(&invitation.email_address),
                _ => SortKey::Number(invitation.created_at),
            };
            (Some(key), invitation.created_at)
        }))
    }
}
