//! The four organization membership tools: `clerk_list_organization_memberships`,
//! `clerk_add_organization_member`, `clerk_update_organization_membership`,
//! `clerk_remove_organization_member`.

use clerk_api::{ListStream, Page, types};
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{ToolCall, non_empty, page_of, send};
use crate::input::{LIMIT, PATH_ID, REQUIRED, ZERO_OR_MORE, input};
use crate::schema::output;

input! {
    /// Input of `clerk_list_organization_memberships`.
    pub struct ListOrganizationMembershipsInput {
        /// The ID of the organization whose members to list.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
        /// Sort field (created_at, first_name, last_name, username, email_address,
        /// phone_number) with optional +/- prefix.
        pub order_by: Option<String>,
        /// Filter by role key (comma-separated for multiple, e.g. org:admin,org:member).
        pub role: Vec<String>,
    }
}

input! {
    /// Input of `clerk_add_organization_member`.
    pub struct AddOrganizationMemberInput {
        /// The ID of the organization to add the member to.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// The ID of the user to add: an existing user of the same instance who is not a
        /// member yet.
        #[rule(REQUIRED)]
        pub user_id: String,
        /// Role key of the new member (e.g. org:admin, org:member).
        #[rule(REQUIRED)]
        pub role: String,
    }
}

input! {
    /// Input of `clerk_update_organization_membership`.
    pub struct UpdateOrganizationMembershipInput {
        /// The ID of the organization.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// The user ID of the member whose role to change.
        #[rule(PATH_ID)]
        pub user_id: String,
        /// The new role key (e.g. org:admin, org:member).
        #[rule(REQUIRED)]
        pub role: String,
    }
}

input! {
    /// Input of `clerk_remove_organization_member`.
    pub struct RemoveOrganizationMemberInput {
        /// The ID of the organization.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// The user ID of the member to remove.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}

output! {
    /// A membership as the membership tools report it: the member's role in the organization and
    /// their public user data.
    pub struct MembershipObject {
        /// Membership ID.
        pub id: Option<String>,
        /// Role key (e.g. org:admin).
        pub role: Option<String>,
        /// Role name.
        pub role_name: Option<String>,
        /// Permissions the role grants.
        pub permissions: Vec<String>,
        /// Organization ID.
        pub organization_id: Option<String>,
        /// The member's user ID.
        pub user_id: Option<String>,
        /// The member's first name.
        pub first_name: Option<String>,
        /// The member's last name.
        pub last_name: Option<String>,
        /// The member's profile image URL.
        pub image_url: Option<String>,
        /// The member's identifier (usually their email address).
        pub identifier: Option<String>,
        /// The member's username.
        pub username: Option<String>,
        /// Whether the member is banned.
        pub banned: bool,
        /// Public metadata of the membership.
        pub public_metadata: Map<String, Value>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
    }
}

output! {
    /// Output of `clerk_list_organization_memberships`.
    pub struct ListOrganizationMembershipsOutput {
        /// The page of memberships.
        pub memberships: Vec<MembershipObject>,
        /// Number of members matching the filter (Clerk's `total_count`), not the page length.
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_add_organization_member`, `clerk_update_organization_membership` and
    /// `clerk_remove_organization_member`: the membership object plus `success`.
    pub struct MembershipOutput {
        /// The membership.
        #[serde(flatten)]
        pub membership: MembershipObject,
        /// Always `true`.
        pub success: bool,
    }
}

/// Clerk does not promise `public_user_data` nor `organization`: without them the member's
/// fields are null and the call still succeeds.
impl From<types::OrganizationMembership> for MembershipObject {
    fn from(membership: types::OrganizationMembership) -> Self {
        let user = membership.public_user_data.unwrap_or_default();
        MembershipObject {
            id: membership.id,
            role: membership.role,
            role_name: membership.role_name,
            permissions: membership.permissions.unwrap_or_default(),
            organization_id: membership.organization.and_then(|organization| organization.id),
            user_id: user.user_id,
            first_name: user.first_name,
            last_name: user.last_name,
            image_url: user.image_url,
            identifier: user.identifier,
            username: user.username,
            banned: user.banned.unwrap_or(false),
            public_metadata: membership.public_metadata.unwrap_or_default(),
            created_at: membership.created_at,
            updated_at: membership.updated_at,
        }
    }
}

impl From<types::OrganizationMembership> for MembershipOutput {
    fn from(membership: types::OrganizationMembership) -> Self {
        MembershipOutput { membership: membership.into(), success: true }
    }
}

/// One page of the request of `clerk_list_organization_memberships` for `input`: the tool's page,
/// and each page of [`ClerkTools::organization_memberships`].
async fn organization_memberships_page(
    call: &ToolCall<'_>,
    input: &ListOrganizationMembershipsInput,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Page<types::OrganizationMembership>, Error> {
    send!(
        call,
        api.list_organization_memberships().organization_id(input.organization_id.as_str()),
        limit = limit,
        offset = offset,
        order_by = input.order_by.clone(),
        role = non_empty(&input.role),
    )
    .await
}

impl ClerkTools {
    /// `clerk_list_organization_memberships`: an organization's members, optionally only
    /// those with the given roles, with Clerk's `total_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListOrganizationMembershipsInput};
    /// let admins = ClerkTools::from_env()?
    ///     .list_organization_memberships(ListOrganizationMembershipsInput {
    ///         organization_id: "org_2x1".into(),
    ///         role: vec!["org:admin".into()],
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} admins", admins.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_organization_memberships(
        &self,
        input: ListOrganizationMembershipsInput,
    ) -> Result<ListOrganizationMembershipsOutput, Error> {
        let (call, input) = self.begin(input)?;
        let page = organization_memberships_page(&call, &input, input.limit, input.offset).await?;
        let total_count = page.total_count_or_len();
        let memberships: Vec<MembershipObject> = page.data.into_iter().map(MembershipObject::from).collect();
        Ok(ListOrganizationMembershipsOutput { total_count, memberships, success: true })
    }

    /// Every membership that `clerk_list_organization_memberships` would list for `input`, page
    /// after page: see [every item of a list](crate#every-item-of-a-list).
    pub fn organization_memberships(
        &self,
        input: ListOrganizationMembershipsInput,
    ) -> Result<ListStream<'_, MembershipObject, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, input, limit, offset| async move {
                organization_memberships_page(&call, &input, Some(limit), Some(offset)).await.map(page_of)
            },
        )
    }

    /// `clerk_add_organization_member`: makes an existing user a member of the organization
    /// with the given role.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{AddOrganizationMemberInput, ClerkTools};
    /// let added = ClerkTools::from_env()?
    ///     .add_organization_member(AddOrganizationMemberInput {
    ///         organization_id: "org_2x1".into(),
    ///         user_id: "user_2x1".into(),
    ///         role: "org:member".into(),
    ///     })
    ///     .await?;
    /// println!("{:?}", added.membership.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn add_organization_member(&self, input: AddOrganizationMemberInput) -> Result<MembershipOutput, Error> {
        let (call, input) = self.begin(input)?;
        let membership = send!(
            call,
            api.create_organization_membership()
                .organization_id(input.organization_id.as_str())
                .body_map(|body| body.user_id(input.user_id.clone()).role(input.role.clone()))
        )
        .await?;
        Ok(membership.into())
    }

    /// `clerk_update_organization_membership`: gives a member a new role.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UpdateOrganizationMembershipInput};
    /// let promoted = ClerkTools::from_env()?
    ///     .update_organization_membership(UpdateOrganizationMembershipInput {
    ///         organization_id: "org_2x1".into(),
    ///         user_id: "user_2x1".into(),
    ///         role: "org:admin".into(),
    ///     })
    ///     .await?;
    /// assert_eq!(promoted.membership.role.as_deref(), Some("org:admin"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_organization_membership(
        &self,
        input: UpdateOrganizationMembershipInput,
    ) -> Result<MembershipOutput, Error> {
        let (call, input) = self.begin(input)?;
        let membership = send!(
            call,
            api.update_organization_membership()
                .organization_id(input.organization_id.as_str())
                .user_id(input.user_id.as_str())
                .body_map(|body| body.role(input.role.clone()))
        )
        .await?;
        Ok(membership.into())
    }

    /// `clerk_remove_organization_member`: removes a member from the organization and reports
    /// the membership as it was.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, RemoveOrganizationMemberInput};
    /// let removed = ClerkTools::from_env()?
    ///     .remove_organization_member(RemoveOrganizationMemberInput {
    ///         organization_id: "org_2x1".into(),
    ///         user_id: "user_2x1".into(),
    ///     })
    ///     .await?;
    /// println!("{:?} was {:?}", removed.membership.user_id, removed.membership.role);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_organization_member(
        &self,
        input: RemoveOrganizationMemberInput,
    ) -> Result<MembershipOutput, Error> {
        let (call, input) = self.begin(input)?;
        let membership = send!(
            call,
            api.delete_organization_membership()
                .organization_id(input.organization_id.as_str())
                .user_id(input.user_id.as_str())
        )
        .await?;
        Ok(membership.into())
    }
}
