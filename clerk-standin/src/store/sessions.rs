//! Sessions: added by tests and seeding (the Backend API cannot create them), listed, revoked.

use super::{DAY_MS, Listed, Page, Store};
use crate::error::ApiError;

/// Clerk's defaults: a session expires after a week of inactivity, and is abandoned after 30 days.
const SESSION_EXPIRES_AFTER_MS: i64 = 7 * DAY_MS;
const SESSION_ABANDONED_AFTER_MS: i64 = 30 * DAY_MS;

/// What `status` accepts on `GET /sessions`.
pub(crate) const SESSION_STATUSES: &[&str] =
    &["abandoned", "active", "ended", "expired", "pending", "removed", "replaced", "revoked"];

/// The statuses of a session that can still be used, and so are ended by a revocation.
const LIVE_STATUSES: &[&str] = &["active", "pending"];

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) client_id: String,
    pub(crate) status: String,
    pub(crate) last_active_organization_id: Option<String>,
    pub(crate) last_active_at: i64,
    pub(crate) expire_at: i64,
    pub(crate) abandon_at: i64,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// The filters of `GET /sessions`; at least one of the two ids is required.
#[derive(Debug, Default)]
pub(crate) struct SessionFilter {
    pub(crate) user_id: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) status: Option<String>,
}

impl Store {
    pub(crate) fn add_session(&mut self, user_id: &str, client_id: &str, status: &str) -> Result<String, ApiError> {
        self.user(user_id)?;
        let now = self.clock.tick();
        let id = self.ids.next("sess");
        let session = Session {
            id: id.clone(),
            user_id: user_id.to_owned(),
            client_id: client_id.to_owned(),
            status: status.to_owned(),
            last_active_organization_id: None,
            last_active_at: now,
            expire_at: now + SESSION_EXPIRES_AFTER_MS,
            abandon_at: now + SESSION_ABANDONED_AFTER_MS,
            created_at: now,
            updated_at: now,
        };
        self.sessions.insert(id.clone(), session);
        Ok(id)
    }

    pub(crate) fn session(&self, id: &str) -> Result<&Session, ApiError> {
        self.sessions.get(id).ok_or_else(|| ApiError::not_found("Session"))
    }

    /// Revoking twice is harmless: the second time changes nothing.
    pub(crate) fn revoke_session(&mut self, id: &str) -> Result<&Session, ApiError> {
        let already_revoked = self.session(id)?.status == "revoked";
        let now = if already_revoked { None } else { Some(self.clock.tick()) };
        let session = self.sessions.get_mut(id).ok_or_else(|| ApiError::not_found("Session"))?;
        if let Some(now) = now {
            session.status = "revoked".to_owned();
            session.updated_at = now;
        }
        Ok(session)
    }

    /// Revokes every session of the user that could still be used, newest first, and returns
    /// them as they are now.
    pub(super) fn revoke_user_sessions(&mut self, user_id: &str) -> Vec<Session> {
        let mut live: Vec<String> = self
            .sessions
            .values()
            .filter(|session| session.user_id == user_id && LIVE_STATUSES.contains(&session.status.as_str()))
            .map(|session| session.id.clone())
            .collect();
        live.sort_by_key(|id| std::cmp::Reverse(self.sessions.get(id).map_or(0, |session| session.created_at)));
        live.iter().filter_map(|id| self.revoke_session(id).ok().cloned()).collect()
    }

    /// Newest first, whatever the filters.
    pub(crate) fn list_sessions(&self, filter: &SessionFilter, page: Page) -> Result<Listed<&Session>, ApiError> {
        if filter.user_id.is_none() && filter.client_id.is_none() {
            return Err(ApiError::param_missing("user_id", "Either user_id or client_id must be provided."));
        }
        if let Some(status) = &filter.status
            && !SESSION_STATUSES.contains(&status.as_str())
        {
            return Err(ApiError::value_invalid(
                "status",
                format!("status must be one of {}.", SESSION_STATUSES.join(", ")),
            ));
        }
        let mut sessions: Vec<&Session> = self
            .sessions
            .values()
            .filter(|session| {
                filter.user_id.as_ref().is_none_or(|id| &session.user_id == id)
                    && filter.client_id.as_ref().is_none_or(|id| &session.client_id == id)
                    && filter.status.as_ref().is_none_or(|status| &session.status == status)
            })
            .collect();
        sessions.sort_by_key(|session| std::cmp::Reverse(session.created_at));
        Ok(Listed::paged(sessions, page))
    }
}

impl Store {
    /// The id of an active session of the user with `username`, if there is one.
    pub(crate) fn active_session_of(&self, username: &str) -> Option<String> {
        let user = self.users.values().find(|user| user.username.as_deref() == Some(username))?;
        let mut sessions: Vec<&Session> =
            self.sessions.values().filter(|session| session.user_id == user.id && session.status == "active").collect();
        sessions.sort_by_key(|session| session.created_at);
        sessions.first().map(|session| session.id.clone())
    }
}
