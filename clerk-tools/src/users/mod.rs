//! The five user tools: `clerk_list_users`, `clerk_get_user`, `clerk_create_user`,
//! `clerk_update_user`, `clerk_delete_user`.

mod inputs;
mod outputs;

pub use inputs::{CreateUserInput, DeleteUserInput, GetUserInput, ListUsersInput, UpdateUserInput};
pub use outputs::{
    CreateUserOutput, DeleteUserOutput, EmailAddressEntry, GetUserOutput, ListUsersOutput, ListedUser,
    PhoneNumberEntry, UpdateUserOutput, VerifiedEmailAddress, VerifiedPhoneNumber,
};

use std::num::NonZeroU64;

use clerk_api::types;

use crate::client::{Call, ClerkTools};
use crate::conventions::{flag, integer, metadata, password, path_id, require_secret_key, split_list, text};
use crate::error::Error;

const LIST_USERS: Call = Call { tool: "clerk_list_users", method: "GET", path: "/users" };
const COUNT_USERS: Call = Call { tool: "clerk_list_users", method: "GET", path: "/users/count" };
const GET_USER: Call = Call { tool: "clerk_get_user", method: "GET", path: "/users/{user_id}" };
const CREATE_USER: Call = Call { tool: "clerk_create_user", method: "POST", path: "/users" };
const UPDATE_USER: Call = Call { tool: "clerk_update_user", method: "PATCH", path: "/users/{user_id}" };
const DELETE_USER: Call = Call { tool: "clerk_delete_user", method: "DELETE", path: "/users/{user_id}" };

/// The filters that `GET /users` and `GET /users/count` share.
#[derive(Debug, Default)]
struct UserFilters {
    email_address: Vec<String>,
    phone_number: Vec<String>,
    external_id: Vec<String>,
    username: Vec<String>,
    user_id: Vec<String>,
    query: Option<String>,
}

impl UserFilters {
    // The two builders are distinct generated types with the same filter setters; each filter
    // is set only when given, so absent filters stay out of the query.
    fn apply_to_list<'a>(
        &self,
        mut request: clerk_api::builder::GetUserList<'a>,
    ) -> clerk_api::builder::GetUserList<'a> {
        if !self.email_address.is_empty() {
            request = request.email_address(self.email_address.clone());
        }
        if !self.phone_number.is_empty() {
            request = request.phone_number(self.phone_number.clone());
        }
        if !self.external_id.is_empty() {
            request = request.external_id(self.external_id.clone());
        }
        if !self.username.is_empty() {
            request = request.username(self.username.clone());
        }
        if !self.user_id.is_empty() {
            request = request.user_id(self.user_id.clone());
        }
        match &self.query {
            Some(query) => request.query(query.clone()),
            None => request,
        }
    }

    fn apply_to_count<'a>(
        &self,
        mut request: clerk_api::builder::GetUsersCount<'a>,
    ) -> clerk_api::builder::GetUsersCount<'a> {
        if !self.email_address.is_empty() {
            request = request.email_address(self.email_address.clone());
        }
        if !self.phone_number.is_empty() {
            request = request.phone_number(self.phone_number.clone());
        }
        if !self.external_id.is_empty() {
            request = request.external_id(self.external_id.clone());
        }
        if !self.username.is_empty() {
            request = request.username(self.username.clone());
        }
        if !self.user_id.is_empty() {
            request = request.user_id(self.user_id.clone());
        }
        match &self.query {
            Some(query) => request.query(query.clone()),
            None => request,
        }
    }
}

impl ClerkTools {
    /// `clerk_list_users`: lists users with optional filters and pagination. `totalCount` is
    /// the number of users matching the filters (from `GET /users/count`, sent concurrently
    /// with the list request), not the page length.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListUsersInput};
    /// let tools = ClerkTools::new()?;
    /// let page = tools
    ///     .list_users(ListUsersInput {
    ///         secret_key: "sk_test_...".into(),
    ///         email_address: Some("ada@example.com, grace@example.com".into()),
    ///         limit: Some(20.into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} of {} users", page.users.len(), page.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_users(&self, input: ListUsersInput) -> Result<ListUsersOutput, Error> {
        require_secret_key(&input.secret_key)?;
        let limit = integer("limit", input.limit.as_ref(), 1, Some(500))?.and_then(|n| NonZeroU64::new(n as u64));
        let offset = integer("offset", input.offset.as_ref(), 0, None)?;
        let order_by = text(input.order_by.as_deref());
        let filters = UserFilters {
            email_address: split_list(input.email_address.as_deref()),
            phone_number: split_list(input.phone_number.as_deref()),
            external_id: split_list(input.external_id.as_deref()),
            username: split_list(input.username.as_deref()),
            user_id: split_list(input.user_id.as_deref()),
            query: text(input.query.as_deref()),
        };
        let api = self.api(&input.secret_key)?;
        let list = self.execute(&api, LIST_USERS, || {
            let mut request = api.get_user_list();
            if let Some(limit) = limit {
                request = request.limit(limit);
            }
            if let Some(offset) = offset {
                request = request.offset(offset);
            }
            if let Some(order_by) = &order_by {
                request = request.order_by(order_by.clone());
            }
            filters.apply_to_list(request).send()
        });
        let count = self.execute(&api, COUNT_USERS, || filters.apply_to_count(api.get_users_count()).send());
        let (users, count) = futures_util::future::try_join(list, count).await?;
        Ok(ListUsersOutput {
            users: users.into_iter().map(ListedUser::from).collect(),
            total_count: count.total_count,
            success: true,
        })
    }

    /// `clerk_get_user`: one user by ID.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetUserInput};
    /// let user = ClerkTools::new()?
    ///     .get_user(GetUserInput { secret_key: "sk_test_...".into(), user_id: "user_2x1".into() })
    ///     .await?;
    /// println!("{:?} verified: {:?}", user.username, user.email_addresses.first().map(|e| e.verified));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_user(&self, input: GetUserInput) -> Result<GetUserOutput, Error> {
        require_secret_key(&input.secret_key)?;
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api(&input.secret_key)?;
        let user = self.execute(&api, GET_USER, || api.get_user().user_id(user_id.as_str()).send()).await?;
        Ok(GetUserOutput::from(user))
    }

    /// `clerk_create_user`: creates a user. Booleans are sent whenever given, `false`
    /// included.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateUserInput};
    /// let created = ClerkTools::new()?
    ///     .create_user(CreateUserInput {
    ///         secret_key: "sk_test_...".into(),
    ///         email_address: Some("ada@example.com".into()),
    ///         first_name: Some("Ada".into()),
    ///         public_metadata: Some(serde_json::json!({"plan": "pro"})),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("created {:?}", created.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_user(&self, input: CreateUserInput) -> Result<CreateUserOutput, Error> {
        require_secret_key(&input.secret_key)?;
        let body = types::CreateUserBody {
            email_address: split_list(input.email_address.as_deref()),
            phone_number: split_list(input.phone_number.as_deref()),
            username: text(input.username.as_deref()),
            password: password(input.password.as_deref()),
            first_name: text(input.first_name.as_deref()),
            last_name: text(input.last_name.as_deref()),
            external_id: text(input.external_id.as_deref()),
            public_metadata: metadata("publicMetadata", input.public_metadata.as_ref())?,
            private_metadata: metadata("privateMetadata", input.private_metadata.as_ref())?,
            unsafe_metadata: metadata("unsafeMetadata", input.unsafe_metadata.as_ref())?,
            skip_password_checks: flag("skipPasswordChecks", input.skip_password_checks.as_ref())?,
            skip_password_requirement: flag("skipPasswordRequirement", input.skip_password_requirement.as_ref())?,
            ..Default::default()
        };
        let api = self.api(&input.secret_key)?;
        let user = self.execute(&api, CREATE_USER, || api.create_user().body(body.clone()).send()).await?;
        Ok(CreateUserOutput::from(user))
    }

    /// `clerk_update_user`: updates the given fields of a user; an update with nothing to
    /// change is an error, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UpdateUserInput};
    /// let updated = ClerkTools::new()?
    ///     .update_user(UpdateUserInput {
    ///         secret_key: "sk_test_...".into(),
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
        require_secret_key(&input.secret_key)?;
        let user_id = path_id("userId", Some(&input.user_id))?;
        let body = types::UpdateUserBody {
            first_name: text(input.first_name.as_deref()),
            last_name: text(input.last_name.as_deref()),
            username: text(input.username.as_deref()),
            password: password(input.password.as_deref()),
            external_id: text(input.external_id.as_deref()),
            primary_email_address_id: text(input.primary_email_address_id.as_deref()),
            primary_phone_number_id: text(input.primary_phone_number_id.as_deref()),
            public_metadata: metadata("publicMetadata", input.public_metadata.as_ref())?,
            private_metadata: metadata("privateMetadata", input.private_metadata.as_ref())?,
            unsafe_metadata: metadata("unsafeMetadata", input.unsafe_metadata.as_ref())?,
            skip_password_checks: flag("skipPasswordChecks", input.skip_password_checks.as_ref())?,
            ..Default::default()
        };
        // What would be sent decides, so a field added here later cannot be forgotten.
        if serde_json::to_value(&body).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty())) {
            return Err(Error::invalid(
                "input",
                "nothing to update: give at least one of firstName, lastName, username, password, externalId, \
                 primaryEmailAddressId, primaryPhoneNumberId, publicMetadata, privateMetadata, unsafeMetadata, \
                 skipPasswordChecks",
            ));
        }
        let api = self.api(&input.secret_key)?;
        let user = self
            .execute(&api, UPDATE_USER, || api.update_user().user_id(user_id.as_str()).body(body.clone()).send())
            .await?;
        Ok(UpdateUserOutput::from(user))
    }

    /// `clerk_delete_user`: deletes a user.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, DeleteUserInput};
    /// let deleted = ClerkTools::new()?
    ///     .delete_user(DeleteUserInput { secret_key: "sk_test_...".into(), user_id: "user_2x1".into() })
    ///     .await?;
    /// assert!(deleted.deleted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_user(&self, input: DeleteUserInput) -> Result<DeleteUserOutput, Error> {
        require_secret_key(&input.secret_key)?;
        let user_id = path_id("userId", Some(&input.user_id))?;
        let api = self.api(&input.secret_key)?;
        let deleted = self.execute(&api, DELETE_USER, || api.delete_user().user_id(user_id.as_str()).send()).await?;
        Ok(DeleteUserOutput {
            id: deleted.id.or(Some(user_id)),
            object: deleted.object,
            deleted: deleted.deleted,
            success: true,
        })
    }
}
