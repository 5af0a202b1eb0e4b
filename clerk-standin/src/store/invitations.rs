//! Application invitations (`/invitations`): an email address asked to sign up.

use serde_json::{Map, Value};

use super::{
    DAY_MS, Listed, Order, Page, SortKey, Store, needle, normalize_email, ordered_page, text_key, valid_email,
};
use crate::error::ApiError;

/// Clerk's default lifetime of an invitation, in days, and the range it accepts.
pub(super) const DEFAULT_EXPIRES_IN_DAYS: i64 = 30;
const EXPIRES_IN_DAYS: std::ops::RangeInclusive<i64> = 1..=365;

/// What `order_by` accepts on `GET /invitations`.
pub(crate) const INVITATION_ORDER_FIELDS: &[&str] = &["created_at", "email_address", "expires_at"];

/// What `status` accepts on the invitation lists.
pub(crate) const INVITATION_STATUSES: &[&str] = &["pending", "accepted", "revoked", "expired"];

/// The stored state of an invitation. `expired` is not stored: a pending invitation is
/// reported as expired once its time is up. Nothing accepts invitations in the stand-in (that
/// takes a sign-up through the Frontend API), so none is ever `accepted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InvitationStatus {
    Pending,
    Revoked,
}

impl InvitationStatus {
    /// The status Clerk reports at `now` for an invitation that expires at `expires_at`.
    pub(crate) fn at(self, now: i64, expires_at: i64) -> &'static str {
        match self {
            InvitationStatus::Pending if now >= expires_at => "expired",
            InvitationStatus::Pending => "pending",
            InvitationStatus::Revoked => "revoked",
        }
    }
}

/// `expires_in_days` checked, with Clerk's default, as a lifetime in milliseconds.
pub(super) fn lifetime(expires_in_days: Option<i64>) -> Result<i64, ApiError> {
    let days = expires_in_days.unwrap_or(DEFAULT_EXPIRES_IN_DAYS);
    if !EXPIRES_IN_DAYS.contains(&days) {
        return Err(ApiError::value_invalid("expires_in_days", "expires_in_days must be between 1 and 365."));
    }
    Ok(days * DAY_MS)
}

/// A required email address of a request body, normalized and checked.
pub(super) fn required_email(email: Option<String>) -> Result<String, ApiError> {
    let email = email
        .map(|email| normalize_email(&email))
        .filter(|email| !email.is_empty())
        .ok_or_else(|| ApiError::param_missing("email_address", "email_address must be included."))?;
    if !valid_email(&email) {
        return Err(ApiError::format_invalid("email_address", "email_address must be a valid email address."));
    }
    Ok(email)
}

#[derive(Debug, Clone)]
pub(crate) struct Invitation {
    pub(crate) id: String,
    pub(crate) email_address: String,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) status: InvitationStatus,
    pub(crate) url: String,
    pub(crate) expires_at: i64,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// The fields of `POST /invitations` the stand-in acts on (it sends no email, so `notify`
/// and `template_slug` are only checked).
#[derive(Debug, Default)]
pub(crate) struct NewInvitation {
    pub(crate) email_address: Option<String>,
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) redirect_url: Option<String>,
    pub(crate) ignore_existing: bool,
    pub(crate) expires_in_days: Option<i64>,
}

/// The filters of `GET /invitations`.
#[derive(Debug, Default)]
pub(crate) struct InvitationFilter {
    pub(crate) status: Option<String>,
    /// Part of the email address or id.
    pub(crate) query: Option<String>,
}

impl Store {
    /// Refuses an address that already has a user, or a pending invitation, unless
    /// `ignore_existing` (Clerk's flag for exactly these two cases).
    pub(crate) fn create_invitation(&mut self, new: NewInvitation) -> Result<Invitation, ApiError> {
        let email = required_email(new.email_address)?;
        let lifetime = lifetime(new.expires_in_days)?;
        if !new.ignore_existing {
            let now = self.now();
            if self.email_taken(&email) {
                return Err(ApiError::identifier_exists(
                    "email_address",
                    "That email address is taken. Please try another.",
                ));
            }
            let pending = self.invitations.values().any(|invitation| {
                invitation.email_address == email && invitation.status.at(now, invitation.expires_at) == "pending"
            });
            if pending {
                return Err(ApiError::duplicate_invitation(&email));
            }
        }
        let now = self.clock.tick();
        let invitation = Invitation {
            id: self.ids.next("inv"),
            email_address: email,
            public_metadata: new.public_metadata.unwrap_or_default(),
            status: InvitationStatus::Pending,
            url: self.ticket_url(new.redirect_url.as_deref()),
            expires_at: now + lifetime,
            created_at: now,
            updated_at: now,
        };
        self.invitations.insert(invitation.id.clone(), invitation.clone());
        Ok(invitation)
    }

    /// An invitation that is not revoked (an expired one included) can be revoked.
    pub(crate) fn revoke_invitation(&mut self, id: &str) -> Result<Invitation, ApiError> {
        let invitation = self.invitations.get(id).ok_or_else(|| ApiError::not_found("Invitation"))?;
        if invitation.status == InvitationStatus::Revoked {
            return Err(ApiError::invitation_already_revoked());
        }
        let now = self.clock.tick();
        let invitation = self.invitations.get_mut(id).ok_or_else(|| ApiError::not_found("Invitation"))?;
        invitation.status = InvitationStatus::Revoked;
        invitation.updated_at = now;
        Ok(invitation.clone())
    }

    /// Without a `status`, revoked invitations are left out, as Clerk documents.
    pub(crate) fn list_invitations(
        &self,
        filter: &InvitationFilter,
        order: Order,
        page: Page,
    ) -> Result<Listed<&Invitation>, ApiError> {
        check_status(filter.status.as_deref())?;
        let now = self.now();
        let needle = needle(filter.query.as_deref());
        let invitations = self.invitations.values().filter(|invitation| {
            let status = invitation.status.at(now, invitation.expires_at);
            filter.status.as_deref().map_or(status != "revoked", |wanted| status == wanted)
                && needle.as_deref().is_none_or(|needle| {
                    invitation.email_address.contains(needle) || invitation.id.to_lowercase().contains(needle)
                })
        });
        Ok(ordered_page(invitations, order, page, |invitation, field| {
            let key = match field {
                "email_address" => text_key(&invitation.email_address),
                "expires_at" => SortKey::Number(invitation.expires_at),
                _ => SortKey::Number(invitation.created_at),
            };
            (Some(key), invitation.created_at)
        }))
    }
}

/// An invitation `status` filter must be one Clerk knows.
pub(super) fn check_status(status: Option<&str>) -> Result<(), ApiError> {
    match status {
        Some(status) if !INVITATION_STATUSES.contains(&status) => {
            Err(ApiError::value_invalid("status", format!("status must be one of {}.", INVITATION_STATUSES.join(", "))))
        }
        _ => Ok(()),
    }
}
