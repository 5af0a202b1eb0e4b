//! The moderation tools: `clerk_ban_user`, `clerk_unban_user`, `clerk_lock_user`,
//! `clerk_unlock_user`. Each is a POST without a body that answers with the user.

use clerk_api::types;

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::send;
use crate::input::{PATH_ID, input};
use crate::schema::output;

input! {
    /// Input of `clerk_ban_user`.
    pub struct BanUserInput {
        /// The ID of the user to ban.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}

input! {
    /// Input of `clerk_unban_user`.
    pub struct UnbanUserInput {
        /// The ID of the user to unban.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}

input! {
    /// Input of `clerk_lock_user`.
    pub struct LockUserInput {
        /// The ID of the user to lock.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}

input! {
    /// Input of `clerk_unlock_user`.
    pub struct UnlockUserInput {
        /// The ID of the user to unlock.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}

output! {
    /// Output of the moderation tools: the part of Clerk's user that moderation changes, plus
    /// `success`.
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
}

impl From<types::User> for ModeratedUserOutput {
    fn from(user: types::User) -> Self {
        ModeratedUserOutput {
            id: user.id,
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            banned: user.banned.unwrap_or(false),
            locked: user.locked.unwrap_or(false),
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
        let (call, input) = self.begin(input)?;
        let user = send!(call, api.ban_user().user_id(input.user_id.as_str())).await?;
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
        let (call, input) = self.begin(input)?;
        let user = send!(call, api.unban_user().user_id(input.user_id.as_str())).await?;
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
        let (call, input) = self.begin(input)?;
        let user = send!(call, api.lock_user().user_id(input.user_id.as_str())).await?;
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
        let (call, input) = self.begin(input)?;
        let user = send!(call, api.unlock_user().user_id(input.user_id.as_str())).await?;
        Ok(user.into())
    }
}
