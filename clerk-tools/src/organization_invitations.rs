//! The two organization invitation tools: `clerk_create_organization_invitation`,
//! `clerk_list_organization_invitations`.

use clerk_api::types;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{Call, ClerkTools};
use crate::conventions::{agent, in_range, path_id, required_text, text, with_present};
use crate::error::Error;
use crate::secret::{Credential, without_answer};

const CREATE_ORGANIZATION_INVITATION: Call = Call {
    tool: "clerk_create_organization_invitation",
    method: "POST",
    path: "/organizations/{organization_id}/invitations",
};
const LIST_ORGANIZATION_INVITATIONS: Call = Call {
    tool: "clerk_list_organization_invitations",
    method: "GET",
    path: "/organizations/{organization_id}/invitations",
};

/// The statuses `clerk_list_organization_invitations` can filter by.
pub const ORGANIZATION_INVITATION_STATUSES: [&str; 4] = ["pending", "accepted", "revoked", "expired"];

/// Input of `clerk_create_organization_invitation`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateOrganizationInvitationInput {
    /// The ID of the organization to invite to.
    pub organization_id: String,
    /// Email address to invite (one address).
    pub email_address: String,
    /// Role key the invitee gets on accepting (e.g. org:admin, org:member).
    pub role: String,
    /// User ID of the inviter, who must be an admin of the organization.
    #[serde(default)]
    pub inviter_user_id: Option<String>,
    /// Where the invitee is sent after accepting.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// Days until the invitation expires (1-365, default: 30).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::days"))]
    pub expires_in_days: Option<i64>,
    /// Public metadata (JSON object), as an object or a JSON string; it moves to the
    /// membership when the invitation is accepted.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata (JSON object), as an object or a JSON string; it moves to the
    /// membership when the invitation is accepted.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub private_metadata: Option<Map<String, Value>>,
    /// Send the invitation email (default: true).
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub notify: Option<bool>,
}

/// Input of `clerk_list_organization_invitations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListOrganizationInvitationsInput {
    /// The ID of the organization whose invitations to list.
    pub organization_id: String,
    /// Filter by invitation status (pending, accepted, revoked, expired).
    #[serde(default)]
    pub status: Option<String>,
    /// Filter by email address (one address, exact match).
    #[serde(default)]
    pub email_address: Option<String>,
    /// Sort field (created_at, email_address) with optional +/- prefix (default: -created_at).
    #[serde(default)]
    pub order_by: Option<String>,
    /// Number of results per page (1-500, default: 10).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::limit"))]
    pub limit: Option<i64>,
    /// Number of results to skip for pagination.
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::zero_or_more"))]
    pub offset: Option<i64>,
}

/// An organization invitation as the invitation tools report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationInvitationObject {
    /// Invitation ID.
    pub id: Option<String>,
    /// Invited email address.
    pub email_address: Option<String>,
    /// Role key the invitee gets (e.g. org:member).
    pub role: Option<String>,
    /// Role name.
    pub role_name: Option<String>,
    /// Organization ID.
    pub organization_id: Option<String>,
    /// User ID of the inviter.
    pub inviter_id: Option<String>,
    /// The inviter's identifier (usually their email address).
    pub inviter_email: Option<String>,
    /// The inviter's first name.
    pub inviter_first_name: Option<String>,
    /// The inviter's last name.
    pub inviter_last_name: Option<String>,
    /// Invitation status (pending, accepted, revoked, expired; any value Clerk adds is passed
    /// through).
    pub status: Option<String>,
    /// Link that accepts the invitation (a sign-up ticket: whoever holds it can accept the
    /// invitation).
    pub url: Option<Credential>,
    /// Expiration timestamp (Unix milliseconds).
    pub expires_at: Option<i64>,
    /// Public metadata.
    pub public_metadata: Map<String, Value>,
    /// Creation timestamp (Unix milliseconds).
    pub created_at: Option<i64>,
    /// Last update timestamp (Unix milliseconds).
    pub updated_at: Option<i64>,
}

/// Output of `clerk_list_organization_invitations`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListOrganizationInvitationsOutput {
    /// The page of invitations.
    pub invitations: Vec<OrganizationInvitationObject>,
    /// Number of invitations matching the filters (Clerk's `total_count`).
    pub total_count: i64,
    /// Always `true`.
    pub success: bool,
}

/// Output of `clerk_create_organization_invitation`: the invitation object plus `success`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationInvitationOutput {
    /// The invitation.
    #[serde(flatten)]
    pub invitation: OrganizationInvitationObject,
    /// Always `true`.
    pub success: bool,
}

/// `public_inviter_data` is null when no inviter was named.
impl From<types::OrganizationInvitation> for OrganizationInvitationObject {
    fn from(invitation: types::OrganizationInvitation) -> Self {
        let inviter = invitation.public_inviter_data.and_then(|data| data.0).unwrap_or_default();
        OrganizationInvitationObject {
            id: invitation.id,
            email_address: invitation.email_address,
            role: invitation.role,
            role_name: invitation.role_name,
            organization_id: invitation.organization_id,
            inviter_id: invitation.inviter_id,
            inviter_email: inviter.identifier,
            inviter_first_name: inviter.first_name,
            inviter_last_name: inviter.last_name,
            status: invitation.status,
            url: invitation.url.map(Credential::from),
            expires_at: invitation.expires_at,
            public_metadata: invitation.public_metadata.unwrap_or_default(),
            created_at: invitation.created_at,
            updated_at: invitation.updated_at,
        }
    }
}

impl From<types::OrganizationInvitation> for OrganizationInvitationOutput {
    fn from(invitation: types::OrganizationInvitation) -> Self {
        OrganizationInvitationOutput { invitation: invitation.into(), success: true }
    }
}

impl ClerkTools {
    /// `clerk_create_organization_invitation`: invites an email address to the organization
    /// with a role. The invitation starts `pending`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateOrganizationInvitationInput};
    /// let invited = ClerkTools::from_env()?
    ///     .create_organization_invitation(CreateOrganizationInvitationInput {
    ///         organization_id: "org_2x1".into(),
    ///         email_address: "grace@example.com".into(),
    ///         role: "org:member".into(),
    ///         expires_in_days: Some(7),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?} until {:?}", invited.invitation.status, invited.invitation.expires_at);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_organization_invitation(
        &self,
        input: CreateOrganizationInvitationInput,
    ) -> Result<OrganizationInvitationOutput, Error> {
        let organization_id = path_id("organizationId", Some(&input.organization_id))?;
        let email_address = required_text("emailAddress", Some(&input.email_address))?;
        let role = required_text("role", Some(&input.role))?;
        let inviter_user_id = text(input.inviter_user_id.as_deref());
        let redirect_url = text(input.redirect_url.as_deref());
        let expires_in_days = in_range("expiresInDays", input.expires_in_days, 1, Some(365))?;
        let public_metadata = input.public_metadata.clone();
        let private_metadata = input.private_metadata.clone();
        let notify = input.notify;
        let api = self.api()?;
        let invitation = self
            .execute(&api, CREATE_ORGANIZATION_INVITATION, || {
                api.create_organization_invitation()
                    .organization_id(organization_id.as_str())
                    .body_map(|body| {
                        with_present!(
                            body,
                            email_address = Some(email_address.clone()),
                            role = Some(role.clone()),
                            inviter_user_id = inviter_user_id.clone(),
                            redirect_url = redirect_url.clone(),
                            expires_in_days = expires_in_days,
                            public_metadata = public_metadata.clone(),
                            private_metadata = private_metadata.clone(),
                            notify = notify,
                        )
                    })
                    .send()
            })
            .await
            .map_err(without_answer)?;
        Ok(invitation.into())
    }

    /// `clerk_list_organization_invitations`: an organization's invitations, optionally of one
    /// status or for one email address, with Clerk's `total_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListOrganizationInvitationsInput};
    /// let pending = ClerkTools::from_env()?
    ///     .list_organization_invitations(ListOrganizationInvitationsInput {
    ///         organization_id: "org_2x1".into(),
    ///         status: Some("pending".into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} pending invitations", pending.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_organization_invitations(
        &self,
        input: ListOrganizationInvitationsInput,
    ) -> Result<ListOrganizationInvitationsOutput, Error> {
        let organization_id = path_id("organizationId", Some(&input.organization_id))?;
        let status = match text(input.status.as_deref()) {
            Some(status) if !ORGANIZATION_INVITATION_STATUSES.contains(&status.as_str()) => {
                return Err(Error::invalid(
                    "status",
                    format!("must be one of {}", ORGANIZATION_INVITATION_STATUSES.join(", ")),
                ));
            }
            status => status,
        };
        let email_address = text(input.email_address.as_deref());
        let order_by = text(input.order_by.as_deref());
        let limit = in_range("limit", input.limit, 1, Some(500))?;
        let offset = in_range("offset", input.offset, 0, None)?;
        let api = self.api()?;
        let page = self
            .execute(&api, LIST_ORGANIZATION_INVITATIONS, || {
                with_present!(
                    api.list_organization_invitations().organization_id(organization_id.as_str()),
                    status = status.clone(),
                    email_address = email_address.clone(),
                    order_by = order_by.clone(),
                    limit = limit,
                    offset = offset,
                )
                .send()
            })
            .await
            .map_err(without_answer)?;
        let total_count = page.total_count_or_len();
        let invitations: Vec<OrganizationInvitationObject> =
            page.data.into_iter().map(OrganizationInvitationObject::from).collect();
        Ok(ListOrganizationInvitationsOutput { total_count, invitations, success: true })
    }
}
