//! The three session tools: `clerk_list_sessions`, `clerk_get_session`,
//! `clerk_revoke_session`.

use clerk_api::{ListStream, Page, types};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{ToolCall, page_of, send};
use crate::input::{LIMIT, PATH_ID, Rule, ZERO_OR_MORE, input};
use crate::schema::output;

/// The statuses `clerk_list_sessions` can filter by.
pub const SESSION_STATUSES: [&str; 8] =
    ["abandoned", "active", "ended", "expired", "pending", "removed", "replaced", "revoked"];

input! {
    /// Input of `clerk_list_sessions`.
    #[at_least_one_of(user_id, client_id)]
    pub struct ListSessionsInput {
        /// User ID to list sessions for.
        pub user_id: Option<String>,
        /// Client ID to list sessions for.
        pub client_id: Option<String>,
        /// Filter by session status.
        #[rule(Rule::OneOf(&SESSION_STATUSES))]
        pub status: Option<String>,
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
    }
}

input! {
    /// Input of `clerk_get_session`.
    pub struct GetSessionInput {
        /// The ID of the session to retrieve.
        #[rule(PATH_ID)]
        pub session_id: String,
    }
}

input! {
    /// Input of `clerk_revoke_session`.
    pub struct RevokeSessionInput {
        /// The ID of the session to revoke.
        #[rule(PATH_ID)]
        pub session_id: String,
    }
}

output! {
    /// A session as the session tools report it.
    pub struct SessionObject {
        /// Session ID.
        pub id: Option<String>,
        /// User ID.
        pub user_id: Option<String>,
        /// Client ID.
        pub client_id: Option<String>,
        /// Session status (Clerk may add statuses; any value is passed through).
        pub status: Option<String>,
        /// Last activity timestamp (Unix milliseconds).
        pub last_active_at: Option<i64>,
        /// Last active organization ID.
        pub last_active_organization_id: Option<String>,
        /// Expiration timestamp (Unix milliseconds).
        pub expire_at: Option<i64>,
        /// Abandonment timestamp (Unix milliseconds).
        pub abandon_at: Option<i64>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
    }
}

output! {
    /// Output of `clerk_list_sessions`.
    pub struct ListSessionsOutput {
        /// The page of sessions.
        pub sessions: Vec<SessionObject>,
        /// Total matching sessions when Clerk reports it, else the number returned.
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_get_session` and `clerk_revoke_session`: the session object plus
    /// `success`.
    pub struct SessionOutput {
        /// The session.
        #[serde(flatten)]
        pub session: SessionObject,
        /// Always `true`.
        pub success: bool,
    }
}

impl From<types::Session> for SessionObject {
    fn from(session: types::Session) -> Self {
        SessionObject {
            id: session.id,
            user_id: session.user_id,
            client_id: session.client_id,
            status: session.status,
            last_active_at: session.last_active_at,
            last_active_organization_id: session.last_active_organization_id,
            expire_at: session.expire_at,
            abandon_at: session.abandon_at,
            created_at: session.created_at,
            updated_at: session.updated_at,
        }
    }
}

impl From<types::Session> for SessionOutput {
    fn from(session: types::Session) -> Self {
        SessionOutput { session: session.into(), success: true }
    }
}

/// One page of the request of `clerk_list_sessions` for `input`: the tool's page, and each page of
/// [`ClerkTools::sessions`].
async fn sessions_page(
    call: &ToolCall<'_>,
    input: &ListSessionsInput,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Page<types::Session>, Error> {
    send!(
        call,
        api.get_session_list().paginated(true),
        user_id = input.user_id.clone(),
        client_id = input.client_id.clone(),
        status = input.status.clone(),
        limit = limit,
        offset = offset,
    )
    .await
}

impl ClerkTools {
    /// `clerk_list_sessions`: sessions of a user or of a client. Asks Clerk for the
    /// paginated form so that `totalCount` is the real total.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListSessionsInput};
    /// let active = ClerkTools::from_env()?
    ///     .list_sessions(ListSessionsInput {
    ///         user_id: Some("user_2x1".into()),
    ///         status: Some("active".into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} active sessions", active.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_sessions(&self, input: ListSessionsInput) -> Result<ListSessionsOutput, Error> {
        let (call, input) = self.begin(input)?;
        let answer = sessions_page(&call, &input, input.limit, input.offset).await?;
        let total_count = answer.total_count_or_len();
        Ok(ListSessionsOutput {
            sessions: answer.data.into_iter().map(SessionObject::from).collect(),
            total_count,
            success: true,
        })
    }

    /// Every session that `clerk_list_sessions` would list for `input`, page after page: see [every
    /// item of a list](crate#every-item-of-a-list).
    pub fn sessions(&self, input: ListSessionsInput) -> Result<ListStream<'_, SessionObject, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, input, limit, offset| async move {
                sessions_page(&call, &input, Some(limit), Some(offset)).await.map(page_of)
            },
        )
    }

    /// `clerk_get_session`: one session by ID.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetSessionInput};
    /// let found = ClerkTools::from_env()?
    ///     .get_session(GetSessionInput { session_id: "sess_2x1".into() })
    ///     .await?;
    /// println!("{:?}", found.session.status);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_session(&self, input: GetSessionInput) -> Result<SessionOutput, Error> {
        let (call, input) = self.begin(input)?;
        let session = send!(call, api.get_session().session_id(input.session_id.as_str())).await?;
        Ok(session.into())
    }

    /// `clerk_revoke_session`: revokes a session at once; the returned status is `revoked`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, RevokeSessionInput};
    /// let revoked = ClerkTools::from_env()?
    ///     .revoke_session(RevokeSessionInput { session_id: "sess_2x1".into() })
    ///     .await?;
    /// assert_eq!(revoked.session.status.as_deref(), Some("revoked"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke_session(&self, input: RevokeSessionInput) -> Result<SessionOutput, Error> {
        let (call, input) = self.begin(input)?;
        let session = send!(call, api.revoke_session().session_id(input.session_id.as_str())).await?;
        Ok(session.into())
    }
}
