//! Sessions created through the Backend API (`POST /sessions`, which Clerk offers to test
//! instances) and the claims of their session tokens.

use serde_json::{Value, json};

use super::{FRONTEND_API, Session, Store};
use crate::error::ApiError;

/// How long a session token lives unless `expires_in_seconds` says otherwise: Clerk's default.
pub(crate) const DEFAULT_TOKEN_LIFETIME_SECONDS: i64 = 60;

/// The bounds the document gives `expires_in_seconds`.
pub(crate) const TOKEN_LIFETIME_SECONDS: std::ops::RangeInclusive<i64> = 30..=315_360_000;

/// How far before its issue time a session token starts to be valid: Clerk's allowance for
/// clocks behind its own.
const NOT_BEFORE_LEEWAY_SECONDS: i64 = 10;

/// The statuses of a session that can get a token.
const TOKEN_STATUSES: &[&str] = &["active", "pending"];

impl Store {
    /// `POST /sessions`: an active session for the user, on a new client, with
    /// `active_organization_id` (an organization the user is a member of) active in it.
    pub(crate) fn create_session(
        &mut self,
        user_id: &str,
        active_organization_id: Option<&str>,
    ) -> Result<&Session, ApiError> {
        self.user(user_id)?;
        if let Some(organization_id) = active_organization_id {
            self.membership(organization_id, user_id)?;
        }
        let client_id = self.new_id("client");
        let id = self.add_session(user_id, &client_id, "active")?;
        let session = self.sessions.get_mut(&id).ok_or_else(|| ApiError::not_found("Session"))?;
        session.last_active_organization_id = active_organization_id.map(str::to_owned);
        Ok(session)
    }

    /// The claims of a session token for the session, in Clerk's version 2 format: the user,
    /// the session and its status, the active organization with the user's role in it, and
    /// the times (issued now, valid from ten seconds ago, for `lifetime_seconds`). Only active
    /// and pending sessions get tokens.
    pub(crate) fn session_claims(&self, session_id: &str, lifetime_seconds: i64) -> Result<Value, ApiError> {
        let session = self.session(session_id)?;
        if !TOKEN_STATUSES.contains(&session.status.as_str()) {
            return Err(ApiError::not_found("Session"));
        }
        let now = self.now() / 1000;
        let mut claims = json!({
            "exp": now + lifetime_seconds,
            "iat": now,
            "iss": FRONTEND_API,
            "nbf": now - NOT_BEFORE_LEEWAY_SECONDS,
            "sid": session.id,
            "sts": session.status,
            "sub": session.user_id,
            "v": 2,
        });
        let membership = session
            .last_active_organization_id
            .as_deref()
            .and_then(|organization_id| self.membership(organization_id, &session.user_id).ok());
        if let Some(membership) = membership {
            let organization = self.organization_by_id(&membership.organization_id)?;
            claims["o"] = json!({
                "id": organization.id,
                "rol": membership.role.key.trim_start_matches("org:"),
                "slg": organization.slug,
            });
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewUser;

    #[test]
    fn revoked_sessions_get_no_token() {
        let mut store = Store::new();
        let user = store
            .create_user(NewUser { username: Some("ada".into()), ..NewUser::default() })
            .map(|user| user.id.clone())
            .unwrap();
        let session = store.create_session(&user, None).unwrap().id.clone();
        let claims = store.session_claims(&session, 60).unwrap();
        assert_eq!(claims["sub"], user.as_str());
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 60);
        assert!(claims.get("o").is_none());
        store.revoke_session(&session).unwrap();
        assert!(store.session_claims(&session, 60).is_err());
    }
}
