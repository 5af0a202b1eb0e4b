//! The organization tools: `clerk_list_organizations`, `clerk_get_organization`,
//! `clerk_create_organization`, `clerk_update_organization`, `clerk_delete_organization` and
//! `clerk_merge_organization_metadata`.

use clerk_api::{ListStream, Page, types};
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{ToolCall, page_of, send, with_present};
use crate::input::{LIMIT, PATH_ID, REQUIRED, ZERO_OR_MORE, input};
use crate::output::DeletedObjectOutput;
use crate::schema::output;

input! {
    /// Input of `clerk_list_organizations`.
    pub struct ListOrganizationsInput {
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
        /// Include member counts in the response.
        pub include_members_count: Option<bool>,
        /// Search organizations by ID, name, or slug.
        pub query: Option<String>,
        /// Sort field (name, created_at, members_count) with optional +/- prefix.
        pub order_by: Option<String>,
    }
}

input! {
    /// Input of `clerk_get_organization`.
    pub struct GetOrganizationInput {
        /// The ID (`org_...`) or slug of the organization to retrieve.
        #[rule(PATH_ID)]
        pub organization_id: String,
    }
}

input! {
    /// Input of `clerk_create_organization`.
    pub struct CreateOrganizationInput {
        /// Name of the organization.
        #[rule(REQUIRED)]
        pub name: String,
        /// User ID of the creator (will become admin).
        #[rule(REQUIRED)]
        pub created_by: String,
        /// Slug identifier for the organization.
        pub slug: Option<String>,
        /// Maximum member capacity (0 for unlimited).
        #[rule(ZERO_OR_MORE)]
        pub max_allowed_memberships: Option<i64>,
        /// Public metadata (JSON object), as an object or a JSON string.
        pub public_metadata: Option<Map<String, Value>>,
        /// Private metadata (JSON object), as an object or a JSON string.
        pub private_metadata: Option<Map<String, Value>>,
    }
}

input! {
    /// Input of `clerk_update_organization`. Metadata is not among the inputs: since API
    /// version 2026-05-12 the update refuses it, and `clerk_merge_organization_metadata`
    /// changes it.
    #[requires_change("update")]
    pub struct UpdateOrganizationInput {
        /// The ID of the organization to update.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// New name of the organization.
        pub name: Option<String>,
        /// New slug of the organization.
        pub slug: Option<String>,
        /// Maximum member capacity (0 for unlimited).
        #[rule(ZERO_OR_MORE)]
        pub max_allowed_memberships: Option<i64>,
        /// Whether admins may delete the organization through the Frontend API.
        pub admin_delete_enabled: Option<bool>,
    }
}

input! {
    /// Input of `clerk_delete_organization`.
    pub struct DeleteOrganizationInput {
        /// The ID of the organization to delete. Its memberships and invitations are deleted
        /// too.
        #[rule(PATH_ID)]
        pub organization_id: String,
    }
}

input! {
    /// Input of `clerk_merge_organization_metadata`.
    #[requires_change("merge")]
    pub struct MergeOrganizationMetadataInput {
        /// The ID of the organization whose metadata to change.
        #[rule(PATH_ID)]
        pub organization_id: String,
        /// Public metadata to merge in (JSON object), as an object or a JSON string: nested
        /// objects merge key by key, a key set to null is removed, other keys are kept.
        pub public_metadata: Option<Map<String, Value>>,
        /// Private metadata to merge in (JSON object, backend only), as an object or a JSON
        /// string: nested objects merge key by key, a key set to null is removed, other keys are
        /// kept.
        pub private_metadata: Option<Map<String, Value>>,
    }
}

output! {
    /// An organization as the organization tools report it.
    pub struct OrganizationObject {
        /// Organization ID.
        pub id: Option<String>,
        /// Organization name.
        pub name: Option<String>,
        /// Organization slug.
        pub slug: Option<String>,
        /// Organization image URL.
        pub image_url: Option<String>,
        /// Whether the organization has an image.
        pub has_image: bool,
        /// Number of members (when requested or known).
        pub members_count: Option<i64>,
        /// Number of pending invitations.
        pub pending_invitations_count: Option<i64>,
        /// Maximum allowed memberships (0 for unlimited).
        pub max_allowed_memberships: Option<i64>,
        /// Whether admins can delete the organization.
        pub admin_delete_enabled: bool,
        /// User ID of the creator.
        pub created_by: Option<String>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
        /// Public metadata.
        pub public_metadata: Map<String, Value>,
    }
}

output! {
    /// Output of `clerk_list_organizations`.
    pub struct ListOrganizationsOutput {
        /// The page of organizations.
        pub organizations: Vec<OrganizationObject>,
        /// Total number of organizations matching the query (Clerk's `total_count`).
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_get_organization`, `clerk_create_organization`,
    /// `clerk_update_organization` and `clerk_merge_organization_metadata`: the organization
    /// object plus `success`.
    pub struct OrganizationOutput {
        /// The organization.
        #[serde(flatten)]
        pub organization: OrganizationObject,
        /// Always `true`.
        pub success: bool,
    }
}

/// Output of `clerk_delete_organization`: the deleted object, `object` being `organization`.
pub type DeleteOrganizationOutput = DeletedObjectOutput;

impl From<types::Organization> for OrganizationObject {
    fn from(organization: types::Organization) -> Self {
        OrganizationObject {
            id: organization.id,
            name: organization.name,
            slug: organization.slug,
            image_url: organization.image_url,
            has_image: organization.has_image.unwrap_or(false),
            members_count: organization.members_count,
            pending_invitations_count: organization.pending_invitations_count,
            max_allowed_memberships: organization.max_allowed_memberships,
            admin_delete_enabled: organization.admin_delete_enabled.unwrap_or(false),
            created_by: organization.created_by,
            created_at: organization.created_at,
            updated_at: organization.updated_at,
            public_metadata: organization.public_metadata.unwrap_or_default(),
        }
    }
}

impl From<types::Organization> for OrganizationOutput {
    fn from(organization: types::Organization) -> Self {
        OrganizationOutput { organization: organization.into(), success: true }
    }
}

/// One page of the request of `clerk_list_organizations` for `input`: the tool's page, and each
/// page of [`ClerkTools::organizations`].
async fn organizations_page(
    call: &ToolCall<'_>,
    input: &ListOrganizationsInput,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Page<types::Organization>, Error> {
    send!(
        call,
        api.list_organizations(),
        limit = limit,
        offset = offset,
        include_members_count = input.include_members_count,
        query = input.query.clone(),
        order_by = input.order_by.clone(),
    )
    .await
}

impl ClerkTools {
    /// `clerk_list_organizations`: lists organizations with Clerk's `total_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListOrganizationsInput};
    /// let page = ClerkTools::from_env()?
    ///     .list_organizations(ListOrganizationsInput {
    ///         order_by: Some("-members_count".into()),
    ///         include_members_count: Some(true.into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} organizations", page.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_organizations(&self, input: ListOrganizationsInput) -> Result<ListOrganizationsOutput, Error> {
        let (call, input) = self.begin(input)?;
        let page = organizations_page(&call, &input, input.limit, input.offset).await?;
        Ok(ListOrganizationsOutput {
            total_count: page.total_count_or_len(),
            organizations: page.data.into_iter().map(OrganizationObject::from).collect(),
            success: true,
        })
    }

    /// Every organization that `clerk_list_organizations` would list for `input`, page after page:
    /// see [every item of a list](crate#every-item-of-a-list).
    pub fn organizations(
        &self,
        input: ListOrganizationsInput,
    ) -> Result<ListStream<'_, OrganizationObject, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, input, limit, offset| async move {
                organizations_page(&call, &input, Some(limit), Some(offset)).await.map(page_of)
            },
        )
    }

    /// `clerk_get_organization`: one organization by ID or slug.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetOrganizationInput};
    /// let found = ClerkTools::from_env()?
    ///     .get_organization(GetOrganizationInput { organization_id: "acme".into() })
    ///     .await?;
    /// println!("{:?}", found.organization.name);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_organization(&self, input: GetOrganizationInput) -> Result<OrganizationOutput, Error> {
        let (call, input) = self.begin(input)?;
        let organization = send!(call, api.get_organization().organization_id(input.organization_id.as_str())).await?;
        Ok(organization.into())
    }

    /// `clerk_create_organization`: creates an organization whose creator becomes its admin.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateOrganizationInput};
    /// let created = ClerkTools::from_env()?
    ///     .create_organization(CreateOrganizationInput {
    ///         name: "Acme".into(),
    ///         created_by: "user_2x1".into(),
    ///         slug: Some("acme".into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", created.organization.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_organization(&self, input: CreateOrganizationInput) -> Result<OrganizationOutput, Error> {
        let (call, input) = self.begin(input)?;
        let organization = send!(
            call,
            api.create_organization().body_map(|body| {
                with_present!(
                    body.name(input.name.clone()).created_by(input.created_by.clone()),
                    slug = input.slug.clone(),
                    max_allowed_memberships = input.max_allowed_memberships,
                    public_metadata = input.public_metadata.clone(),
                    private_metadata = input.private_metadata.clone(),
                )
            })
        )
        .await?;
        Ok(organization.into())
    }

    /// `clerk_update_organization`: changes the given fields of an organization; an update
    /// with nothing to change is an error, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UpdateOrganizationInput};
    /// let updated = ClerkTools::from_env()?
    ///     .update_organization(UpdateOrganizationInput {
    ///         organization_id: "org_2x1".into(),
    ///         name: Some("Acme Inc".into()),
    ///         max_allowed_memberships: Some(50),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", updated.organization.name);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_organization(&self, input: UpdateOrganizationInput) -> Result<OrganizationOutput, Error> {
        let (call, input) = self.begin(input)?;
        let organization = send!(
            call,
            api.update_organization().organization_id(input.organization_id.as_str()).body_map(|body| {
                with_present!(
                    body,
                    name = input.name.clone(),
                    slug = input.slug.clone(),
                    max_allowed_memberships = input.max_allowed_memberships,
                    admin_delete_enabled = input.admin_delete_enabled,
                )
            })
        )
        .await?;
        Ok(organization.into())
    }

    /// `clerk_delete_organization`: deletes an organization with all its memberships and
    /// invitations. Irreversible.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, DeleteOrganizationInput};
    /// let deleted = ClerkTools::from_env()?
    ///     .delete_organization(DeleteOrganizationInput { organization_id: "org_2x1".into() })
    ///     .await?;
    /// assert!(deleted.deleted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_organization(&self, input: DeleteOrganizationInput) -> Result<DeleteOrganizationOutput, Error> {
        let (call, input) = self.begin(input)?;
        let deleted = send!(call, api.delete_organization().organization_id(input.organization_id.as_str())).await?;
        Ok(DeletedObjectOutput::from_response(deleted, input.organization_id, "organization"))
    }

    /// `clerk_merge_organization_metadata`: deep-merges the given metadata into the
    /// organization's. Nested objects merge key by key and a key set to `null` is removed;
    /// keys not mentioned, and a metadata field not given, stay as they are.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, MergeOrganizationMetadataInput};
    /// let merged = ClerkTools::from_env()?
    ///     .merge_organization_metadata(MergeOrganizationMetadataInput {
    ///         organization_id: "org_2x1".into(),
    ///         // Sets `plan`, removes `trial`, keeps every other key.
    ///         public_metadata: serde_json::json!({"plan": "pro", "trial": null}).as_object().cloned(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", merged.organization.public_metadata);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn merge_organization_metadata(
        &self,
        input: MergeOrganizationMetadataInput,
    ) -> Result<OrganizationOutput, Error> {
        let (call, input) = self.begin(input)?;
        let organization = send!(
            call,
            api.merge_organization_metadata().organization_id(input.organization_id.as_str()).body_map(|body| {
                with_present!(
                    body,
                    public_metadata = input.public_metadata.clone(),
                    private_metadata = input.private_metadata.clone(),
                )
            })
        )
        .await?;
        Ok(organization.into())
    }
}
