//! The user tools: `clerk_list_users`, `clerk_get_user`, `clerk_create_user`,
//! `clerk_update_user`, `clerk_delete_user`; moderation (`clerk_ban_user`,
//! `clerk_unban_user`, `clerk_lock_user`, `clerk_unlock_user`), `clerk_get_user_oauth_token`
//! and `clerk_merge_user_metadata`.

mod inputs;
mod metadata;
mod moderation;
mod oauth;
mod outputs;

pub use inputs::{CreateUserInput, DeleteUserInput, GetUserInput, ListUsersInput, UpdateUserInput};
pub use metadata::MergeUserMetadataInput;
pub use moderation::{BanUserInput, LockUserInput, ModeratedUserOutput, UnbanUserInput, UnlockUserInput};
pub use oauth::{GetUserOAuthTokenInput, GetUserOAuthTokenOutput, OAuthAccessTokenObject};
pub use outputs::{
    CreateUserOutput, DeleteUserOutput, EmailAddressEntry, GetUserOutput, ListUsersOutput, ListedUser,
    PhoneNumberEntry, UpdateUserOutput, VerifiedEmailAddress, VerifiedPhoneNumber,
};

use crate::client::ClerkTools;
use crate::error::Error;
use clerk_api::{ListStream, Page};

use crate::execute::{ToolCall, non_empty, send, with_present};
use crate::input::{Input, Kind};
use crate::output::DeletedObjectOutput;

/// The filters that `GET /users` and `GET /users/count` share, set on either of their
/// builders (two generated types with the same setters).
trait UserFilters: Sized {
    fn filters(self, input: &ListUsersInput) -> Self;
}

macro_rules! user_filters {
    ($($builder:ident),*) => {$(
        impl UserFilters for clerk_api::builder::$builder<'_> {
            fn filters(self, input: &ListUsersInput) -> Self {
                with_present!(
                    self,
                    email_address = non_empty(&input.email_address),
                    phone_number = non_empty(&input.phone_number),
                    external_id = non_empty(&input.external_id),
                    username = non_empty(&input.username),
                    user_id = non_empty(&input.user_id),
                    query = input.query.clone(),
                )
            }
        }
    )*};
}
user_filters!(GetUserList, GetUsersCount);

/// One page of the request of `clerk_list_users` for `input`: the tool's page, and each page of
/// [`ClerkTools::users`].
async fn users_page(
    call: &ToolCall<'_>,
    input: &ListUsersInput,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Vec<clerk_api::types::User>, Error> {
    send!(call, api.get_user_list().filters(input), limit = limit, offset = offset, order_by = input.order_by.clone())
        .await
}

impl ClerkTools {
    /// `clerk_list_users`: lists users with optional filters and pagination. `totalCount` is
    /// the number of users matching the filters (from `GET /users/count`, sent concurrently
    /// with the list request), not the page length.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListUsersInput};
    /// let tools = ClerkTools::from_env()?;
    /// let page = tools
    ///     .list_users(ListUsersInput {
    ///         email_address: vec!["ada@example.com".into(), "grace@example.com".into()],
    ///         limit: Some(20),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} of {} users", page.users.len(), page.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_users(&self, input: ListUsersInput) -> Result<ListUsersOutput, Error> {
        let (call, input) = self.begin(input)?;
        let list = users_page(&call, &input, input.limit, input.offset);
        let count = send!(call, api.get_users_count().filters(&input));
        let (users, count) = futures_util::future::try_join(list, count).await?;
        let users: Vec<ListedUser> = users.into_iter().map(ListedUser::from).collect();
        Ok(ListUsersOutput { total_count: count.total_count.unwrap_or(users.len() as i64), users, success: true })
    }

    /// Every user that `clerk_list_users` would list for `input`, page after page: see [every item
    /// of a list](crate#every-item-of-a-list).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListUsersInput};
    /// use futures_util::StreamExt;
    ///
    /// let tools = ClerkTools::from_env()?;
    /// let mut users = tools.users(ListUsersInput { query: Some("example.com".into()), ..Default::default() })?;
    /// while let Some(user) = users.next().await {
    ///     println!("{:?}", user?.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn users(&self, input: ListUsersInput) -> Result<ListStream<'_, ListedUser, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, input, limit, offset| async move {
                let users = users_page(&call, &input, Some(limit), Some(offset)).await?;
                Ok(Page { data: users.into_iter().map(ListedUser::from).collect(), total_count: None })
            },
        )
    }

    /// `clerk_get_user`: one user by ID.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetUserInput};
    /// let user = ClerkTools::from_env()?
    ///     .get_user(GetUserInput { user_id: "user_2x1".into() })
    ///     .await?;
    /// println!("{:?} verified: {:?}", user.username, user.email_addresses.first().map(|e| e.verified));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_user(&self, input: GetUserInput) -> Result<GetUserOutput, Error> {
        let (call, input) = self.begin(input)?;
        let user = send!(call, api.get_user().user_id(input.user_id.as_str())).await?;
        Ok(GetUserOutput::from(user))
    }

    /// `clerk_create_user`: creates a user. Booleans are sent whenever given, `false`
    /// included.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateUserInput};
    /// let created = ClerkTools::from_env()?
    ///     .create_user(CreateUserInput {
    ///         email_address: vec!["ada@example.com".into()],
    ///         first_name: Some("Ada".into()),
    ///         public_metadata: serde_json::json!({"plan": "pro"}).as_object().cloned(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("created {:?}", created.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_user(&self, input: CreateUserInput) -> Result<CreateUserOutput, Error> {
        let (call, input) = self.begin(input)?;
        let user = send!(
            call,
            api.create_user().body_map(|body| {
                with_present!(
                    body,
                    email_address = non_empty(&input.email_address),
                    phone_number = non_empty(&input.phone_number),
                    username = input.username.clone(),
                    password = input.password.as_ref().map(|password| password.expose().to_string()),
                    first_name = input.first_name.clone(),
                    last_name = input.last_name.clone(),
                    external_id = input.external_id.clone(),
                    public_metadata = input.public_metadata.clone(),
                    private_metadata = input.private_metadata.clone(),
                    unsafe_metadata = input.unsafe_metadata.clone(),
                    skip_password_checks = input.skip_password_checks,
                    skip_password_requirement = input.skip_password_requirement,
                )
            })
        )
        .await?;
        Ok(CreateUserOutput::from(user))
    }

    /// `clerk_update_user`: updates the given fields of a user; an update with nothing to
    /// change is an error, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UpdateUserInput};
    /// let updated = ClerkTools::from_env()?
    ///     .update_user(UpdateUserInput {
    ///         user_id: "user_2x1".into(),
    ///         last_name: Some("King".into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", updated.last_name);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_user(&self, input: UpdateUserInput) -> Result<UpdateUserOutput, Error> {
        let (call, mut input) = self.begin(input)?;
        // Since API version 2026-05-12 the profile and the metadata (the JSON object inputs) are
        // two requests; each is sent only when it has something to change (the checks made sure
        // one has), and the output is the last answer.
        let metadata_fields = input.given_names(|field| field.kind == Kind::Object);
        let profile_fields = input.given_names(|field| field.kind != Kind::Object && !field.is_path_id());
        let update_profile = || {
            send!(
                call,
                api.update_user().user_id(input.user_id.as_str()).body_map(|body| {
                    with_present!(
                        body,
                        first_name = input.first_name.clone(),
                        last_name = input.last_name.clone(),
                        username = input.username.clone(),
                        password = input.password.as_ref().map(|password| password.expose().to_string()),
                        external_id = input.external_id.clone(),
                        primary_email_address_id = input.primary_email_address_id.clone(),
                        primary_phone_number_id = input.primary_phone_number_id.clone(),
                        skip_password_checks = input.skip_password_checks,
                    )
                })
            )
        };
        if metadata_fields.is_empty() {
            return Ok(UpdateUserOutput::from(update_profile().await?));
        }
        if !profile_fields.is_empty() {
            update_profile().await?;
        }
        let replaced = send!(
            call,
            api.replace_user_metadata().user_id(input.user_id.as_str()).body_map(|body| {
                with_present!(
                    body,
                    public_metadata = input.public_metadata.clone(),
                    private_metadata = input.private_metadata.clone(),
                    unsafe_metadata = input.unsafe_metadata.clone(),
                )
            })
        )
        .await;
        match replaced {
            Ok(user) => Ok(UpdateUserOutput::from(user)),
            Err(cause) if !profile_fields.is_empty() => Err(Error::PartiallyApplied {
                applied: profile_fields,
                not_applied: metadata_fields,
                cause: Box::new(cause),
            }),
            Err(cause) => Err(cause),
        }
    }

    /// `clerk_delete_user`: deletes a user.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, DeleteUserInput};
    /// let deleted = ClerkTools::from_env()?
    ///     .delete_user(DeleteUserInput { user_id: "user_2x1".into() })
    ///     .await?;
    /// assert!(deleted.deleted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_user(&self, input: DeleteUserInput) -> Result<DeleteUserOutput, Error> {
        let (call, input) = self.begin(input)?;
        let deleted = send!(call, api.delete_user().user_id(input.user_id.as_str())).await?;
        Ok(DeletedObjectOutput::from_response(deleted, input.user_id, "user"))
    }
}
