//! The application invitation tools (`/invitations`, to sign up to the application, not to
//! join an organization): `clerk_create_invitation`, `clerk_list_invitations`,
//! `clerk_revoke_invitation`.

use clerk_api::{ListStream, Page, types};
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{ToolCall, page_of, send, with_present};
use crate::input::{DAYS, LIMIT, PATH_ID, REQUIRED, Rule, ZERO_OR_MORE, input};
use crate::schema::output;
use crate::secret::Credential;

/// The statuses `clerk_list_invitations` can filter by.
const INVITATION_STATUSES: [&str; 4] = ["pending", "accepted", "revoked", "expired"];

input! {
    /// Input of `clerk_create_invitation`.
    pub struct CreateInvitationInput {
        /// The email address to invite (one address).
        #[rule(REQUIRED)]
        pub email_address: String,
        /// Where to send the invitee after they click the invitation link (needed only for a
        /// custom sign-up flow).
        pub redirect_url: Option<String>,
        /// Public metadata (JSON object) that becomes the user's public metadata when they sign
        /// up, as an object or a JSON string.
        pub public_metadata: Option<Map<String, Value>>,
        /// Whether Clerk emails the invitation (default: true).
        pub notify: Option<bool>,
        /// Create the invitation even if the address already has a pending invitation or belongs
        /// to a user (default: false).
        pub ignore_existing: Option<bool>,
        /// Days until the invitation expires (default: 30).
        #[rule(DAYS)]
        pub expires_in_days: Option<i64>,
    }
}

input! {
    /// Input of `clerk_list_invitations`.
    pub struct ListInvitationsInput {
        /// Filter by status; without it, revoked invitations are left out.
        #[rule(Rule::OneOf(&INVITATION_STATUSES))]
        pub status: Option<String>,
        /// Search the invitations' email addresses and IDs.
        pub query: Option<String>,
        /// Sort field (created_at, email_address, expires_at) with optional +/- prefix (default:
        /// -created_at).
        pub order_by: Option<String>,
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
    }
}

input! {
    /// Input of `clerk_revoke_invitation`.
    pub struct RevokeInvitationInput {
        /// The ID of the invitation to revoke.
        #[rule(PATH_ID)]
        pub invitation_id: String,
    }
}

output! {
    /// An application invitation as the invitation tools report it.
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
}

output! {
    /// Output of `clerk_list_invitations`.
    pub struct ListInvitationsOutput {
        /// The page of invitations.
        pub invitations: Vec<ApplicationInvitationObject>,
        /// Total number of matching invitations when Clerk reports it, else the number returned.
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_create_invitation` and `clerk_revoke_invitation`: the invitation object
    /// plus `success`.
    pub struct ApplicationInvitationOutput {
        /// The invitation.
        #[serde(flatten)]
        pub invitation: ApplicationInvitationObject,
        /// Always `true`.
        pub success: bool,
    }
}

/// Reads an invitation from either generated type Clerk's invitation comes as: the revoke
/// answer is the same object under another generated name.
macro_rules! from_invitation {
    ($($generated:ty),*) => {$(
        impl From<$generated> for ApplicationInvitationObject {
            fn from(invitation: $generated) -> Self {
                ApplicationInvitationObject {
                    id: invitation.id,
                    email_address: invitation.email_address,
                    status: invitation.status,
                    url: invitation.url.map(Credential::from),
                    expires_at: invitation.expires_at,
                    revoked: invitation.revoked.unwrap_or(false),
                    public_metadata: invitation.public_metadata.unwrap_or_default(),
                    created_at: invitation.created_at,
                    updated_at: invitation.updated_at,
                }
            }
        }
    )*};
}
from_invitation!(types::Invitation, types::RevokeInvitationResponse);

/// One page of the request of `clerk_list_invitations` for `input`: the tool's page, and each page
/// of [`ClerkTools::invitations`].
async fn invitations_page(
    call: &ToolCall<'_>,
    input: &ListInvitationsInput,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Page<types::Invitation>, Error> {
    send!(
        call,
        api.list_invitations().paginated(true),
        status = input.status.clone(),
        query = input.query.clone(),
        order_by = input.order_by.clone(),
        limit = limit,
        offset = offset,
    )
    .await
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
        let (call, input) = self.begin(input)?;
        let invitation = send!(
            call,
            api.create_invitation().body_map(|body| {
                with_present!(
                    body.email_address(input.email_address.clone()),
                    redirect_url = input.redirect_url.clone(),
                    public_metadata = input.public_metadata.clone(),
                    notify = input.notify,
                    ignore_existing = input.ignore_existing,
                    expires_in_days = input.expires_in_days,
                )
            })
        )
        .await?;
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
        let (call, input) = self.begin(input)?;
        let answer = invitations_page(&call, &input, input.limit, input.offset).await?;
        let total_count = answer.total_count_or_len();
        let invitations = answer.data;
        Ok(ListInvitationsOutput {
            invitations: invitations.into_iter().map(ApplicationInvitationObject::from).collect(),
            total_count,
            success: true,
        })
    }

    /// Every invitation that `clerk_list_invitations` would list for `input`, page after page: see
    /// [every item of a list](crate#every-item-of-a-list).
    pub fn invitations(
        &self,
        input: ListInvitationsInput,
    ) -> Result<ListStream<'_, ApplicationInvitationObject, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, input, limit, offset| async move {
                invitations_page(&call, &input, Some(limit), Some(offset)).await.map(page_of)
            },
        )
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
        let (call, input) = self.begin(input)?;
        let invitation = send!(call, api.revoke_invitation().invitation_id(input.invitation_id.as_str())).await?;
        Ok(ApplicationInvitationOutput { invitation: invitation.into(), success: true })
    }
}
