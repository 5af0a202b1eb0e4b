//! The three session tools: `clerk_list_sessions`, `clerk_get_session`,
//! `clerk_revoke_session`.

use clerk_api::types;
use serde::{Deserialize, Serialize};

use crate::client::{Call, ClerkTools};
use crate::conventions::{agent, in_range, path_id, text, with_present};
use crate::error::Error;

const LIST_SESSIONS: Call = Call { tool: "clerk_list_sessions", method: "GET", path: "/sessions" };
const GET_SESSION: Call = Call { tool: "clerk_get_session", method: "GET", path: "/sessions/{session_id}" };
const REVOKE_SESSION: Call =
    Call { tool: "clerk_revoke_session", method: "POST", path: "/sessions/{session_id}/revoke" };

/// The statuses `clerk_list_sessions` can filter by.
pub const SESSION_STATUSES: [&str; 8] =
    ["abandoned", "active", "ended", "expired", "pending", "removed", "replaced", "revoked"];

/// Input of `clerk_list_sessions`. At least one of `userId` and `clientId` is required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListSessionsInput {
    /// User ID to list sessions for.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Client ID to list sessions for.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Filter by session status (abandoned, active, ended, expired, pending, removed,
    /// replaced, revoked).
    #[serde(default)]
    pub status: Option<String>,
    /// Number of results per page (1-500, default: 10).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::limit"))]
    pub limit: Option<i64>,
    /// Number of results to skip for pagination.
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::zero_or_more"))]
    pub offset: Option<i64>,
}

/// Input of `clerk_get_session`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSessionInput {
    /// The ID of the session to retrieve.
    pub session_id: String,
}

/// Input of `clerk_revoke_session`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeSessionInput {
    /// The ID of the session to revoke.
    pub session_id: String,
}

/// A session as the session tools report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
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

/// Output of `clerk_list_sessions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListSessionsOutput {
    /// The page of sessions.
    pub sessions: Vec<SessionObject>,
    /// Total matching sessions when Clerk reports it, else the number returned.
    pub total_count: i64,
    /// Always `true`.
    pub success: bool,
}

/// Output of `clerk_get_session` and `clerk_revoke_session`: the session object plus
/// `success`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionOutput {
    /// The session.
    #[serde(flatten)]
    pub session: SessionObject,
    /// Always `true`.
    pub success: bool,
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
        let user_id = text(input.user_id.as_deref());
        let client_id = text(input.client_id.as_deref());
        if user_id.is_none() && client_id.is_none() {
            return Err(Error::invalid("userId", "give userId or clientId (or both)"));
        }
        let status = match text(input.status.as_deref()) {
            Some(status) if !SESSION_STATUSES.contains(&status.as_str()) => {
                return Err(Error::invalid("status", format!("must be one of {}", SESSION_STATUSES.join(", "))));
            }
            status => status,
        };
        let limit = in_range("limit", input.limit, 1, Some(500))?;
        let offset = in_range("offset", input.offset, 0, None)?;
        let api = self.api()?;
        let answer = self
            .execute(&api, LIST_SESSIONS, || {
                with_present!(
                    api.get_session_list().paginated(true),
                    user_id = user_id.clone(),
                    client_id = client_id.clone(),
                    status = status.clone(),
                    limit = limit,
                    offset = offset,
                )
                .send()
            })
            .await?;
        // Clerk ignores `paginated` on API versions that predate it and answers a bare array,
        // which gives no total: the page length stands in.
        let total_count = answer.total_count_or_len();
        Ok(ListSessionsOutput {
            sessions: answer.data.into_iter().map(SessionObject::from).collect(),
            total_count,
            success: true,
        })
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
        let session_id = path_id("sessionId", Some(&input.session_id))?;
        let api = self.api()?;
        let session =
            self.execute(&api, GET_SESSION, || api.get_session().session_id(session_id.as_str()).send()).await?;
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
        let session_id = path_id("sessionId", Some(&input.session_id))?;
        let api = self.api()?;
        let session =
            self.execute(&api, REVOKE_SESSION, || api.revoke_session().session_id(session_id.as_str()).send()).await?;
        Ok(session.into())
    }
}
