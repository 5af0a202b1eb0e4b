//! Banning and locking users: `POST /users/{user_id}/ban`, `/unban`, `/lock`, `/unlock`.

use super::{Session, Store, User};
use crate::error::ApiError;

/// What a moderation call did: the user as they are now, whether anything changed (asking
/// for the state a user is already in changes nothing), and the sessions a ban revoked.
#[derive(Debug)]
pub(crate) struct Moderated {
    pub(crate) user: User,
    pub(crate) changed: bool,
    pub(crate) revoked_sessions: Vec<Session>,
}

impl Store {
    /// Bans or unbans the user. A ban also revokes every session the user could still use, as
    /// Clerk does, so that the ban takes effect at once.
    pub(crate) fn set_banned(&mut self, user_id: &str, banned: bool) -> Result<Moderated, ApiError> {
        let changed = self.user(user_id)?.banned != banned;
        let revoked_sessions = if banned { self.revoke_user_sessions(user_id) } else { Vec::new() };
        self.finish_moderation(user_id, changed, revoked_sessions, |user| user.banned = banned)
    }

    /// Locks or unlocks the user. The stand-in has no lockout duration, so a lock lasts until
    /// it is lifted (Clerk's `lockout_expires_in_seconds` is then null).
    pub(crate) fn set_locked(&mut self, user_id: &str, locked: bool) -> Result<Moderated, ApiError> {
        let changed = self.user(user_id)?.locked != locked;
        self.finish_moderation(user_id, changed, Vec::new(), |user| user.locked = locked)
    }

    fn finish_moderation(
        &mut self,
        user_id: &str,
        changed: bool,
        revoked_sessions: Vec<Session>,
        apply: impl FnOnce(&mut User),
    ) -> Result<Moderated, ApiError> {
        let now = changed.then(|| self.clock.tick());
        let user = self.user_mut(user_id)?;
        if let Some(now) = now {
            apply(user);
            user.updated_at = now;
        }
        Ok(Moderated { user: user.clone(), changed, revoked_sessions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewUser;

    #[test]
    fn a_ban_revokes_live_sessions_only_and_twice_changes_nothing() {
        let mut store = Store::new();
        let ada = store.create_user(NewUser { username: Some("ada".into()), ..NewUser::default() }).unwrap().id.clone();
        let ended = store.add_session(&ada, "client_1", "ended").unwrap();
        let active = store.add_session(&ada, "client_1", "active").unwrap();
        let banned = store.set_banned(&ada, true).unwrap();
        assert!(banned.changed && banned.user.banned);
        let revoked: Vec<&str> = banned.revoked_sessions.iter().map(|session| session.id.as_str()).collect();
        assert_eq!(revoked, [active.as_str()]);
        assert_eq!(store.session(&ended).unwrap().status, "ended");
        let again = store.set_banned(&ada, true).unwrap();
        assert!(!again.changed && again.revoked_sessions.is_empty());
        assert_eq!(again.user.updated_at, banned.user.updated_at);
    }
}
