//! The moderation tools: `clerk_ban_user`, `clerk_unban_user`, `clerk_lock_user`,
//! `clerk_unlock_user`. Each is a POST without a body that answers with the user.

use clerk_api::types;
use serde::{Deserialize, Serialize};

use crate::client::{Call, ClerkTools};
use crate::conventions::{flag_or_false, path_id};
use crate::error::Error;

const BAN_USER: Call = Call { tool: "clerk_ban_user", method: "POST", path: "/users/{user_id}/ban" };
const UNBAN_USER: Call = Call { tool: "clerk_unban_user", method: "POST", path: "/users/{user_id}/unban" };
const LOCK_USER: Call = Call { tool: "clerk_lock_user", method: "POST", path: "/users/{user_id}/lock" };
const UNLOCK_USER: Call = Call { tool: "clerk_unlock_user", method: "POST", path: "/users/{user_id}/unlock" };

/// Input of `clerk_ban_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BanUserInput {
    /// The ID of the user to ban.
    pub user_id: String,
}

/// Input of `clerk_unban_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnbanUserInput {
    /// The ID of the user to unban.
    pub user_id: String,
}

/// Input of `clerk_lock_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LockUserInput {
    /// The ID of the user to lock.
    pub user_id: String,
}

/// Input of `clerk_unlock_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockUserInput {
    /// The ID of the user to unlock.
    pub user_id: String,
}

/// Output of the moderation tools: the part of Clerk's user that moderation changes, plus
/// `success`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModeratedUserOutput {
    /// User ID.
    pub id: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Whether the user is banned.
    pub banned: bool,
    /// Whether the user is locked.
    pub locked: bool,
    /// Seconds left in the lockout; null if the user is not locked, and also null if the
    /// lockout never expires.
    pub lockout_expires_in_seconds: Option<i64>,
    /// Last update timestamp (Unix milliseconds).
    pub updated_at: Option<i64>,
    /// Always `true`.
    pub success: bool,
}

impl From<types::User> for ModeratedUserOutput {
    fn from(user: types::User) -> Self {
        ModeratedUserOutput {
            id: user.id,
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            banned: flag_or_false(user.banned),
            locked: flag_or_false(user.locked),
            lockout_expires_in_seconds: user.lockout_expires_in_seconds,
            updated_at: user.updated_at,
            success: true,
        }
    }
}

impl ClerkTools {
    /// `clerk_ban_user`: bans a user so they cannot sign in. Clerk also revokes all of the
    /// user's sessions; the ban lasts until [`ClerkTools::unban_user`] lifts it.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{BanUserInput, ClerkTools};
    /// let banned = ClerkTools::from_env()?
    ///     .ban_user(BanUserInput { user_id: "user_2x1".into() })
    ///     .await?;
    /// assert!(banned.banned);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ban_user(&self, input: BanUserInput) -> Result<ModeratedUserOutput, Error> {
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api()?;
        let user = self.execute(&api, BAN_USER, || api.ban_user().user_id(user_id.as_str()).send()).await?;
        Ok(user.into())
    }

    /// `clerk_unban_user`: lifts a ban so the user can sign in again.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UnbanUserInput};
    /// let unbanned = ClerkTools::from_env()?
    ///     .unban_user(UnbanUserInput { user_id: "user_2x1".into() })
    ///     .await?;
    /// assert!(!unbanned.banned);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unban_user(&self, input: UnbanUserInput) -> Result<ModeratedUserOutput, Error> {
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api()?;
        let user = self.execute(&api, UNBAN_USER, || api.unban_user().user_id(user_id.as_str()).send()).await?;
        Ok(user.into())
    }

    /// `clerk_lock_user`: locks a user account, blocking sign-in for the instance's lockout
    /// duration or until [`ClerkTools::unlock_user`]. A locked user whose
    /// `lockout_expires_in_seconds` is `None` stays locked indefinitely.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, LockUserInput};
    /// let locked = ClerkTools::from_env()?
    ///     .lock_user(LockUserInput { user_id: "user_2x1".into() })
    ///     .await?;
    /// println!("locked: {}, for {:?} s", locked.locked, locked.lockout_expires_in_seconds);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn lock_user(&self, input: LockUserInput) -> Result<ModeratedUserOutput, Error> {
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api()?;
        let user = self.execute(&api, LOCK_USER, || api.lock_user().user_id(user_id.as_str()).send()).await?;
        Ok(user.into())
    }

    /// `clerk_unlock_user`: unlocks a locked user account.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UnlockUserInput};
    /// let unlocked = ClerkTools::from_env()?
    ///     .unlock_user(UnlockUserInput { user_id: "user_2x1".into() })
    ///     .await?;
    /// assert!(!unlocked.locked);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unlock_user(&self, input: UnlockUserInput) -> Result<ModeratedUserOutput, Error> {
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api()?;
        let user = self.execute(&api, UNLOCK_USER, || api.unlock_user().user_id(user_id.as_str()).send()).await?;
        Ok(user.into())
    }
}
