//! The application invitation tools (`/invitations`, to sign up to the application, not to
//! join an organization): `clerk_create_invitation`, `clerk_list_invitations`,
//! `clerk_revoke_invitation`.

use clerk_api::types;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{Call, ClerkTools};
use crate::conventions::{agent, flag_or_false, in_range, path_id, required_text, text, with_present};
use crate::error::Error;
use crate::secret::{Credential, without_answer};

const CREATE_INVITATION: Call = Call { tool: "clerk_create_invitation", method: "POST", path: "/invitations" };
const LIST_INVITATIONS: Call = Call { tool: "clerk_list_invitations", method: "GET", path: "/invitations" };
const REVOKE_INVITATION: Call =
    Call { tool: "clerk_revoke_invitation", method: "POST", path: "/invitations/{invitation_id}/revoke" };

/// The statuses `clerk_list_invitations` can filter by.
const INVITATION_STATUSES: [&str; 4] = ["pending", "accepted", "revoked", "expired"];

/// Input of `clerk_create_invitation`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateInvitationInput {
    /// The email address to invite (one address).
    pub email_address: String,
    /// Where to send the invitee after they click the invitation link (needed only for a
    /// custom sign-up flow).
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// Public metadata (JSON object) that becomes the user's public metadata when they sign
    /// up, as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Whether Clerk emails the invitation (default: true).
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub notify: Option<bool>,
    /// Create the invitation even if the address already has a pending invitation or belongs
    /// to a user (default: false).
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub ignore_existing: Option<bool>,
    /// Days until the invitation expires (1-365, default: 30).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::days"))]
    pub expires_in_days: Option<i64>,
}

/// Input of `clerk_list_invitations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListInvitationsInput {
    /// Filter by status (pending, accepted, revoked, expired); without it, revoked invitations
    /// are left out.
    #[serde(default)]
    pub status: Option<String>,
    /// Search the invitations' email addresses and IDs.
    #[serde(default)]
    pub query: Option<String>,
    /// Sort field (created_at, email_address, expires_at) with optional +/- prefix (default:
    /// -created_at).
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

/// Input of `clerk_revoke_invitation`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeInvitationInput {
    /// The ID of the invitation to revoke.
    pub invitation_id: String,
}

/// An application invitation as the invitation tools report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInvitationObject {
    /// Invitation ID.
    pub id: Option<String>,
    /// The invited email address.
    pub email_address: Option<String>,
    /// Status (`pending`, `accepted`, `revoked`, `expired`; Clerk may add more).
    pub status: Option<String>,
    /// The invitation link (a sign-up ticket: whoever holds it can accept the
    /// invitation).
    pub url: Option<Credential>,
    /// Expiration timestamp (Unix milliseconds).
    pub expires_at: Option<i64>,
    /// Whether the invitation was revoked.
    pub revoked: bool,
    /// Public metadata the user gets on signing up.
    pub public_metadata: Map<String, Value>,
    /// Creation timestamp (Unix milliseconds).
    pub created_at: Option<i64>,
    /// Last update timestamp (Unix milliseconds).
    pub updated_at: Option<i64>,
}

/// Output of `clerk_list_invitations`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListInvitationsOutput {
    /// The page of invitations.
    pub invitations: Vec<ApplicationInvitationObject>,
    /// Total number of matching invitations when Clerk reports it, else the number returned.
    pub total_count: i64,
    /// Always `true`.
    pub success: bool,
}

/// Output of `clerk_create_invitation` and `clerk_revoke_invitation`: the invitation object
/// plus `success`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInvitationOutput {
    /// The invitation.
    #[serde(flatten)]
    pub invitation: ApplicationInvitationObject,
    /// Always `true`.
    pub success: bool,
}

impl From<types::Invitation> for ApplicationInvitationObject {
    fn from(invitation: types::Invitation) -> Self {
        ApplicationInvitationObject {
            id: invitation.id,
            email_address: invitation.email_address,
            status: invitation.status,
            url: invitation.url.map(Credential::from),
            expires_at: invitation.expires_at,
            revoked: flag_or_false(invitation.revoked),
            public_metadata: invitation.public_metadata.unwrap_or_default(),
            created_at: invitation.created_at,
            updated_at: invitation.updated_at,
        }
    }
}

// The revoke answer is the same object under another generated name.
impl From<types::RevokeInvitationResponse> for ApplicationInvitationObject {
    fn from(invitation: types::RevokeInvitationResponse) -> Self {
        ApplicationInvitationObject {
            id: invitation.id,
            email_address: invitation.email_address,
            status: invitation.status,
            url: invitation.url.map(Credential::from),
            expires_at: invitation.expires_at,
            revoked: flag_or_false(invitation.revoked),
            public_metadata: invitation.public_metadata.unwrap_or_default(),
            created_at: invitation.created_at,
            updated_at: invitation.updated_at,
        }
    }
}

impl ClerkTools {
    /// `clerk_create_invitation`: invites an email address to sign up to the application.
    /// Booleans are sent whenever given, `false` included.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateInvitationInput};
    /// let invited = ClerkTools::from_env()?
    ///     .create_invitation(CreateInvitationInput {
    ///         email_address: "ada@example.com".into(),
    ///         expires_in_days: Some(7),
    ///         public_metadata: serde_json::json!({"plan": "pro"}).as_object().cloned(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?} {:?}", invited.invitation.status, invited.invitation.url);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_invitation(&self, input: CreateInvitationInput) -> Result<ApplicationInvitationOutput, Error> {
        let email_address = required_text("emailAddress", Some(&input.email_address))?;
        let redirect_url = text(input.redirect_url.as_deref());
        let public_metadata = input.public_metadata.clone();
        let notify = input.notify;
        let ignore_existing = input.ignore_existing;
        let expires_in_days = in_range("expiresInDays", input.expires_in_days, 1, Some(365))?;
        let api = self.api()?;
        let invitation = self
            .execute(&api, CREATE_INVITATION, || {
                api.create_invitation()
                    .body_map(|body| {
                        with_present!(
                            body,
                            email_address = Some(email_address.clone()),
                            redirect_url = redirect_url.clone(),
                            public_metadata = public_metadata.clone(),
                            notify = notify,
                            ignore_existing = ignore_existing,
                            expires_in_days = expires_in_days,
                        )
                    })
                    .send()
            })
            .await
            .map_err(without_answer)?;
        Ok(ApplicationInvitationOutput { invitation: invitation.into(), success: true })
    }

    /// `clerk_list_invitations`: the application's invitations, revoked ones only when asked
    /// for by `status`. Asks Clerk for the paginated form so that `totalCount` is the real
    /// total.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListInvitationsInput};
    /// let pending = ClerkTools::from_env()?
    ///     .list_invitations(ListInvitationsInput { status: Some("pending".into()), ..Default::default() })
    ///     .await?;
    /// println!("{} pending invitations", pending.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_invitations(&self, input: ListInvitationsInput) -> Result<ListInvitationsOutput, Error> {
        let status = match text(input.status.as_deref()) {
            Some(status) if !INVITATION_STATUSES.contains(&status.as_str()) => {
                return Err(Error::invalid("status", format!("must be one of {}", INVITATION_STATUSES.join(", "))));
            }
            status => status,
        };
        let query = text(input.query.as_deref());
        let order_by = text(input.order_by.as_deref());
        let limit = in_range("limit", input.limit, 1, Some(500))?;
        let offset = in_range("offset", input.offset, 0, None)?;
        let api = self.api()?;
        let answer = self
            .execute(&api, LIST_INVITATIONS, || {
                with_present!(
                    api.list_invitations().paginated(true),
                    status = status.clone(),
                    query = query.clone(),
                    order_by = order_by.clone(),
                    limit = limit,
                    offset = offset,
                )
                .send()
            })
            .await
            .map_err(without_answer)?;
        // Clerk ignores `paginated` on API versions that predate it and answers a bare array,
        // which gives no total: the page length stands in.
        let total_count = answer.total_count_or_len();
        let invitations = answer.data;
        Ok(ListInvitationsOutput {
            invitations: invitations.into_iter().map(ApplicationInvitationObject::from).collect(),
            total_count,
            success: true,
        })
    }

    /// `clerk_revoke_invitation`: revokes an invitation so its link no longer works (the
    /// address can still sign up the usual way). Clerk refuses one already revoked.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, RevokeInvitationInput};
    /// let revoked = ClerkTools::from_env()?
    ///     .revoke_invitation(RevokeInvitationInput { invitation_id: "inv_2x1".into() })
    ///     .await?;
    /// assert!(revoked.invitation.revoked);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke_invitation(&self, input: RevokeInvitationInput) -> Result<ApplicationInvitationOutput, Error> {
        let invitation_id = path_id("invitationId", Some(&input.invitation_id))?;
        let api = self.api()?;
        let invitation = self
            .execute(&api, REVOKE_INVITATION, || api.revoke_invitation().invitation_id(invitation_id.as_str()).send())
            .await
            .map_err(without_answer)?;
        Ok(ApplicationInvitationOutput { invitation: invitation.into(), success: true })
    }
}
