//! The two organization invitation tools: `clerk_create_organization_invitation`,
//! `clerk_list_organization_invitations`.

use clerk_api::{ListStream, Page, types};
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{ToolCall, page_of, send, with_present};
use crate::input::{DAYS, LIMIT, PATH_ID, REQUIRED, Rule, ZERO_OR_MORE, input};
use crate::schema::output;
use crate::secret::Credential;

/// The statuses `clerk_list_organization_invitations` can filter by.
pub const ORGANIZATION_INVITATION_STATUSES: [&str; 4] = ["pending", "accepted", "revoked", "expired"];

input! {
    /// Input of `clerk_create_organization_invitation`.
    pub struct CreateOrganizationInvitationInput {
        /// The ID of the organization to invite to.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// Email address to invite (one address).
        #[rule(REQUIRED)]
        pub email_address: String,
        /// Role key the invitee gets on accepting (e.g. org:admin, org:member).
        #[rule(REQUIRED)]
        pub role: String,
        /// User ID of the inviter, who must be an admin of the organization.
        pub inviter_user_id: Option<String>,
        /// Where the invitee is sent after accepting.
        pub redirect_url: Option<String>,
        /// Days until the invitation expires (default: 30).
        #[rule(DAYS)]
        pub expires_in_days: Option<i64>,
        /// Public metadata (JSON object), as an object or a JSON string; it moves to the
        /// membership when the invitation is accepted.
        pub public_metadata: Option<Map<String, Value>>,
        /// Private metadata (JSON object), as an object or a JSON string; it moves to the
        /// membership when the invitation is accepted.
        pub private_metadata: Option<Map<String, Value>>,
        /// Send the invitation email (default: true).
        pub notify: Option<bool>,
    }
}

input! {
    /// Input of `clerk_list_organization_invitations`.
    pub struct ListOrganizationInvitationsInput {
        /// The ID of the organization whose invitations to list.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// Filter by invitation status.
        #[rule(Rule::OneOf(&ORGANIZATION_INVITATION_STATUSES))]
        pub status: Option<String>,
        /// Filter by email address (one address, exact match).
        pub email_address: Option<String>,
        /// Sort field (created_at, email_address) with optional +/- prefix (default: -created_at).
        pub order_by: Option<String>,
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
    }
}

output! {
    /// An organization invitation as the invitation tools report it.
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
}

output! {
    /// Output of `clerk_list_organization_invitations`.
    pub struct ListOrganizationInvitationsOutput {
        /// The page of invitations.
        pub invitations: Vec<OrganizationInvitationObject>,
        /// Number of invitations matching the filters (Clerk's `total_count`).
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_create_organization_invitation`: the invitation object plus `success`.
    pub struct OrganizationInvitationOutput {
        /// The invitation.
        #[serde(flatten)]
        pub invitation: OrganizationInvitationObject,
        /// Always `true`.
        pub success: bool,
    }
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

/// One page of the request of `clerk_list_organization_invitations` for `input`: the tool's page,
/// and each page of [`ClerkTools::organization_invitations`].
async fn organization_invitations_page(
    call: &ToolCall<'_>,
    input: &ListOrganizationInvitationsInput,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Page<types::OrganizationInvitation>, Error> {
    send!(
        call,
        api.list_organization_invitations().organization_id(input.organization_id.as_str()),
        status = input.status.clone(),
        email_address = input.email_address.clone(),
        order_by = input.order_by.clone(),
        limit = limit,
        offset = offset,
    )
    .await
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
        let (call, input) = self.begin(input)?;
        let invitation = send!(
            call,
            api.create_organization_invitation().organization_id(input.organization_id.as_str()).body_map(|body| {
                with_present!(
                    body.email_address(input.email_address.clone()).role(input.role.clone()),
                    inviter_user_id = input.inviter_user_id.clone(),
                    redirect_url = input.redirect_url.clone(),
                    expires_in_days = input.expires_in_days,
                    public_metadata = input.public_metadata.clone(),
                    private_metadata = input.private_metadata.clone(),
                    notify = input.notify,
                )
            })
        )
        .await?;
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
        let (call, input) = self.begin(input)?;
        let page = organization_invitations_page(&call, &input, input.limit, input.offset).await?;
        let total_count = page.total_count_or_len();
        let invitations: Vec<OrganizationInvitationObject> =
            page.data.into_iter().map(OrganizationInvitationObject::from).collect();
        Ok(ListOrganizationInvitationsOutput { total_count, invitations, success: true })
    }

    /// Every invitation that `clerk_list_organization_invitations` would list for `input`, page
    /// after page: see [every item of a list](crate#every-item-of-a-list).
    pub fn organization_invitations(
        &self,
        input: ListOrganizationInvitationsInput,
    ) -> Result<ListStream<'_, OrganizationInvitationObject, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, input, limit, offset| async move {
                organization_invitations_page(&call, &input, Some(limit), Some(offset)).await.map(page_of)
            },
        )
    }
}
