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

use crate::client::{Call, ClerkTools};
use crate::conventions::{DeletedObjectOutput, in_range, list, password, path_id, text, with_present};
use crate::error::Error;

const LIST_USERS: Call = Call { tool: "clerk_list_users", method: "GET", path: "/users" };
const COUNT_USERS: Call = Call { tool: "clerk_list_users", method: "GET", path: "/users/count" };
const GET_USER: Call = Call { tool: "clerk_get_user", method: "GET", path: "/users/{user_id}" };
const CREATE_USER: Call = Call { tool: "clerk_create_user", method: "POST", path: "/users" };
const UPDATE_USER: Call = Call { tool: "clerk_update_user", method: "PATCH", path: "/users/{user_id}" };
const REPLACE_USER_METADATA: Call =
    Call { tool: "clerk_update_user", method: "PUT", path: "/users/{user_id}/metadata" };
const DELETE_USER: Call = Call { tool: "clerk_delete_user", method: "DELETE", path: "/users/{user_id}" };

/// The filters that `GET /users` and `GET /users/count` share; an empty list is not sent.
#[derive(Debug, Default)]
struct UserFilters {
    email_address: Option<Vec<String>>,
    phone_number: Option<Vec<String>>,
    external_id: Option<Vec<String>>,
    username: Option<Vec<String>>,
    user_id: Option<Vec<String>>,
    query: Option<String>,
}

/// Sets the user filters on either of the two builders, which are distinct generated types
/// with the same setters.
macro_rules! with_user_filters {
    ($builder:expr, $filters:expr) => {{
        let filters = &$filters;
        with_present!(
            $builder,
            email_address = filters.email_address.clone(),
            phone_number = filters.phone_number.clone(),
            external_id = filters.external_id.clone(),
            username = filters.username.clone(),
            user_id = filters.user_id.clone(),
            query = filters.query.clone(),
        )
    }};
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
        let limit = in_range("limit", input.limit, 1, Some(500))?;
        let offset = in_range("offset", input.offset, 0, None)?;
        let order_by = text(input.order_by.as_deref());
        let filters = UserFilters {
            email_address: list(&input.email_address),
            phone_number: list(&input.phone_number),
            external_id: list(&input.external_id),
            username: list(&input.username),
            user_id: list(&input.user_id),
            query: text(input.query.as_deref()),
        };
        // The two requests run at once: each has its own client, so the status each reports
        // with an undecodable error body is its own.
        let (list_api, count_api) = (self.api()?, self.api()?);
        let list = self.execute(&list_api, LIST_USERS, || {
            let request =
                with_present!(list_api.get_user_list(), limit = limit, offset = offset, order_by = order_by.clone());
            with_user_filters!(request, filters).send()
        });
        let count =
            self.execute(&count_api, COUNT_USERS, || with_user_filters!(count_api.get_users_count(), filters).send());
        let (users, count) = futures_util::future::try_join(list, count).await?;
        let users: Vec<ListedUser> = users.into_iter().map(ListedUser::from).collect();
        Ok(ListUsersOutput { total_count: count.total_count.unwrap_or(users.len() as i64), users, success: true })
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
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api()?;
        let user = self.execute(&api, GET_USER, || api.get_user().user_id(user_id.as_str()).send()).await?;
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
        let email_address = list(&input.email_address);
        let phone_number = list(&input.phone_number);
        let username = text(input.username.as_deref());
        let password = password(input.password.as_ref());
        let first_name = text(input.first_name.as_deref());
        let last_name = text(input.last_name.as_deref());
        let external_id = text(input.external_id.as_deref());
        let public_metadata = input.public_metadata.clone();
        let private_metadata = input.private_metadata.clone();
        let unsafe_metadata = input.unsafe_metadata.clone();
        let skip_password_checks = input.skip_password_checks;
        let skip_password_requirement = input.skip_password_requirement;
        let api = self.api()?;
        let user = self
            .execute(&api, CREATE_USER, || {
                api.create_user()
                    .body_map(|body| {
                        with_present!(
                            body,
                            email_address = email_address.clone(),
                            phone_number = phone_number.clone(),
                            username = username.clone(),
                            password = password.clone(),
                            first_name = first_name.clone(),
                            last_name = last_name.clone(),
                            external_id = external_id.clone(),
                            public_metadata = public_metadata.clone(),
                            private_metadata = private_metadata.clone(),
                            unsafe_metadata = unsafe_metadata.clone(),
                            skip_password_checks = skip_password_checks,
                            skip_password_requirement = skip_password_requirement,
                        )
                    })
                    .send()
            })
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
        let user_id = path_id("userId", Some(&input.user_id))?;
        let profile = ProfileChanges {
            first_name: text(input.first_name.as_deref()),
            last_name: text(input.last_name.as_deref()),
            username: text(input.username.as_deref()),
            password: password(input.password.as_ref()),
            external_id: text(input.external_id.as_deref()),
            primary_email_address_id: text(input.primary_email_address_id.as_deref()),
            primary_phone_number_id: text(input.primary_phone_number_id.as_deref()),
            skip_password_checks: input.skip_password_checks,
        };
        let metadata = MetadataChanges {
            public_metadata: input.public_metadata.clone(),
            private_metadata: input.private_metadata.clone(),
            unsafe_metadata: input.unsafe_metadata.clone(),
        };
        let (profile_fields, metadata_fields) = (profile.given(), metadata.given());
        if profile_fields.is_empty() && metadata_fields.is_empty() {
            return Err(Error::invalid(
                "input",
                "nothing to update: give at least one of firstName, lastName, username, password, externalId, \
                 primaryEmailAddressId, primaryPhoneNumberId, publicMetadata, privateMetadata, unsafeMetadata, \
                 skipPasswordChecks",
            ));
        }
        let api = self.api()?;
        // Since API version 2026-05-12 the profile and the metadata are two requests; each is
        // sent only when it has something to change, and the output is the last answer.
        let mut updated = None;
        if !profile_fields.is_empty() {
            let user = self
                .execute(&api, UPDATE_USER, || {
                    let p = &profile;
                    api.update_user()
                        .user_id(user_id.as_str())
                        .body_map(|body| {
                            with_present!(
                                body,
                                first_name = p.first_name.clone(),
                                last_name = p.last_name.clone(),
                                username = p.username.clone(),
                                password = p.password.clone(),
                                external_id = p.external_id.clone(),
                                primary_email_address_id = p.primary_email_address_id.clone(),
                                primary_phone_number_id = p.primary_phone_number_id.clone(),
                                skip_password_checks = p.skip_password_checks,
                            )
                        })
                        .send()
                })
                .await?;
            updated = Some(user);
        }
        if !metadata_fields.is_empty() {
            let replaced = self
                .execute(&api, REPLACE_USER_METADATA, || {
                    let m = &metadata;
                    api.replace_user_metadata()
                        .user_id(user_id.as_str())
                        .body_map(|body| {
                            with_present!(
                                body,
                                public_metadata = m.public_metadata.clone(),
                                private_metadata = m.private_metadata.clone(),
                                unsafe_metadata = m.unsafe_metadata.clone(),
                            )
                        })
                        .send()
                })
                .await;
            match replaced {
                Ok(user) => updated = Some(user),
                Err(cause) if updated.is_some() => {
                    return Err(Error::PartiallyApplied {
                        applied: profile_fields,
                        not_applied: metadata_fields,
                        cause: Box::new(cause),
                    });
                }
                Err(cause) => return Err(cause),
            }
        }
        match updated {
            Some(user) => Ok(UpdateUserOutput::from(user)),
            None => Err(Error::invalid("input", "nothing to update")),
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
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api()?;
        let deleted = self.execute(&api, DELETE_USER, || api.delete_user().user_id(user_id.as_str()).send()).await?;
        Ok(DeletedObjectOutput::from_response(deleted, user_id, "user"))
    }
}

/// The profile fields of an update, sent with `PATCH /users/{user_id}`.
struct ProfileChanges {
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
    password: Option<String>,
    external_id: Option<String>,
    primary_email_address_id: Option<String>,
    primary_phone_number_id: Option<String>,
    skip_password_checks: Option<bool>,
}

impl ProfileChanges {
    /// The inputs given, by their contract names.
    fn given(&self) -> Vec<String> {
        let fields = [
            ("firstName", self.first_name.is_some()),
            ("lastName", self.last_name.is_some()),
            ("username", self.username.is_some()),
            ("password", self.password.is_some()),
            ("externalId", self.external_id.is_some()),
            ("primaryEmailAddressId", self.primary_email_address_id.is_some()),
            ("primaryPhoneNumberId", self.primary_phone_number_id.is_some()),
            ("skipPasswordChecks", self.skip_password_checks.is_some()),
        ];
        fields.iter().filter(|(_, given)| *given).map(|(name, _)| name.to_string()).collect()
    }
}

/// The metadata of an update, sent with `PUT /users/{user_id}/metadata`, which replaces each
/// field it is given and leaves the others alone.
struct MetadataChanges {
    public_metadata: Option<serde_json::Map<String, serde_json::Value>>,
    private_metadata: Option<serde_json::Map<String, serde_json::Value>>,
    unsafe_metadata: Option<serde_json::Map<String, serde_json::Value>>,
}

impl MetadataChanges {
    /// The inputs given, by their contract names.
    fn given(&self) -> Vec<String> {
        let fields = [
            ("publicMetadata", self.public_metadata.is_some()),
            ("privateMetadata", self.private_metadata.is_some()),
            ("unsafeMetadata", self.unsafe_metadata.is_some()),
        ];
        fields.iter().filter(|(_, given)| *given).map(|(name, _)| name.to_string()).collect()
    }
}
